"""The full-text index of the resources: an FTS5 table on SQLite, a GIN index on PostgreSQL."""

from typing import Any

from django.db import migrations


def create(apps: Any, schema_editor: Any) -> None:
    from openvet.resources.search import postgres, sqlite

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(sqlite.CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS resources_searchtext_fts "
            f"ON resources_searchtext USING gin ({postgres.VECTOR})"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS resources_search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS resources_searchtext_fts")


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
