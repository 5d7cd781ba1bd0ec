"""Reader for the ITC-2007 Track 3 ``.ctt`` instance format.

Every error names the line it was found on, so a user can fix a hand-edited file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from openvet.teaching.timetabling.errors import InstanceError
from openvet.teaching.timetabling.model import Course, Curriculum, Problem, Room

HEADER_KEYS = ("Name", "Courses", "Rooms", "Days", "Periods_per_day", "Curricula", "Constraints")
SECTIONS = ("COURSES", "ROOMS", "CURRICULA", "UNAVAILABILITY_CONSTRAINTS")
Line = tuple[int, list[str]]  # (1-based line number, whitespace-separated tokens)


class _Reader:
    def __init__(self, text: str, source: str | None):
        self.source = source
        self.lines: list[Line] = [
            (n, raw.split()) for n, raw in enumerate(text.splitlines(), start=1) if raw.strip()
        ]
        self.pos = 0

    def error(self, message: str, line: int | None) -> InstanceError:
        return InstanceError(message, source=self.source, line=line)

    def last_line(self) -> int | None:
        return self.lines[-1][0] if self.lines else None

    def next(self, expecting: str) -> Line:
        if self.pos >= len(self.lines):
            raise self.error(f"unexpected end of file, expecting {expecting}", self.last_line())
        item = self.lines[self.pos]
        self.pos += 1
        return item

    def int_at(self, line: Line, k: int, what: str, minimum: int = 0) -> int:
        number, tokens = line
        try:
            value = int(tokens[k])
        except (IndexError, ValueError):
            got = tokens[k] if k < len(tokens) else "nothing"
            raise self.error(f"{what} must be an integer, got {got!r}", number) from None
        if value < minimum:
            raise self.error(f"{what} must be at least {minimum}, got {value}", number)
        return value

    def section(self, title: str, count: int) -> Iterator[Line]:
        number, tokens = self.next(f"section {title}:")
        if tokens != [f"{title}:"]:
            raise self.error(
                f"expected section header '{title}:', got {' '.join(tokens)!r}", number
            )
        for k in range(count):
            line = self.next(f"{count} lines in {title} (found {k})")
            if _is_section_header(line[1]):
                raise self.error(
                    f"section {title} has {k} lines but the header announces {count}", line[0]
                )
            yield line


def _is_section_header(tokens: list[str]) -> bool:
    return len(tokens) == 1 and (tokens[0].rstrip(":") in SECTIONS or tokens[0] == "END.")


def parse_ctt(text: str, source: str | None = None) -> Problem:
    """Parse ``.ctt`` text into a :class:`Problem`; raise :class:`InstanceError` if bad."""
    reader = _Reader(text, source)
    header = _read_header(reader)
    courses = _read_courses(reader, header["Courses"])
    rooms = _read_rooms(reader, header["Rooms"])
    known = {c.name for c in courses}
    curricula = _read_curricula(reader, header["Curricula"], known)
    days, ppd = header["Days"], header["Periods_per_day"]
    unavailable = _read_unavailable(reader, header["Constraints"], known, days, ppd)
    number, tokens = reader.next("END.")
    if tokens != ["END."]:
        raise reader.error(
            f"expected 'END.' (more lines than the header announces?), got {' '.join(tokens)!r}",
            number,
        )
    problem = Problem(
        name=header.name,
        days=days,
        periods_per_day=ppd,
        courses=courses,
        rooms=rooms,
        curricula=curricula,
        unavailable=unavailable,
    )
    try:
        problem.validate()
    except InstanceError as exc:
        raise InstanceError(exc.message, source=source, line=None) from None
    return problem


def load_ctt(path: str | Path) -> Problem:
    """Read a ``.ctt`` file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InstanceError(f"cannot read file: {exc.strerror}", source=str(path)) from None
    except UnicodeDecodeError:
        raise InstanceError("not a UTF-8 text file", source=str(path)) from None
    return parse_ctt(text, source=str(path))


class _Header(dict[str, int]):
    name: str = ""


def _read_header(reader: _Reader) -> _Header:
    header = _Header()
    for key in HEADER_KEYS:
        line = reader.next(f"header line '{key}:'")
        number, tokens = line
        if not tokens or tokens[0] != f"{key}:" or len(tokens) != 2:
            raise reader.error(f"expected header line '{key}: <value>'", number)
        if key == "Name":
            header.name = tokens[1]
        else:
            minimum = 1 if key in ("Days", "Periods_per_day") else 0
            header[key] = reader.int_at(line, 1, key, minimum)
    return header


def _read_courses(reader: _Reader, count: int) -> list[Course]:
    courses: list[Course] = []
    seen: set[str] = set()
    for line in reader.section("COURSES", count):
        number, tokens = line
        if len(tokens) != 5:
            raise reader.error(
                "a course line needs 5 fields: name teacher lectures min_days students", number
            )
        if tokens[0] in seen:
            raise reader.error(f"duplicate course {tokens[0]}", number)
        seen.add(tokens[0])
        lectures = reader.int_at(line, 2, "lectures")
        min_days = reader.int_at(line, 3, "min_working_days")
        students = reader.int_at(line, 4, "students")
        courses.append(Course(tokens[0], tokens[1], lectures, min_days, students))
    return courses


def _read_rooms(reader: _Reader, count: int) -> list[Room]:
    rooms: list[Room] = []
    seen: set[str] = set()
    for line in reader.section("ROOMS", count):
        number, tokens = line
        if len(tokens) != 2:
            raise reader.error("a room line needs 2 fields: name capacity", number)
        if tokens[0] in seen:
            raise reader.error(f"duplicate room {tokens[0]}", number)
        seen.add(tokens[0])
        rooms.append(Room(tokens[0], reader.int_at(line, 1, "capacity")))
    return rooms


def _read_curricula(reader: _Reader, count: int, known: set[str]) -> list[Curriculum]:
    curricula: list[Curriculum] = []
    seen: set[str] = set()
    for line in reader.section("CURRICULA", count):
        number, tokens = line
        if len(tokens) < 2:
            raise reader.error("a curriculum line needs: name n course_1 ... course_n", number)
        n = reader.int_at(line, 1, "number of courses")
        if len(tokens) != n + 2:
            raise reader.error(
                f"curriculum {tokens[0]} announces {n} courses but lists {len(tokens) - 2}", number
            )
        if tokens[0] in seen:
            raise reader.error(f"duplicate curriculum {tokens[0]}", number)
        seen.add(tokens[0])
        for name in tokens[2:]:
            if name not in known:
                raise reader.error(f"curriculum {tokens[0]}: unknown course {name}", number)
        curricula.append(Curriculum(tokens[0], tuple(tokens[2:])))
    return curricula


def _read_unavailable(
    reader: _Reader, count: int, known: set[str], days: int, ppd: int
) -> set[tuple[str, int, int]]:
    result: set[tuple[str, int, int]] = set()
    for line in reader.section("UNAVAILABILITY_CONSTRAINTS", count):
        number, tokens = line
        if len(tokens) != 3:
            raise reader.error("a constraint line needs 3 fields: course day period", number)
        if tokens[0] not in known:
            raise reader.error(f"unavailability for unknown course {tokens[0]}", number)
        day = reader.int_at(line, 1, "day")
        period = reader.int_at(line, 2, "period")
        if day >= days or period >= ppd:
            raise reader.error(
                f"slot ({day}, {period}) out of range: {days} days x {ppd} periods", number
            )
        result.add((tokens[0], day, period))
    return result
