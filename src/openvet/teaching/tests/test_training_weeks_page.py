"""A class in whole training weeks (实训, 岗位实习) instead of lessons: the class timetable and
the student's own timetable say so in words instead of showing an empty grid."""

import pytest
from django.test import Client
from django.urls import reverse

from openvet.identity.tests.support import sign_in
from openvet.teaching import services
from openvet.teaching.models import CourseType
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import CourseFactory, TeachingTaskFactory
from openvet.teaching.tests.test_views import lecture

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _placement(campus: Campus, weeks: range) -> None:
    """The class goes on 岗位实习 for ``weeks``; its lectures (Hydraulics) are suspended then."""
    task = TeachingTaskFactory(
        term=campus.term,
        org=campus.class_a,
        classes=[campus.class_a],
        teachers=[campus.teacher],
        weekly_hours=0,
        course=CourseFactory(
            org=campus.school, name="数控岗位实习", course_type=CourseType.PRACTICE
        ),
    )
    for week in weeks:
        services.training_week_set(
            actor=campus.admin, term=campus.term, class_unit=campus.class_a, week=week, task=task
        )


def _class_page(client: Client, campus: Campus, week: int) -> str:
    url = reverse("teaching:timetable", args=[campus.term.pk, "class", campus.class_a.pk])
    return client.get(url, {"week": week}, **ZH).content.decode()


def test_the_class_timetable_says_the_class_is_on_placement(campus: Campus) -> None:
    lecture(campus)
    _placement(campus, range(15, 19))
    client = sign_in(Client(), campus.student)  # staff also see the list of weekly lectures

    placement = _class_page(client, campus, 16)
    lessons = _class_page(client, campus, 3)

    notice = f"{campus.class_a.name}第 15–18 周为数控岗位实习，不安排课堂教学。"
    assert notice in placement
    assert "Hydraulics" not in placement
    assert "timetable-grid" not in placement  # no empty grid
    assert notice not in lessons
    assert "Hydraulics" in lessons


def test_a_single_training_week_without_a_task_is_named_in_words(campus: Campus) -> None:
    services.training_week_set(
        actor=campus.admin, term=campus.term, class_unit=campus.class_a, week=9
    )
    client = sign_in(Client(), campus.admin)

    page = _class_page(client, campus, 9)

    assert f"{campus.class_a.name}第 9 周为整周实训，不安排课堂教学。" in page


def test_the_students_own_timetable_says_so_too(campus: Campus) -> None:
    lecture(campus)
    _placement(campus, range(1, 19))
    client = sign_in(Client(), campus.student)

    page = client.get(reverse("teaching:my-timetable"), {"week": 4}, **ZH).content.decode()

    assert f"{campus.class_a.name}第 1–18 周为数控岗位实习，不安排课堂教学。" in page
    assert "Hydraulics" not in page


def test_a_teacher_sees_no_training_notice_for_classes_on_their_own_timetable(
    campus: Campus,
) -> None:
    lecture(campus)
    _placement(campus, range(15, 19))
    client = sign_in(Client(), campus.teacher)

    page = client.get(reverse("teaching:my-timetable"), {"week": 16}, **ZH).content.decode()

    assert "不安排课堂教学" not in page
