"""Term set-up: terms and their calendar, bell schedules, rooms and the course catalogue."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from openvet.core.errors import Conflict, ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.teaching.models import (
    BellPeriod,
    CalendarDay,
    CalendarDayKind,
    Course,
    Room,
    Term,
)
from openvet.teaching.permissions import MANAGE_TERM
from openvet.teaching.services.common import (
    AuditAction,
    check,
    record,
    require,
    require_kind,
    values_of,
)

TERM_FIELDS = (
    "academic_year",
    "number",
    "start_date",
    "weeks",
    "teaching_days",
    "max_daily_periods",
)
Row = TypeVar("Row", bound=models.Model)
ROOM_FIELDS = ("building", "number", "name", "capacity", "room_type", "is_active")
COURSE_FIELDS = (
    "code",
    "name",
    "theory_hours",
    "practice_hours",
    "credits",
    "course_type",
    "assessment",
    "room_type",
    "is_active",
)


def _term_errors(term: Term) -> dict[str, str]:
    errors: dict[str, str] = {}
    if term.number not in (1, 2):
        errors["number"] = _("The term is 1 or 2.")
    if term.start_date.isoweekday() != 1:
        errors["start_date"] = _("A term starts on a Monday.")
    if not 1 <= term.weeks <= 30:
        errors["weeks"] = _("A term has 1 to 30 teaching weeks.")
    if not 1 <= term.teaching_days <= 7:
        errors["teaching_days"] = _("A week has 1 to 7 teaching days.")
    if term.max_daily_periods is not None and term.max_daily_periods < 1:
        errors["max_daily_periods"] = _("Give at least one period, or leave it empty.")
    return errors


def _save_unique(obj: Any, field: str, message: str) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise Conflict(message, details={field: message}) from None


@dataclass(frozen=True)
class _Kind:
    """How one kind of a school's rows (term, room, course) is checked and saved."""

    fields: tuple[str, ...]
    errors: Callable[[Any], dict[str, str]]
    unique_field: str  # the field named when the row duplicates another
    duplicate: Callable[[], str]  # the refusal, translated when it is raised


def _create_in_school(
    actor: Actor, school: OrgUnit, model: type[Row], kind: _Kind, values: dict[str, Any]
) -> Row:
    require(actor, MANAGE_TERM, school)
    require_kind(school, OrgKind.SCHOOL, "school")
    row = model(org=school, **{k: v for k, v in values.items() if k in kind.fields})
    check(kind.errors(row))
    _save_unique(row, kind.unique_field, kind.duplicate())
    record(actor=actor, obj=row, org=school, after=values_of(row, kind.fields))
    return row


def _update_in_school(
    actor: Actor, row: Row, org: OrgUnit, kind: _Kind, values: dict[str, Any]
) -> Row:
    require(actor, MANAGE_TERM, org)
    before = values_of(row, kind.fields)
    for name, value in values.items():
        if name in kind.fields:
            setattr(row, name, value)
    check(kind.errors(row))
    _save_unique(row, kind.unique_field, kind.duplicate())
    record(
        actor=actor,
        obj=row,
        org=org,
        action=AuditAction.UPDATE,
        before=before,
        after=values_of(row, kind.fields),
    )
    return row


TERM = _Kind(TERM_FIELDS, _term_errors, "number", lambda: _("This term already exists."))


@transaction.atomic
def term_create(*, actor: Actor, school: OrgUnit, **values: Any) -> Term:
    return _create_in_school(actor, school, Term, TERM, values)


@transaction.atomic
def term_update(*, actor: Actor, term: Term, **values: Any) -> Term:
    return _update_in_school(actor, term, term.org, TERM, values)


def _term_end(term: Term) -> date:
    return term.start_date + timedelta(days=7 * term.weeks - 1)


def _calendar_errors(term: Term, day: date, kind: str, follows: date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    end = _term_end(term)
    if not term.start_date <= day <= end:
        errors["date"] = _("The date is outside the term.")
    if kind not in CalendarDayKind.values:
        errors["kind"] = _("Choose holiday or make-up working day.")
    elif kind == CalendarDayKind.WORKDAY:
        if follows is None:
            errors["follows_date"] = _("Give the date whose lectures this day holds.")
        elif not term.start_date <= follows <= end or follows == day:
            errors["follows_date"] = _("Give another date of the term.")
    return errors


@transaction.atomic
def calendar_day_set(
    *,
    actor: Actor,
    term: Term,
    day: date,
    kind: str,
    follows_date: date | None = None,
    name: str = "",
) -> CalendarDay:
    """Mark ``day`` a holiday or a make-up working day (replacing an earlier mark)."""
    require(actor, MANAGE_TERM, term.org)
    follows = follows_date if kind == CalendarDayKind.WORKDAY else None
    check(_calendar_errors(term, day, kind, follows))
    entry, created = CalendarDay.objects.update_or_create(
        term=term, date=day, defaults={"kind": kind, "follows_date": follows, "name": name[:60]}
    )
    record(
        actor=actor,
        obj=entry,
        org=term.org,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        after={"date": day, "kind": kind, "follows_date": follows},
    )
    return entry


@transaction.atomic
def calendar_day_delete(*, actor: Actor, entry: CalendarDay) -> None:
    require(actor, MANAGE_TERM, entry.term.org)
    record(actor=actor, obj=entry, org=entry.term.org, action=AuditAction.DELETE)
    entry.delete()


def _bell_errors(periods: Sequence[tuple[time, time]]) -> dict[str, str]:
    if not 1 <= len(periods) <= 16:
        return {"periods": _("A day has 1 to 16 periods.")}
    previous_end: time | None = None
    for number, (starts, ends) in enumerate(periods, start=1):
        if ends <= starts or (previous_end is not None and starts < previous_end):
            return {
                "periods": _(
                    "Period %(number)s must start after the previous one ends "
                    "and end after it starts."
                )
                % {"number": number}
            }
        previous_end = ends
    return {}


@transaction.atomic
def bell_schedule_set(
    *, actor: Actor, school: OrgUnit, periods: Sequence[tuple[time, time]]
) -> list[BellPeriod]:
    """Replace the school's bell schedule with ``periods`` (in order, from period 1)."""
    require(actor, MANAGE_TERM, school)
    require_kind(school, OrgKind.SCHOOL, "school")
    check(_bell_errors(periods))
    BellPeriod.objects.filter(org=school).delete()
    rows = BellPeriod.objects.bulk_create(
        BellPeriod(org=school, number=n, starts_at=s, ends_at=e)
        for n, (s, e) in enumerate(periods, start=1)
    )
    record(
        actor=actor,
        obj=school,
        org=school,
        action=AuditAction.UPDATE,
        after={"bell_schedule": [f"{s:%H:%M}-{e:%H:%M}" for s, e in periods]},
    )
    return rows


def _room_errors(room: Room) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not room.building.strip():
        errors["building"] = _("Give the building.")
    if not room.number.strip():
        errors["number"] = _("Give the room number.")
    if room.capacity < 1:
        errors["capacity"] = _("A room has at least one seat.")
    return errors


ROOM = _Kind(ROOM_FIELDS, _room_errors, "number", lambda: _("This room already exists."))


@transaction.atomic
def room_create(*, actor: Actor, school: OrgUnit, **values: Any) -> Room:
    return _create_in_school(actor, school, Room, ROOM, values)


@transaction.atomic
def room_update(*, actor: Actor, room: Room, **values: Any) -> Room:
    return _update_in_school(actor, room, room.org, ROOM, values)


def _course_errors(course: Course) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not course.code.strip():
        errors["code"] = _("Give the course code.")
    if not course.name.strip():
        errors["name"] = _("Give the course name.")
    if course.credits is not None and course.credits < 0:
        errors["credits"] = _("Credits cannot be negative.")
    return errors


COURSE = _Kind(
    COURSE_FIELDS, _course_errors, "code", lambda: _("A course with this code already exists.")
)


@transaction.atomic
def course_create(*, actor: Actor, school: OrgUnit, **values: Any) -> Course:
    return _create_in_school(actor, school, Course, COURSE, values)


@transaction.atomic
def course_update(*, actor: Actor, course: Course, **values: Any) -> Course:
    return _update_in_school(actor, course, course.org, COURSE, values)


__all__ = [
    "ValidationFailed",
    "bell_schedule_set",
    "calendar_day_delete",
    "calendar_day_set",
    "course_create",
    "course_update",
    "room_create",
    "room_update",
    "term_create",
    "term_update",
]
