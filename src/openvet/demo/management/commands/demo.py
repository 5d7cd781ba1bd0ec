"""`openvet demo`: seed the deterministic demo data (once) and print one account per role."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from openvet.core.roles import Role
from openvet.demo.seed import DEMO_PASSWORD, DemoConflictError, DemoResult, demo_seed
from openvet.demo.seed_industry import seed_industry
from openvet.demo.seed_industry_library import seed_industry_library
from openvet.demo.seed_learning import seed_learning
from openvet.demo.seed_learning_records import seed_learning_records
from openvet.demo.seed_resources import seed_resources
from openvet.demo.seed_teaching import TeachingCounts, seed_teaching


class Command(BaseCommand):
    help = "Create the demo province, colleges and accounts (idempotent), then list accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="fraction of the full size (students and staff), e.g. 0.05",
        )
        parser.add_argument("--seed", type=int, default=None, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["scale"] <= 1:
            raise CommandError("--scale must be in (0, 1]")
        started = time.monotonic()
        try:
            result = demo_seed(seed=options["seed"], scale=options["scale"])
        except DemoConflictError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        teaching = seed_teaching()
        seed_industry()
        seed_industry_library()
        seed_resources()
        seed_learning()
        seed_learning_records()
        with translation.override(settings.LANGUAGE_CODE):
            self._report(result, elapsed)
            self._report_teaching(teaching, time.monotonic() - started - elapsed)
            self._print_accounts(result)

    def _report(self, result: DemoResult, elapsed: float) -> None:
        if result.created:
            self.stdout.write(
                _(
                    "Created %(orgs)d organisations, %(users)d accounts, %(students)d student "
                    "and %(staff)d staff records and %(changes)d status changes in "
                    "%(seconds).1f s."
                )
                % {
                    "orgs": result.orgs,
                    "users": result.users,
                    "students": result.students,
                    "staff": result.staff,
                    "changes": result.status_changes,
                    "seconds": elapsed,
                }
            )
        elif result.students or result.staff:
            self.stdout.write(
                _(
                    "The demo data was there; added %(students)d student and %(staff)d staff "
                    "records and %(changes)d status changes."
                )
                % {
                    "students": result.students,
                    "staff": result.staff,
                    "changes": result.status_changes,
                }
            )
        else:
            self.stdout.write(_("The demo data is already there; nothing was created."))

    def _report_teaching(self, counts: TeachingCounts | None, seconds: float) -> None:
        if counts is None:
            return
        if counts.tasks or counts.lectures or counts.offerings or counts.rounds:
            self.stdout.write(
                _(
                    "Teaching term %(term)s: %(tasks)d teaching tasks, %(lectures)d weekly "
                    "lectures, %(offerings)d elective offerings and %(rounds)d selection rounds "
                    "added in %(seconds).1f s."
                )
                % {
                    "term": counts.term,
                    "tasks": counts.tasks,
                    "lectures": counts.lectures,
                    "offerings": counts.offerings,
                    "rounds": counts.rounds,
                    "seconds": seconds,
                }
            )
        if counts.earlier_terms:
            self.stdout.write(
                _(
                    "Earlier terms: %(terms)d with timetables, %(records)d attendance records "
                    "and %(grades)d locked grades."
                )
                % {
                    "terms": counts.earlier_terms,
                    "records": counts.attendance_records,
                    "grades": counts.grades,
                }
            )

    def _print_accounts(self, result: DemoResult) -> None:
        labels = dict(Role.choices)
        rows = [(_("Username"), _("Role"), _("Organisation"), _("Password"))]
        rows += [
            (a.username, str(labels.get(a.role, a.role)), a.org_name, DEMO_PASSWORD)
            for a in result.accounts
        ]
        widths = [max(_display_width(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            self.stdout.write(
                "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True))
            )


def _display_width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _display_width(text))
