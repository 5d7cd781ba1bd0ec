"""Print (or write) the API's OpenAPI schema, as committed in docs/api/openapi.json.

Refresh the committed copy after changing the API::

    .venv/bin/openvet export_openapi --output docs/api/openapi.json
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.urls import resolve, reverse
from django.utils import translation


def openapi_json() -> str:
    """The schema as stable text: sorted keys, English, one trailing newline."""
    # The API is found through its URL: core may not import config (the tiers contract).
    api = resolve(reverse("api:openapi-json")).func.keywords["api"]  # type: ignore[attr-defined]
    with translation.override("en"):
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
        return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Print the OpenAPI schema of /api/v1/ (or write it with --output)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = openapi_json()
        if options.get("output"):
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
