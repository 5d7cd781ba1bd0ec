"""Course selection through both rounds: a student ranks courses in a preference round, the
administrator closes the round early and draws its lottery with a recorded seed, the student
sees the seat; in the first-come round the student is refused a course that has just filled,
drops and adds.

Not under test here, so seeded before the browser starts: the demo term with its open
first-come round (``openvet demo``), the extra preference round and a one-seat course.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from openvet.core.errors import DomainError
from openvet.records.models import Student
from openvet.teaching.selection import services
from openvet.teaching.selection.models import Offering, RoundKind, Selection, SelectionRound
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr
from tests.e2e.teaching_support import (
    demo_term,
    second_page,
    student_record,
    teaching,
    teaching_snapshot,
)

__all__ = ["second_page", "teaching", "teaching_snapshot"]  # fixtures
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
