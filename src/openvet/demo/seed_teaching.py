"""Daily teaching for the demo's first college: the term around the day of seeding with its
programmes, teaching tasks, a first timetable, elective offerings and selection rounds
(``teaching.services.demo``), after the two terms before it with their timetables, attendance
and locked grades (``seed_history``), and requests in every approval state (``seed_approvals``).

Run by ``openvet demo`` after the org tree, accounts and records exist; idempotent, so a demo
seeded before teaching existed gets it on the next run, and a demo seeded again in a later term
gets that term too.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from openvet.core.errors import NotFound
from openvet.demo.seed_approvals import seed_approvals
from openvet.demo.seed_history import seed_history
from openvet.teaching.services.demo import demo_school_admin, seed_demo_teaching

# The first college's administrator in the demo plan (``plan.FEATURED_ACCOUNTS``).
DEMO_SCHOOL_ADMIN = "admin1"


@dataclass(frozen=True)
class TeachingCounts:
    term: str  # e.g. 2026-2027-1
    tasks: int
    lectures: int
    offerings: int
    rounds: int
    earlier_terms: int = 0  # earlier terms given a history by this run
    attendance_records: int = 0
    grades: int = 0
    requests: int = 0  # leave, grade changes, adjustments and status changes under approval


def seed_teaching(today: date | None = None) -> TeachingCounts | None:
    """Seed the teaching demo around ``today`` (default: the local date); None when the demo's
    first college is not there."""
    try:
        actor, school = demo_school_admin(DEMO_SCHOOL_ADMIN)
    except NotFound:
        return None
    today = today or timezone.localdate()
    # The earlier terms first, so that programmes are created oldest intake first.
    history = seed_history(actor=actor, school=school, today=today)
    result = seed_demo_teaching(actor=actor, school=school, today=today)
    approvals = seed_approvals(school=school, term=result.term.term, today=today)
    return TeachingCounts(
        term=str(result.term.term),
        tasks=result.term.tasks,
        lectures=result.lectures,
        offerings=result.offerings,
        rounds=result.rounds,
        earlier_terms=history.terms,
        attendance_records=history.records,
        grades=history.grades,
        requests=sum(
            (approvals.leave, approvals.grade_changes, approvals.adjustments),
            approvals.status_changes,
        ),
    )
