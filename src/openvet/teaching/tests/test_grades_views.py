import pytest
from django.test import Client
from django.urls import reverse

from openvet.identity.models import User
from openvet.identity.tests.support import sign_in
from openvet.teaching.grades import services
from openvet.teaching.grades.models import Grade
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, student_in, task_of
from openvet.teaching.tests.html_support import by_id

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    return sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), user)


def test_teacher_enters_grades_on_the_page(campus: Campus) -> None:
    student = campus_student(campus)
    sheet = services.sheet_open(
        actor=campus.teacher, task=task_of(campus, classes=[campus.class_a])
    )
    url = reverse("teaching:sheet-detail", args=[sheet.pk])
    _client(campus.teacher).post(
        url, {f"g_{student.pk}_usual": "90", f"g_{student.pk}_final": "70"}
    )
    assert str(Grade.objects.get(student=student).total) == "76.0"


def test_sheet_page_role_matrix(campus: Campus, other: Campus) -> None:
    campus_student(campus)
    sheet = services.sheet_open(
        actor=campus.teacher, task=task_of(campus, classes=[campus.class_a])
    )
    url = reverse("teaching:sheet-detail", args=[sheet.pk])
    assert _client(campus.teacher).get(url).status_code == 200
    assert _client(campus.admin).get(url).status_code == 200
    assert _client(campus.teacher2).get(url).status_code == 404
    assert _client(campus.student).get(url).status_code == 404
    assert _client(other.teacher).get(url).status_code == 404
    assert _client(other.admin).get(url).status_code == 404


def test_transcript_is_the_students_own(campus: Campus) -> None:
    campus_student(campus)
    page = _client(campus.student).get(reverse("teaching:transcript"))
    assert (page.status_code, "transcript.css" in page.content.decode()) == (200, True)
    assert _client(campus.teacher).get(reverse("teaching:transcript")).status_code == 403


def test_a_bad_cell_keeps_every_typed_value_and_marks_only_the_bad_cells(campus: Campus) -> None:
    first, second, third = (student_in(campus) for _ in range(3))
    sheet = services.sheet_open(
        actor=campus.teacher, task=task_of(campus, classes=[campus.class_a])
    )
    url = reverse("teaching:sheet-detail", args=[sheet.pk])
    response = _client(campus.teacher).post(
        url,
        {
            f"g_{first.pk}_usual": "88",
            f"g_{first.pk}_final": "105",
            f"g_{second.pk}_usual": "abc",
            f"g_{second.pk}_final": "71.5",
            f"g_{third.pk}_usual": "60",
        },
    )
    page = by_id(response.content)

    def cell(student_id: int, kind: str) -> tuple[str, bool, str]:
        field = page[f"g_{student_id}_{kind}"]
        error = page.get(f"g_{student_id}_{kind}-error")
        return (field.attrs["value"], "is-invalid" in field.classes, error.text if error else "")

    assert response.status_code == 400
    assert [cell(s.pk, k) for s in (first, second, third) for k in ("usual", "final")] == [
        ("88", False, ""),
        ("105", True, "Enter a score from 0 to 100."),
        ("abc", True, "Enter a score from 0 to 100."),
        ("71.5", False, ""),
        ("60", False, ""),
        ("", False, ""),
    ]
    assert "Some grades are not valid; nothing was saved." in response.content.decode()
    assert Grade.objects.filter(sheet=sheet).count() == 0


def test_a_bad_cell_is_explained_in_chinese(campus: Campus) -> None:
    student = student_in(campus)
    sheet = services.sheet_open(
        actor=campus.teacher, task=task_of(campus, classes=[campus.class_a])
    )
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), campus.teacher)
    response = client.post(
        reverse("teaching:sheet-detail", args=[sheet.pk]), {f"g_{student.pk}_usual": "105"}
    )
    error = by_id(response.content)[f"g_{student.pk}_usual-error"]
    assert (response.status_code, error.text) == (400, "请输入 0 到 100 之间的分数。")
