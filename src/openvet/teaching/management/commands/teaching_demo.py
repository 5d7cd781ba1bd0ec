"""`openvet teaching_demo seed-demo-term`: a term for the demo's first college.

Run `openvet demo` first; then this creates the term around today, its calendar, bell
schedule, rooms, course catalogue, a programme per major (the intakes of the last three years,
versioned) and the teaching tasks with teachers, ready for the solver.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openvet.core.errors import DomainError
from openvet.teaching.services.demo import demo_school_admin, seed_demo_term


class Command(BaseCommand):
    help = "Seed a demo-scale teaching term for the demo school (run `openvet demo` first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["seed-demo-term"])
        parser.add_argument(
            "--admin",
            default="admin1",
            help="school administrator of the demo college (default admin1)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            actor, school = demo_school_admin(options["admin"])
            result = seed_demo_term(actor=actor, school=school)
        except DomainError as exc:
            raise CommandError(
                f"{exc.message} {exc.details or ''} (has `openvet demo` been run?)"
            ) from None
        self.stdout.write(
            f"term {result.term} of {school.name}: {result.rooms} rooms added, "
            f"{result.courses} courses, {result.programmes} programmes added, "
            f"{result.tasks} teaching tasks generated"
        )
