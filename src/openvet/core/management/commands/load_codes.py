"""`openvet load_codes [table ...]`: (re)load the national code tables from their data files."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openvet.core.codetables import CodeTableError, load_code_tables


class Command(BaseCommand):
    help = "Load the national code tables from core/data/codes/ (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tables", nargs="*", help="table names (default: all files)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = load_code_tables(tables=options["tables"] or None)
        except CodeTableError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            self.stdout.write(
                f"{result.table}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
