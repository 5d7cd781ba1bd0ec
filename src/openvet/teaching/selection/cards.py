"""What a course card of the selection pages tells before any click: when and where the
course meets, its credits and teachers, the seats left and who may take it, in words."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from openvet.teaching.models import TimetableEntry, Weekday, WeekParity
from openvet.teaching.selection.models import Offering
from openvet.teaching.selection.rules import credits_text


def _separator() -> str:
    return pgettext("list separator", ", ")


@dataclass(frozen=True)
class OfferingCard:
    offering: Offering
    credits: str
    teachers: str
    times: list[str]
    rooms: str
    who: list[str]


def lecture_text(entry: TimetableEntry) -> str:
    """ "Wednesday, periods 5–6, weeks 1–16 (odd weeks)" in the user's language."""
    periods = _("periods %(first)s–%(last)s") % {
        "first": entry.period_start,
        "last": entry.period_start + entry.length - 1,
    }
    weeks = _("weeks %(first)s–%(last)s") % {"first": entry.week_start, "last": entry.week_end}
    if entry.week_parity != WeekParity.ALL:
        weeks = f"{weeks} ({WeekParity(entry.week_parity).label})"
    return _("%(day)s, %(periods)s, %(weeks)s") % {
        "day": Weekday(entry.weekday).label,
        "periods": periods,
        "weeks": weeks,
    }


def who_may_take(offering: Offering) -> list[str]:
    """The majors, grades and prerequisites of an offering as sentences; one sentence when
    anyone of the school may take it."""
    lines = []
    majors = [m.name for m in offering.eligible_majors.all()]
    if majors:
        lines.append(_("Majors: %(names)s") % {"names": _separator().join(majors)})
    if offering.eligible_grades:
        grades = [_("grade %(year)s") % {"year": y} for y in offering.eligible_grades]
        lines.append(_("Grades: %(years)s") % {"years": _separator().join(grades)})
    if offering.prerequisites:
        lines.append(
            _("After passing: %(codes)s") % {"codes": _separator().join(offering.prerequisites)}
        )
    return lines or [_("Open to every major and grade of the school")]


def _entries_by_task(offerings: list[Offering]) -> dict[int, list[TimetableEntry]]:
    entries: dict[int, list[TimetableEntry]] = defaultdict(list)
    found = (
        TimetableEntry.objects.filter(task_id__in=[o.task_id for o in offerings])
        .select_related("room")
        .order_by("weekday", "period_start", "id")
    )
    for entry in found:
        entries[entry.task_id].append(entry)
    return entries


def offering_cards(*, offerings: Iterable[Offering]) -> list[OfferingCard]:
    """Cards of offerings fetched by ``selectors.offering_list_for`` (one more query)."""
    rows = list(offerings)
    entries = _entries_by_task(rows)
    return [_card(offering, entries[offering.task_id]) for offering in rows]


def _card(offering: Offering, entries: list[TimetableEntry]) -> OfferingCard:
    teachers: list[Any] = list(offering.task.teachers.all())
    rooms = sorted({str(e.room) for e in entries if e.room is not None})
    return OfferingCard(
        offering=offering,
        credits=credits_text(offering.task.course.credits),
        teachers=_separator().join(t.get_full_name() or t.get_username() for t in teachers),
        times=[lecture_text(e) for e in entries],
        rooms=_separator().join(rooms),
        who=who_may_take(offering),
    )
