"""The xAPI protocol (1.0.3 and 2.0) served at ``/xapi/``: validation, statements, documents."""
