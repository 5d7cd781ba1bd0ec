"""Command line: ``solve-ctt`` and ``score-ctt`` (later wired as ``openvet timetable ...``).

Pure Python, no Django: the integrator mounts :func:`build_parser` under the ``openvet``
command. Bad input gives "file:line: message" on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from openvet.teaching.timetabling.errors import InstanceError
from openvet.teaching.timetabling.parser import load_ctt
from openvet.teaching.timetabling.score import Report, score
from openvet.teaching.timetabling.search import solve
from openvet.teaching.timetabling.solution_io import read_solution, write_solution

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """Add the subcommands to ``parser`` (a new one if None) and return it."""
    parser = parser or argparse.ArgumentParser(
        prog="openvet timetable", description="Curriculum-based course timetabling (排课)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    solve_p = sub.add_parser("solve-ctt", help="solve an ITC-2007 .ctt instance")
    solve_p.add_argument("instance", help="instance file (.ctt)")
    solve_p.add_argument("--time-limit", type=float, required=True, help="seconds")
    solve_p.add_argument("--seed", type=int, default=0)
    solve_p.add_argument(
        "--max-iterations",
        type=int,
        default=None,
        help="iteration budget; makes the run reproducible if the time limit is not reached",
    )
    solve_p.add_argument("--output", required=True, help="solution file to write")
    score_p = sub.add_parser("score-ctt", help="score a solution of a .ctt instance")
    score_p.add_argument("instance", help="instance file (.ctt)")
    score_p.add_argument("solution", help="solution file (course room day period per line)")
    score_p.add_argument(
        "--lenient",
        action="store_true",
        help="skip lines that do not fit (like the ITC-2007 validator) instead of failing",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Execute parsed arguments (so a host CLI can reuse the parser)."""
    try:
        if args.command == "solve-ctt":
            return _solve(args)
        return _score(args)
    except InstanceError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT


def _print_report(report: Report, out: TextIO) -> None:
    for warning in report.warnings:
        out.write(f"warning: {warning}\n")
    out.write(report.format() + "\n")


def _score(args: argparse.Namespace) -> int:
    problem = load_ctt(args.instance)
    solution = read_solution(args.solution, problem, lenient=args.lenient)
    for warning in solution.warnings:
        sys.stderr.write(f"warning: {args.solution}: {warning}\n")
    _print_report(score(problem, solution.assignments), sys.stdout)
    return EXIT_OK


def _solve(args: argparse.Namespace) -> int:
    if args.time_limit <= 0:
        sys.stderr.write("error: --time-limit must be positive\n")
        return EXIT_BAD_INPUT
    problem = load_ctt(args.instance)
    progress = _Progress(sys.stderr)
    result = solve(
        problem,
        time_limit=args.time_limit,
        max_iterations=args.max_iterations,
        seed=args.seed,
        progress=progress,
    )
    progress.finish()
    try:
        write_solution(args.output, result.assignments)
    except OSError as exc:
        sys.stderr.write(f"error: {args.output}: cannot write: {exc.strerror}\n")
        return EXIT_BAD_INPUT
    sys.stdout.write(
        f"{problem.name}: {result.iterations} iterations in {result.seconds:.1f} s "
        f"({result.stopped}); solution written to {args.output}\n"
    )
    _print_report(result.report, sys.stdout)
    return EXIT_OK


class _Progress:
    """A bar redrawn in place on a TTY, otherwise one line every few seconds."""

    def __init__(self, stream: TextIO, every: float = 5.0):
        self.stream = stream
        self.tty = stream.isatty()
        self.every = 0.2 if self.tty else every
        self.last = 0.0

    def __call__(self, fraction: float, hard: int, soft: int) -> bool:
        now = time.monotonic()
        if now - self.last < self.every:
            return True
        self.last = now
        if self.tty:
            filled = int(30 * fraction)
            bar = "#" * filled + "-" * (30 - filled)
            self.stream.write(f"\r[{bar}] {fraction:6.1%}  hard {hard}  soft {soft}  ")
        else:
            self.stream.write(f"progress {fraction:6.1%}  best hard {hard}  soft {soft}\n")
        self.stream.flush()
        return True

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")


if __name__ == "__main__":
    raise SystemExit(main())
