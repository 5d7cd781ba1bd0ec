"""A teacher's learning space (ADR 0758): my courses with what waits (hand-ins to grade,
topics no teacher answered, live classes held), my lesson plans and resources; the public page
shown only while the teacher chooses, with nothing beyond what they wrote."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.learning import plan_services
from openvet.learning import services as learning
from openvet.learning.assignments import services as work
from openvet.learning.discussions import services as discuss
from openvet.learning.space import teacher_selectors as selectors
from openvet.learning.space import teacher_services as services
from openvet.learning.tests.conftest import World
from openvet.learning.tests.test_assignments import assignment_unit
from openvet.learning.tests.test_views import client_for
from openvet.teaching.tests.factories import TeachingTaskFactory


def test_courses_show_what_waits_for_the_teacher(world: World, other_world: World) -> None:
    assignment = assignment_unit(world, due=timedelta(days=1))
    work.submission_submit(actor=world.student_user, assignment=assignment, text="done")
    answered = discuss.topic_create(
        actor=world.student_user, course=world.course, title="Q1", body="why?"
    )
    discuss.post_reply(actor=world.teacher, topic=answered, body="because")
    discuss.topic_create(actor=world.student_user, course=world.course, title="Q2", body="how?")
    discuss.topic_create(actor=world.teacher, course=world.course, title="Notice", body="read")
    plan = plan_services.plan_create(actor=world.teacher, course=world.course, title="Week 1")
    space = selectors.teaching_space(actor=world.teacher)
    assert [(r.course, r.to_grade, r.unanswered, r.live_records) for r in space.courses] == [
        (world.course, 1, 1, 0)
    ]
    assert space.courses[0].plans == [plan]
    assert selectors.teaching_space(actor=other_world.teacher).courses[0].course == (
        other_world.course
    )
    assert selectors.teaching_space(actor=world.other_teacher).courses == []


def test_teaching_space_costs_the_same_queries_for_more_courses(world: World) -> None:
    client = client_for(world.teacher)
    url = reverse("learning:teacher-space")
    client.get(url)
    one_course = _queries(client, url)
    task = TeachingTaskFactory(
        term=world.term, classes=[world.campus.klass], teachers=[world.teacher]
    )
    course = learning.course_create(actor=world.teacher, task=task, title="Second", description="")
    plan_services.plan_create(actor=world.teacher, course=course, title="Week 1")
    assert _queries(client, url) == one_course


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_public_page_only_while_shown_and_never_for_students(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.profile_save(actor=world.student_user, shown=True, bio="me")
    with pytest.raises(ValidationFailed):
        services.profile_save(actor=world.teacher, shown=True, bio="x" * 2001)
    profile = services.profile_save(actor=world.teacher, shown=False, bio="数控车工技师")
    url = reverse("learning:teacher-profile", args=[profile.token])
    anonymous = client_for_anonymous()
    assert anonymous.get(url).status_code == 404
    services.profile_save(actor=world.teacher, shown=True, bio="数控车工技师")
    page = anonymous.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "数控车工技师" in text
    assert "CNC basics" in text
    assert "Teacher" in text
    assert anonymous.get(reverse("learning:teacher-profile", args=["guess"])).status_code == 404
    again = services.profile_save(actor=world.teacher, shown=False, bio="")
    assert again.token == profile.token
    assert anonymous.get(url).status_code == 404


def client_for_anonymous() -> Any:
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_teacher_space_page_for_teachers_only(world: World) -> None:
    url = reverse("learning:teacher-space")
    assert client_for(world.student_user).get(url).status_code == 403
    teacher = client_for(world.teacher)
    page = teacher.get(url).content.decode()
    assert "我的教学空间" in page
    assert "CNC basics" in page
    kept = teacher.post(url, {"shown": "on", "bio": "x" * 2001})
    assert kept.status_code == 422
    assert "x" * 2001 in kept.content.decode()
    assert teacher.post(url, {"shown": "on", "bio": "技师"}).status_code == 302
    assert "/learning/teachers/" in teacher.get(url).content.decode()
