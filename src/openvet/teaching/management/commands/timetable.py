"""`openvet timetable solve-ctt|score-ctt ...`: the timetabling solver's command line.

The solver is free of Django; this command only hands its arguments over, so that the exit
codes (2 for bad input) and messages are the solver CLI's own.
"""

import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from openvet.teaching.timetabling import cli


class Command(BaseCommand):
    help = "Solve or score ITC-2007 curriculum-based timetabling instances."

    def run_from_argv(self, argv: list[str]) -> NoReturn:
        sys.exit(cli.main(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:
        # Reached only through call_command: parse nothing here, defer to the CLI.
        code = cli.main([str(arg) for arg in args])
        if code:
            raise SystemExit(code)
