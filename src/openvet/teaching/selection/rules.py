"""The rules of taking a seat, as pure functions of facts (ADR 0302, ADR 0303).

Two paths take seats: the service (``services.selection_create``, Django ORM, both database
engines) and the lean PostgreSQL path of the burst (``hotpath``). Each loads the facts its own
way and calls these functions in the same order, so every rule, its code and its translated
message live once:

1. ``check_before_seat``: an open first-come round, the school, major and grade, and a stale
   "full" hint that saves a write (the conditional UPDATE decides);
2. ``check_prerequisites`` with the codes the student has passed;
3. ``check_clash`` with the timetable slots of the offering, the student's other selections of
   the term and their class;
4. ``check_credit_cap`` with the credits of the course and the credits the student already
   holds through the round (ADR 0308).

They raise ``DomainError`` subclasses, which the API renders as ``{code, message, details}``.
"""

from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.utils.translation import gettext as _

from openvet.core.errors import Conflict, ValidationFailed
from openvet.teaching.calendar import WeekPattern, periods_overlap


class SeatsFull(Conflict):
    code = "full"


class AlreadySelected(Conflict):
    code = "already_selected"


class StudentFacts(Protocol):
    """What the rules read of a student record (a ``records.Student`` has these)."""

    @property
    def school_id(self) -> int: ...
    @property
    def major_id(self) -> int: ...
    @property
    def grade_year(self) -> int: ...


class OfferingFacts(Protocol):
    """What the rules read of an offering (an ``Offering`` row has these)."""

    @property
    def school_id(self) -> int: ...
    @property
    def capacity(self) -> int: ...
    @property
    def taken(self) -> int: ...
    @property
    def eligible_grades(self) -> Any: ...
    @property
    def prerequisites(self) -> Any: ...


class RoundFacts(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def opens_at(self) -> datetime: ...
    @property
    def closes_at(self) -> datetime: ...
    @property
    def id(self) -> int: ...
    @property
    def max_credits_per_student(self) -> Decimal | None: ...


R = TypeVar("R", bound=RoundFacts)

# task, weekday, first period, length, weeks
Slot = tuple[int, int, int, int, WeekPattern]


def refusal(message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, details={"offering": message})


def seats_full() -> SeatsFull:
    return SeatsFull(_("This course is full."), details={"offering": _("This course is full.")})


def already_selected() -> AlreadySelected:
    return AlreadySelected(_("You have already selected this course."))


def open_round_among(rounds: Iterable[R], kind: str | None, now: datetime) -> R:
    """The first round of ``kind`` (any kind if None) open at ``now``."""
    for candidate in rounds:
        if candidate.opens_at <= now < candidate.closes_at and kind in (None, candidate.kind):
            return candidate
    raise refusal(_("Course selection is not open now."), "outside_window")


def check_eligible(
    student: StudentFacts, offering: OfferingFacts, major_ids: Collection[int]
) -> None:
    if student.school_id != offering.school_id:
        raise refusal(_("This course is offered by another school."), "not_eligible")
    if major_ids and student.major_id not in major_ids:
        raise refusal(_("This course is not open to your major."), "not_eligible")
    if offering.eligible_grades and student.grade_year not in offering.eligible_grades:
        raise refusal(_("This course is not open to your grade."), "not_eligible")


def check_before_seat(
    *,
    student: StudentFacts,
    offering: OfferingFacts,
    rounds: Iterable[R],
    kind: str,
    now: datetime,
    major_ids: Collection[int],
) -> R:
    """The rules that need only the student, the offering, the rounds and the majors; returns
    the open round the seat belongs to."""
    selection_round = open_round_among(rounds, kind, now)
    check_eligible(student, offering, major_ids)
    if offering.taken >= offering.capacity:  # a hint that saves a write; the UPDATE decides
        raise seats_full()
    return selection_round


def check_prerequisites(offering: OfferingFacts, passed_codes: Collection[str]) -> None:
    missing = [code for code in offering.prerequisites if code not in passed_codes]
    if missing:
        raise refusal(
            _("You have not passed the prerequisite courses: %(codes)s.")
            % {"codes": ", ".join(missing)},
            "prerequisite_missing",
        )


def first_clash(mine: list[Slot], others: list[Slot]) -> int | None:
    """The task of the first slot of ``others`` overlapping one of ``mine``."""
    for _task, day, start, length, weeks in mine:
        for o_task, o_day, o_start, o_length, o_weeks in others:
            if (
                day == o_day
                and periods_overlap(start, length, o_start, o_length)
                and weeks.overlaps(o_weeks)
            ):
                return o_task
    return None


def clashing_task(task_id: int, slots: list[Slot]) -> int | None:
    """Among the slots of the offering's task and of the student's other courses, the other
    task held at the same time as the offering, if any."""
    mine = [slot for slot in slots if slot[0] == task_id]
    return first_clash(mine, [slot for slot in slots if slot[0] != task_id])


def check_clash(task_id: int, slots: list[Slot], course_name_of: Callable[[int], str]) -> None:
    clash = clashing_task(task_id, slots)
    if clash is not None:
        raise clash_refusal(course_name_of(clash))


def clash_refusal(course_name: str) -> ValidationFailed:
    return refusal(_("This course clashes with %(course)s.") % {"course": course_name}, "clash")


def slot_of(row: tuple[int, int, int, int, int, int, str]) -> Slot:
    """A slot from a row ``(task, weekday, first period, length, first week, last week,
    parity)``, the column order both paths select."""
    task, day, start, length, first, last, parity = row
    return (task, day, start, length, WeekPattern(first, last, parity))


def credits_text(value: Decimal) -> str:
    """Credits as people write them: 2, 1.5 (never 2.0)."""
    return f"{value:.1f}".removesuffix(".0")


def check_credit_cap(selection_round: RoundFacts, *, credits: Decimal, used: Decimal) -> None:
    """Refuse a seat that would take the student's credits in the round above its limit."""
    cap = selection_round.max_credits_per_student
    if cap is None or used + credits <= cap:
        return
    raise refusal(
        _(
            "This course has %(credits)s credits: with the %(used)s you already hold in this "
            "round it would exceed the limit of %(cap)s credits."
        )
        % {"credits": credits_text(credits), "used": credits_text(used), "cap": credits_text(cap)},
        "credit_cap",
    )
