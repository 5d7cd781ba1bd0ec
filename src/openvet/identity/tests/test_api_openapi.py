"""The committed OpenAPI schema matches the code.

When this fails after an intended API change, refresh the committed copy with
``.venv/bin/openvet export_openapi --output docs/api/openapi.json`` and review the diff
(v1 only grows: removing or renaming is a breaking change).
"""

import json
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.test import Client

SNAPSHOT = settings.BASE_DIR / "docs" / "api" / "openapi.json"


def _generated() -> str:
    out = StringIO()
    call_command("export_openapi", stdout=out)
    return out.getvalue()


def test_committed_schema_matches_the_code() -> None:
    assert _generated() == SNAPSHOT.read_text(encoding="utf-8"), (
        "docs/api/openapi.json is stale: run "
        "`.venv/bin/openvet export_openapi --output docs/api/openapi.json`"
    )


def test_every_operation_has_an_id_a_summary_and_a_tag() -> None:
    schema = json.loads(_generated())

    operations = [op for path in schema["paths"].values() for op in path.values()]
    # The snapshot test pins the exact set of operations; here every one must be documented.
    assert operations
    assert len({op["operationId"] for op in operations}) == len(operations)
    assert all(op.get("operationId") and op.get("summary") and op.get("tags") for op in operations)


def test_the_schema_is_served_at_the_api_root() -> None:
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "OpenVET API"
