"""`openvet resources harvest [--source ID] [--all]`: harvest the registered libraries.

Without options it runs the sources that are due, as the periodic job does; ``--source``
runs one now whatever its backoff, ``--all`` every active one now. Prints one line per
source run (``<name>: added=N updated=N deleted=N`` or ``<name>: failed: <error>``), then
``harvested: N``.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from openvet.resources.selectors import harvest_sources_due, source_by_id
from openvet.resources.services.harvest import source_harvest


class Command(BaseCommand):
    help = "Harvest the libraries registered as OAI-PMH sources."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        harvest = commands.add_parser("harvest", help="harvest the sources that are due")
        harvest.add_argument("--source", type=int, help="the id of one source, run now")
        harvest.add_argument("--all", action="store_true", help="every active source, now")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["source"] is not None:
            if source_by_id(options["source"]) is None:
                raise CommandError(f"No harvest source {options['source']}.")
            ids, force = [options["source"]], True
        else:
            ids, force = harvest_sources_due(now=now, every=options["all"]), options["all"]
        total = 0
        for source_id in ids:
            counts = source_harvest(source_id, now=now, force=force)
            source = source_by_id(source_id)
            if counts is None or source is None:
                continue
            total += counts.added + counts.updated + counts.deleted
            outcome = (
                f"failed: {source.last_error}"
                if source.last_error_at == now
                else f"added={counts.added} updated={counts.updated} deleted={counts.deleted}"
            )
            self.stdout.write(f"{source.name}: {outcome}")
        self.stdout.write(f"harvested: {total}")
