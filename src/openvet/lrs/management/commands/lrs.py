"""`openvet lrs create-client NAME --school CODE [--read] [--write]`; `openvet lrs forward`.

``create-client`` prints exactly two lines, ``key: K`` and ``secret: S``, for scripts to read.
The secret is shown only here: the LRS keeps its SHA-256. ``forward`` sends what waits for the
upstream LRSs that are due now (what the periodic job does) and prints ``sent: N``;
``expire`` deletes the statements past the retention period and prints ``deleted: N``;
``partitions`` makes the monthly statement partitions ahead (PostgreSQL) and prints ``made: N``;
``retention --school CODE --days N`` sets how long that school keeps its statements (0 keeps
every one; ``--platform`` returns it to the platform's period).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openvet.core.models import OrgKind, OrgUnit
from openvet.lrs.forwarding import forward_due
from openvet.lrs.partitions import ensure_partitions
from openvet.lrs.retention import expire_statements, school_retention_save
from openvet.lrs.services import client_create, warnings_evaluate


class Command(BaseCommand):
    help = "Manage the xAPI clients of the learning record store."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser("create-client", help="create a client; prints key/secret")
        create.add_argument("name")
        create.add_argument("--school", required=True, help="the school's code")
        create.add_argument("--read", action="store_true", help="may read statements")
        create.add_argument("--write", action="store_true", help="may write statements")
        create.add_argument(
            "--xapi-version",
            choices=["2.0.0", "1.0.3"],
            default="2.0.0",
            help="the xAPI version of its content; a request naming none is refused under it",
        )
        commands.add_parser("forward", help="send queued statements to the upstream LRSs")
        commands.add_parser("warnings", help="run the early-warning rules of every school")
        commands.add_parser("expire", help="delete statements past the retention period")
        commands.add_parser("partitions", help="make the monthly statement partitions ahead")
        retention = commands.add_parser("retention", help="set how long a school keeps them")
        retention.add_argument("--school", required=True, help="the school's code")
        period = retention.add_mutually_exclusive_group(required=True)
        period.add_argument("--days", type=int, help="days after storing; 0 keeps every one")
        period.add_argument("--platform", action="store_true", help="the platform's period")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "warnings":
            self.stdout.write(f"raised: {warnings_evaluate()}")
            return
        if options["command"] == "expire":
            self.stdout.write(f"deleted: {expire_statements()}")
            return
        if options["command"] == "forward":
            self.stdout.write(f"sent: {forward_due()}")
            return
        if options["command"] == "partitions":
            self.stdout.write(f"made: {len(ensure_partitions())}")
            return
        school = OrgUnit.objects.filter(kind=OrgKind.SCHOOL, code=options["school"]).first()
        if school is None:
            raise CommandError(f"No school with the code {options['school']!r}.")
        if options["command"] == "retention":
            if options["days"] is not None and options["days"] < 0:
                raise CommandError("--days must be 0 or more.")
            school_retention_save(
                actor=None, school=school, days=None if options["platform"] else options["days"]
            )
            return
        made = client_create(
            actor=None,
            name=options["name"],
            school=school,
            can_read=options["read"],
            can_write=options["write"],
            xapi_version=options["xapi_version"],
        )
        self.stdout.write(f"key: {made.key}")
        self.stdout.write(f"secret: {made.secret}")
