"""Course selection through both rounds: a student ranks courses in a preference round, the
administrator closes the round early and draws its lottery with a recorded seed, the student
sees the seat; in the first-come round the student is refused a course that has just filled,
drops and adds. A second journey reads the course cards, searches, meets the round's credit
limit and finds the course taken in the week timetable.

Not under test here, so seeded before the browser starts: the demo term with its open
first-come round (``openvet demo``), the extra preference round and a one-seat course.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from openvet.core.errors import DomainError
from openvet.records.models import Student
from openvet.teaching import selectors as teaching_selectors
from openvet.teaching.calendar import WeekPattern
from openvet.teaching.models import Room, TimetableEntry
from openvet.teaching.selection import credits, services
from openvet.teaching.selection.cards import lecture_text, who_may_take
from openvet.teaching.selection.models import Offering, RoundKind, Selection, SelectionRound
from openvet.teaching.selection.rules import credits_text
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr
from tests.e2e.teaching_support import demo_term, student_record

ROUND = "补选志愿"
SEED = "20270301"


def _fits_the_timetable(student: Student, offering: Offering) -> bool:
    try:
        services.check_clash(student, offering)
    except DomainError:
        return False
    return True


def _free_offerings(student: Student) -> list[Offering]:
    """Offerings open to the student's grade, not of their own class, not already theirs, at
    times free in their timetable."""
    held = Selection.objects.filter(student=student).values("offering_id")
    return [
        o
        for o in Offering.objects.exclude(pk__in=held)
        .exclude(task__classes=student.class_unit)
        .select_related("task__course")
        .order_by("task__course__code")
        if student.grade_year in o.eligible_grades
        and o.seats_left
        and _fits_the_timetable(student, o)
    ]


def _card(page: Page, offering: Offering) -> Locator:
    course = offering.task.course
    return page.get_by_role("article").filter(
        has=page.get_by_role("heading", name=f"{course.code} {course.name}")
    )


def _rival(offering: Offering, student: Student) -> Student:
    """Another student of the same grade, with an account, who may take the offering."""
    rival = (
        Student.objects.filter(school=student.school, grade_year=student.grade_year)
        .exclude(pk=student.pk)
        .exclude(class_unit__in=offering.task.classes.all())
        .exclude(user__isnull=True)
        .select_related("user")
        .order_by("student_number")
        .first()
    )
    assert rival is not None
    return rival


def _open_preference_round(teaching: Campus) -> SelectionRound:
    now = timezone.now()
    return services.round_create(
        actor=teaching.user("admin1"),
        term=demo_term(teaching.home("admin1")),
        name=ROUND,
        kind=RoundKind.PREFERENCE,
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=1),
    )


def test_electives_through_the_preference_and_first_come_rounds(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    admin = teaching.user("admin1")
    student = student_record(teaching.user("student1"))
    wanted, contested, other = _free_offerings(student)[:3]
    services.offering_set_capacity(actor=admin, offering=contested, capacity=contested.taken + 1)
    preference_round = _open_preference_round(teaching)

    # The student ranks a course first in the open preference round.
    sign_in(second_page, "student1", teaching.password)
    open_nav(second_page, tr("Course selection"))
    second_page.get_by_role("listitem").filter(has_text=ROUND).get_by_role(
        "link", name=tr("Rank my choices")
    ).click()
    course = wanted.task.course
    second_page.get_by_label(tr("Choice %(n)s", n=1)).select_option(
        label=f"{course.code} {course.name}"
    )
    second_page.get_by_role("button", name=tr("Save my choices")).click()
    expect(second_page.get_by_role("alert").first).to_contain_text(tr("Your choices were saved."))
    checkpoint(second_page, "ranked")

    # The administrator closes the round now and draws with a recorded seed.
    sign_in(page, "admin1", teaching.password)
    page.goto(reverse("teaching:round-admin", args=[preference_round.term_id]))
    page.get_by_role("row").filter(has_text=ROUND).get_by_role(
        "link", name=tr("Close now and run the lottery")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("Close round now and run the lottery")
    )
    page.get_by_label(tr("Seed (empty: a random seed, recorded)")).fill(SEED)
    checkpoint(page, "close-round")
    page.get_by_role("button", name=tr("Close round now and run the lottery")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("The round is closed and the lottery has assigned the seats.")
    )
    expect(page.get_by_role("row").filter(has_text=ROUND)).to_contain_text(SEED)
    checkpoint(page, "lottery")
    assert SelectionRound.objects.get(pk=preference_round.pk).closes_at <= timezone.now()

    # The student sees the seat; in the first-come round the last seat of a course goes to
    # another student between the page load and the click.
    second_page.get_by_role("link", name=tr("Back")).click()
    mine = second_page.get_by_role("region", name=tr("My selections"))
    expect(mine).to_contain_text(course.name)
    expect(_card(second_page, contested)).to_contain_text(tr("Select"))
    services.selection_create(actor=_rival(contested, student).user, offering=contested)
    _card(second_page, contested).get_by_role("button", name=tr("Select")).click()
    expect(second_page.get_by_role("alert").first).to_contain_text(tr("This course is full."))
    assert not Selection.objects.filter(student=student, offering=contested).exists()
    checkpoint(second_page, "full")

    # Drop and add.
    mine = second_page.get_by_role("region", name=tr("My selections"))
    mine.get_by_role("listitem").filter(has_text=course.name).get_by_role(
        "button", name=tr("Drop")
    ).click()
    expect(second_page.get_by_role("alert").first).to_contain_text(tr("The course was dropped."))
    _card(second_page, other).get_by_role("button", name=tr("Select")).click()
    expect(second_page.get_by_role("alert").first).to_contain_text(
        tr("You have a seat in this course.")
    )
    mine = second_page.get_by_role("region", name=tr("My selections"))
    expect(mine).to_contain_text(other.task.course.name)
    expect(mine).not_to_contain_text(course.name)
    checkpoint(second_page, "changed")
    assert Selection.objects.filter(student=student, offering=other).exists()
    assert not Selection.objects.filter(student=student, offering=wanted).exists()


def _apart(first: Offering, candidates: list[Offering]) -> Offering:
    """A candidate meeting on none of the weekdays of ``first`` (so it cannot clash with it)
    and worth some credits."""
    days = set(first.task.entries.values_list("weekday", flat=True))
    return next(
        o
        for o in candidates
        if o.task.course.credits > 0
        and not days & set(o.task.entries.values_list("weekday", flat=True))
    )


def _schedule(offering: Offering, student: Student) -> TimetableEntry:
    """The demo's electives are not timetabled yet: give ``offering`` a weekly lecture at a
    time free for the student's class, in a room free then."""
    task = offering.task
    busy = TimetableEntry.objects.filter(term=task.term, task__classes=student.class_unit)
    taken = {
        (day, start + n)
        for day, start, length in busy.values_list("weekday", "period_start", "length")
        for n in range(length)
    }
    periods = [b.number for b in teaching_selectors.bell_periods(task.term.org)]
    weekday, period = next(
        (day, period)
        for day in range(1, 6)
        for period in periods[:-1]
        if not {(day, period), (day, period + 1)} & taken
    )
    used_rooms = TimetableEntry.objects.filter(
        term=task.term, weekday=weekday, period_start__in=(period - 1, period, period + 1)
    ).values("room_id")
    room = Room.objects.filter(org=task.term.org).exclude(pk__in=used_rooms).order_by("pk").first()
    return TimetableEntry.objects.create(
        term=task.term,
        task=task,
        weekday=weekday,
        period_start=period,
        length=2,
        room=room,
        week_start=task.week_start,
        week_end=task.week_end,
    )


def _cap_the_open_round(student: Student, offering: Offering) -> SelectionRound:
    """Limit the open first-come round to the credits the student holds in it plus
    ``offering``'s: that course fits exactly, any further one is over the limit."""
    open_round = services.open_round(offering, RoundKind.FIRST_COME, timezone.now())
    used = credits.credits_used(student=student, selection_round=open_round)
    open_round.max_credits_per_student = used + offering.task.course.credits
    open_round.save(update_fields=["max_credits_per_student"])
    services.forget_rounds_on_commit(open_round.term_id, open_round.org_id)
    return open_round


def _lecture_week(offering: Offering) -> tuple[TimetableEntry, int]:
    entry = offering.task.entries.order_by("weekday", "period_start").first()
    assert entry is not None
    weeks = WeekPattern(entry.week_start, entry.week_end, entry.week_parity).weeks()
    return entry, min(weeks)


def test_cards_search_credit_limit_and_the_seat_in_the_timetable(
    page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    student = student_record(teaching.user("student1"))
    free = _free_offerings(student)
    first = next(o for o in free if o.task.course.credits > 0)
    _schedule(first, student)
    second = _apart(first, [o for o in free if o != first])
    open_round = _cap_the_open_round(student, first)
    used = credits.credits_used(student=student, selection_round=open_round)
    entry, week = _lecture_week(first)
    course = first.task.course

    # Before any click the card says when, where, how many credits, who teaches, the seats
    # left and who may take it; the page says the credits used of the limit.
    sign_in(page, "student1", teaching.password)
    open_nav(page, tr("Course selection"))
    card = _card(page, first)
    for fact in (
        lecture_text(entry),
        str(entry.room) if entry.room else tr("Not assigned yet"),
        credits_text(course.credits),
        *who_may_take(first),
        tr("%(left)s of %(capacity)s seats left", left=first.seats_left, capacity=first.capacity),
    ):
        expect(card).to_contain_text(fact)
    limit = tr(
        "%(name)s: %(used)s of %(cap)s credits used",
        name=open_round.name,
        used=credits_text(used),
        cap=credits_text(open_round.max_credits_per_student or 0),
    )
    expect(page.get_by_role("status").filter(has_text=open_round.name)).to_have_text(limit)
    checkpoint(page, "cards")

    # The search finds the course by its code and leaves the others out.
    page.get_by_label(tr("Course or teacher")).fill(course.code)
    page.get_by_role("button", name=tr("Search")).click()
    expect(page.get_by_role("article")).to_have_count(1)
    expect(_card(page, first)).to_be_visible()
    checkpoint(page, "search")
    page.get_by_role("link", name=tr("Clear")).click()

    # The course that fits is taken; the next one would pass the limit and is refused.
    _card(page, first).get_by_role("button", name=tr("Select")).click()
    expect(page.get_by_role("alert").first).to_contain_text(tr("You have a seat in this course."))
    _card(page, second).get_by_role("button", name=tr("Select")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr(
            "This course has %(credits)s credits: with the %(used)s you already hold in this "
            "round it would exceed the limit of %(cap)s credits.",
            credits=credits_text(second.task.course.credits),
            used=credits_text(used + course.credits),
            cap=credits_text(open_round.max_credits_per_student or 0),
        )
    )
    checkpoint(page, "credit-limit")
    assert not Selection.objects.filter(student=student, offering=second).exists()

    # The seat is in the student's week timetable.
    page.goto(f"{reverse('teaching:my-timetable')}?week={week}")
    expect(page.get_by_role("main")).to_contain_text(course.name)
    checkpoint(page, "timetable")
