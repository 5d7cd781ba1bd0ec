"""Today's lessons of a teacher or a student, for their home page.

A read over the current terms of the person's schools: the weekly timetable expanded to dated
lectures with holidays, make-up days, training weeks and approved adjustments (the same
expansion as the timetable pages), kept to one day. Teaching registers the home panel here, so
core's dashboard never imports teaching (ADR-0001).
"""

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.teaching import selectors
from openvet.teaching.models import BellPeriod, Room, Term, TimetableEntry

TODAY_ROLES = frozenset({Role.TEACHER, Role.STUDENT})


@dataclass(frozen=True)
class LessonInfo:
    """One lecture of the day, as the home page lists it."""

    period_start: int
    period_end: int
    starts_at: time | None
    ends_at: time | None
    course: str
    room: str
    classes: str
    kind: str  # "normal", "moved" (to a make-up day) or "makeup"


def _current_terms(actor: Actor, day: date) -> list[Term]:
    return [
        term
        for term in selectors.term_list_for(actor=actor).filter(start_date__lte=day)
        if day < term.start_date + timedelta(weeks=term.weeks)
    ]


def _entries_of(actor: Actor, term: Term) -> list[TimetableEntry]:
    # The panel names the course, room and classes of each lecture, not its teachers.
    return selectors.my_entries_for(user=actor, term=term, electives=False, teachers=False)


def lessons_today_for(*, actor: Actor, day: date | None = None) -> list[LessonInfo]:
    """The lectures ``actor`` teaches or attends on ``day`` (today), in period order."""
    day = day or timezone.localdate()
    lessons: list[LessonInfo] = []
    for term in _current_terms(actor, day):
        entries = _entries_of(actor, term)
        if not entries:
            continue
        tasks = {entry.task_id: entry.task for entry in entries}
        held = selectors.occurrences(term, entries, between=(day, day))
        if not held:
            continue
        rooms = {
            room.pk: str(room)
            for room in Room.objects.filter(pk__in={o.room_id for o in held if o.room_id})
        }
        bells = {b.number: b for b in BellPeriod.objects.filter(org_id=term.org_id)}
        for occurrence in held:
            task = tasks[occurrence.task_id]
            end = occurrence.period_start + occurrence.length - 1
            first, last = bells.get(occurrence.period_start), bells.get(end)
            lessons.append(
                LessonInfo(
                    period_start=occurrence.period_start,
                    period_end=end,
                    starts_at=first.starts_at if first else None,
                    ends_at=last.ends_at if last else None,
                    course=task.course.name,
                    room=rooms.get(occurrence.room_id or 0, ""),
                    classes=", ".join(c.name for c in task.classes.all()),
                    kind=occurrence.kind,
                )
            )
    return sorted(lessons, key=lambda lesson: (lesson.period_start, lesson.course))


def build_today(user: Any) -> dict[str, Any] | None:
    """The home panel of teachers and students; other roles do not attend lectures."""
    if not {grant.role for grant in policy.current_grants(user)} & TODAY_ROLES:
        return None
    day = timezone.localdate()
    return {
        "title": _("Today's lessons"),
        "icon": "calendar-check",
        "day": day,
        "lessons": lessons_today_for(actor=user, day=day),
    }


def register() -> None:
    from openvet.core.shell import DashboardPanel, register_dashboard_panel

    register_dashboard_panel(
        DashboardPanel(
            key="teaching.today",
            template="teaching/panels/_today.html",
            capability=None,
            build=build_today,
            order=3,
        )
    )
