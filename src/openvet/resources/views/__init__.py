"""Pages of the resource libraries."""
