"""`openvet records <subcommand>`: OneRoster bundles and Excel workbooks from the shell.

    openvet records import-oneroster DIR|ZIP --school CODE [--major CODE] [--accounts] [--as USER]
    openvet records export-oneroster DIR --school CODE [--reveal-pii] [--as USER]
    openvet records import-xlsx FILE --school CODE [--kind student] [--mode all-or-nothing]

Each acts as a person (``--as``; by default the school's first school administrator), so the
same permission checks and audit entries apply as on the pages.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from openvet.core.errors import DomainError
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.core.uploads import MB, UploadLimits, extract_zip
from openvet.identity.selectors import users_holding_role_over
from openvet.records.bulk.models import ImportKind, ImportMode, ImportStatus
from openvet.records.bulk.services import import_job_create
from openvet.records.oneroster.exporter import oneroster_export
from openvet.records.oneroster.importer import OneRosterRejected, oneroster_import

# A zipped OneRoster bundle: nine CSV files at most, each under the bulk readers' own caps.
BUNDLE = UploadLimits(
    max_bytes=100 * MB, max_members=20, max_member_bytes=200 * MB, max_total_bytes=500 * MB
)


class Command(BaseCommand):
    help = "Import and export OneRoster CSV bundles and Excel workbooks of a school."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        imp = commands.add_parser("import-oneroster", help="import a OneRoster 1.1/1.2 bundle")
        imp.add_argument("directory", type=Path, help="the bundle's folder or a .zip of it")
        imp.add_argument("--major", default="", help="major code for students without one")
        imp.add_argument("--accounts", action="store_true", help="create sign-in accounts")
        exp = commands.add_parser("export-oneroster", help="export a OneRoster 1.2 bundle")
        exp.add_argument("directory", type=Path)
        exp.add_argument(
            "--reveal-pii",
            action="store_true",
            help="write ID numbers and guardian phones in clear (audited; needs the right)",
        )
        xlsx = commands.add_parser("import-xlsx", help="import an Excel workbook")
        xlsx.add_argument("file", type=Path)
        xlsx.add_argument("--kind", choices=ImportKind.values, default=ImportKind.STUDENT)
        xlsx.add_argument("--mode", choices=ImportMode.values, default=ImportMode.ALL_OR_NOTHING)
        for sub in (imp, exp, xlsx):
            sub.add_argument("--school", required=True, help="the school's 10-digit code")
            sub.add_argument("--as", dest="username", default="", help="act as this user")

    def handle(self, *args: Any, **options: Any) -> None:
        school = OrgUnit.objects.filter(kind=OrgKind.SCHOOL, code=options["school"]).first()
        if school is None:
            raise CommandError(f"no school with code {options['school']}")
        actor = _actor(options["username"], school)
        try:
            if options["subcommand"] == "import-oneroster":
                self._import_oneroster(actor, school, options)
            elif options["subcommand"] == "export-oneroster":
                counts = oneroster_export(
                    actor=actor,
                    school=school,
                    directory=options["directory"],
                    reveal=options["reveal_pii"],
                )
                for name, count in counts.items():
                    self.stdout.write(f"{name}: {count} rows")
            else:
                self._import_xlsx(actor, school, options)
        except OneRosterRejected as exc:
            for problem in exc.details:
                self.stderr.write(
                    f"{problem['file']}:{problem['line'] or ''} "
                    f"{problem['column']}: {problem['message']}"
                )
            raise CommandError(str(exc.message)) from exc
        except DomainError as exc:
            raise CommandError(f"{exc.message} {exc.details or ''}") from exc

    def _import_oneroster(self, actor: Actor, school: OrgUnit, options: dict[str, Any]) -> None:
        major = None
        if options["major"]:
            major = OrgUnit.objects.filter(
                kind=OrgKind.MAJOR, code=options["major"], path__startswith=school.path
            ).first()
            if major is None:
                raise CommandError(f"no major {options['major']} in this school")
        with _bundle_directory(options["directory"]) as directory:
            summary = oneroster_import(
                actor=actor,
                school=school,
                directory=directory,
                default_major=major,
                accounts=options["accounts"],
            )
        for name, counts in summary.counts.items():
            self.stdout.write(
                f"{name}: {counts['imported']} imported, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged, {counts['skipped']} skipped"
            )
        for row in summary.skipped:
            self.stdout.write(
                f"  {row['file']}:{row['line']} {row['sourcedId']} skipped: {row['reason']}"
            )

    def _import_xlsx(self, actor: Actor, school: OrgUnit, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        job = import_job_create(
            actor=actor, school=school, kind=options["kind"], mode=options["mode"], upload=upload
        )
        for problem in job.errors:
            self.stderr.write(
                f"row {problem['row'] or '-'} {problem['column']}: {problem['message']}"
            )
        self.stdout.write(
            f"{job.status}: {job.created_count} created, {job.updated_count} "
            f"updated, {job.unchanged_count} unchanged, {job.skipped_count} skipped"
        )
        if job.status != ImportStatus.DONE:
            self.stdout.write(job.summary)


@contextmanager
def _bundle_directory(path: Path) -> Iterator[Path]:
    """The bundle's folder: ``path`` itself, or a zipped bundle unpacked through the upload
    guard (ADR-0211) into a temporary folder."""
    if not path.is_file():
        yield path
        return
    with TemporaryDirectory() as scratch, path.open("rb") as handle:
        extract_zip(
            handle, storage=FileSystemStorage(location=scratch), prefix="bundle", limits=BUNDLE
        )
        yield Path(scratch) / "bundle"


def _actor(username: str, school: OrgUnit) -> Any:
    if username:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username}")
        return user
    admin = users_holding_role_over(role=Role.SCHOOL_ADMIN, org_path=school.path).first()
    if admin is None:
        raise CommandError("the school has no school administrator; name one with --as")
    return admin
