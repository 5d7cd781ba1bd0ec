"""PostgreSQL: the weighted search vector stored once per resource (a generated column with
its GIN index) and a GIN index on the title's words alone; ranking no longer segments every
matched row again (ADR 0534). SQLite's FTS5 table is unchanged."""

from typing import Any

from django.db import migrations


def create(apps: Any, schema_editor: Any) -> None:
    from openvet.resources.search import postgres

    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE resources_searchtext ADD COLUMN IF NOT EXISTS document tsvector "
        f"GENERATED ALWAYS AS {postgres.VECTOR} STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS resources_searchtext_document "
        "ON resources_searchtext USING gin (document)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS resources_searchtext_title "
        f"ON resources_searchtext USING gin ({postgres.TITLE_VECTOR})"
    )
    schema_editor.execute("DROP INDEX IF EXISTS resources_searchtext_fts")


def drop(apps: Any, schema_editor: Any) -> None:
    from openvet.resources.search import postgres

    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS resources_searchtext_fts "
        f"ON resources_searchtext USING gin ({postgres.VECTOR})"
    )
    schema_editor.execute("DROP INDEX IF EXISTS resources_searchtext_title")
    schema_editor.execute("DROP INDEX IF EXISTS resources_searchtext_document")
    schema_editor.execute("ALTER TABLE resources_searchtext DROP COLUMN IF EXISTS document")


class Migration(migrations.Migration):
    dependencies = [("resources", "0006_media_previews_and_invoices")]
    operations = [migrations.RunPython(create, drop)]
