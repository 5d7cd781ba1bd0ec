"""Teaching's requests on the approval cards: a leave says 请假, who, the dates and why; a grade
sheet names the course and its classes and links to the scores."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.teaching.attendance import services as attendance
from openvet.teaching.grades import services as grades
from openvet.teaching.grades.models import Grade
from openvet.teaching.services import adjustments
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, task_of
from openvet.workflow import selectors as workflow_selectors
from openvet.workflow import services as workflow_services
from openvet.workflow.describe import request_cards

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)
MONDAY_OF_WEEK_2 = date(2025, 9, 8)  # of the factory term


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def test_a_leave_card_says_leave_who_when_and_why(campus: Campus) -> None:
    counsellor = user_with_role(Role.COUNSELLOR, campus.class_a)
    student = campus_student(campus)
    attendance.leave_request(
        actor=campus.student, date_from=MONDAY, date_to=date(2026, 3, 3), reason="Fever"
    )
    task = workflow_selectors.task_list_for(actor=counsellor).get()
    with override("en"):
        card = request_cards([task.instance])[task.instance_id]
        assert str(card.what) == "Leave request"
        assert card.reason == "Fever"
        assert [(str(f.label), str(f.value)) for f in card.facts] == [
            ("Student", f"{student.name} ({student.student_number})"),
            ("Dates", "2026-03-02 to 2026-03-03 (2 days)"),
        ]
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(counsellor)
    page = client.get(reverse("workflow:task-list")).content.decode()
    assert "请假申请" in page
    assert "2026-03-02 至 2026-03-03（2 天）" in page
    assert "Fever" in page


def test_a_grade_sheet_card_names_the_course_and_links_to_the_scores(campus: Campus) -> None:
    student = campus_student(campus)
    task = task_of(campus, classes=[campus.class_a])
    sheet = grades.sheet_open(actor=campus.teacher, task=task)
    grades.grades_enter(
        actor=campus.teacher, sheet=sheet, rows={student.pk: {"usual": 80, "final": 90}}
    )
    grades.sheet_submit(actor=campus.teacher, sheet=sheet)
    approval = workflow_selectors.task_list_for(actor=campus.head).get()
    with override("en"):
        card = request_cards([approval.instance])[approval.instance_id]
        assert str(card.what) == "Grade sheet approval"
        assert [(str(f.label), str(f.value)) for f in card.facts] == [
            ("Course", task.course.name),
            ("Classes", campus.class_a.name),
            ("Students graded", "1"),
        ]
    assert card.url == reverse("teaching:sheet-detail", args=[sheet.pk])
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(campus.head)
    assert client.get(card.url).status_code == 200


def test_a_grade_change_card_shows_old_and_new_scores_and_why(campus: Campus) -> None:
    student = campus_student(campus)
    task = task_of(campus, classes=[campus.class_a])
    sheet = grades.sheet_open(actor=campus.teacher, task=task)
    grades.grades_enter(
        actor=campus.teacher, sheet=sheet, rows={student.pk: {"usual": 80, "final": 80}}
    )
    grades.sheet_submit(actor=campus.teacher, sheet=sheet)
    for open_task in workflow_selectors.task_list_for(actor=campus.head):
        workflow_services.task_decide(actor=campus.head, task=open_task, decision="approve")
    grade = Grade.objects.get(student=student)
    grades.change_request(
        actor=campus.teacher, grade=grade, scores={"final": 90}, reason="Marking error"
    )
    approval = workflow_selectors.task_list_for(actor=campus.head).get()
    with override("en"):
        card = request_cards([approval.instance])[approval.instance_id]
        assert (str(card.what), card.reason) == ("Grade change", "Marking error")
        assert [(str(f.label), str(f.value)) for f in card.facts] == [
            ("Course", task.course.name),
            ("Student", f"{student.name} ({student.student_number})"),
            ("Scores", "Coursework 80.0, Final exam 80.0 → Final exam 90.0"),
        ]
    assert card.url == reverse("teaching:sheet-detail", args=[sheet.pk])


def test_a_reschedule_card_shows_the_lecture_before_and_after(campus: Campus) -> None:
    task = task_of(campus, classes=[campus.class_a])
    adjustments.adjustment_request(
        actor=campus.teacher,
        task=task,
        kind="reschedule",
        original_date=MONDAY_OF_WEEK_2,
        original_period_start=1,
        new_date=date(2025, 9, 10),
        new_period_start=5,
        reason="Conference",
    )
    approval = workflow_selectors.task_list_for(actor=campus.head).get()
    with override("en"):
        card = request_cards([approval.instance])[approval.instance_id]
        assert (str(card.what), card.reason) == ("Reschedule a lecture", "Conference")
        assert [(str(f.label), str(f.value)) for f in card.facts] == [
            ("Course", task.course.name),
            ("Lecture", "2025-09-08, period 1 → 2025-09-10, period 5"),
        ]
    assert card.url == reverse("teaching:adjustment-list", args=[campus.term.pk])
