"""Reader and writer for ITC-2007 solution files (``course room day period`` per line)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from openvet.teaching.timetabling.errors import SolutionError
from openvet.teaching.timetabling.model import Assignment, Problem


@dataclass
class ReadSolution:
    assignments: list[Assignment]
    # lines skipped in lenient mode, as "line N: why"; they surface as H1 in the score
    warnings: list[str] = field(default_factory=list)


def format_solution(assignments: Iterable[Assignment]) -> str:
    return "".join(f"{a.course} {a.room} {a.day} {a.period}\n" for a in assignments)


def write_solution(path: str | Path, assignments: Iterable[Assignment]) -> None:
    Path(path).write_text(format_solution(assignments), encoding="utf-8")


def parse_solution(
    text: str, problem: Problem, *, source: str | None = None, lenient: bool = False
) -> ReadSolution:
    """Parse a solution for ``problem``.

    Strict mode (default) raises :class:`SolutionError` for any line that does not fit the
    instance and for wrong lecture counts: that usually means the solution belongs to
    another instance. Lenient mode follows the ITC-2007 validator instead: bad lines are
    skipped with a warning and missing lectures are left for the scorer to count (H1).
    """
    courses = problem.course_index()
    rooms = problem.room_index()
    result = ReadSolution([])
    seen: set[tuple[str, int, int]] = set()
    first_line: dict[str, int] = {}

    def reject(message: str, number: int) -> None:
        if not lenient:
            raise SolutionError(message, source=source, line=number)
        result.warnings.append(f"line {number}: {message}")

    for number, raw in enumerate(text.splitlines(), start=1):
        tokens = raw.split()
        if not tokens:
            continue
        if len(tokens) != 4:
            reject("a solution line needs 4 fields: course room day period", number)
            continue
        course, room = tokens[0], tokens[1]
        try:
            day, period = int(tokens[2]), int(tokens[3])
        except ValueError:
            reject(f"day and period must be integers, got {tokens[2]!r} {tokens[3]!r}", number)
            continue
        if course not in courses:
            reject(f"unknown course {course} (solution for another instance?)", number)
            continue
        if room not in rooms:
            reject(f"unknown room {room} (solution for another instance?)", number)
            continue
        if not (0 <= day < problem.days and 0 <= period < problem.periods_per_day):
            reject(
                f"slot ({day}, {period}) out of range: "
                f"{problem.days} days x {problem.periods_per_day} periods",
                number,
            )
            continue
        if (course, day, period) in seen:
            reject(f"course {course} already has a lecture at ({day}, {period})", number)
            continue
        seen.add((course, day, period))
        first_line.setdefault(course, number)
        result.assignments.append(Assignment(course, room, day, period))
    if not lenient:
        _check_counts(problem, result.assignments, first_line, source)
    return result


def _check_counts(
    problem: Problem, assignments: list[Assignment], first_line: dict[str, int], source: str | None
) -> None:
    counts = Counter(a.course for a in assignments)
    for c in problem.courses:
        if counts[c.name] != c.lectures:
            raise SolutionError(
                f"course {c.name} has {counts[c.name]} lectures in the solution, "
                f"the instance requires {c.lectures}",
                source=source,
                line=first_line.get(c.name),
            )


def read_solution(path: str | Path, problem: Problem, *, lenient: bool = False) -> ReadSolution:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SolutionError(f"cannot read file: {exc.strerror}", source=str(path)) from None
    except UnicodeDecodeError:
        raise SolutionError("not a UTF-8 text file", source=str(path)) from None
    return parse_solution(text, problem, source=str(path), lenient=lenient)
