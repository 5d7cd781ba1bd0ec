import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openvet.core.errors import NotFound, PermissionDenied, ValidationFailed
from openvet.core.uploads import UploadRefused
from openvet.learning import selectors, services
from openvet.learning.models import Progress, QuestionKind, Unit, UnitKind
from openvet.learning.tests.conftest import World, mp4_bytes, video_file
from openvet.learning.tests.test_views import client_for
from openvet.teaching.tests.factories import TeachingTaskFactory


def test_an_oversized_video_is_refused_and_nothing_is_stored(world: World, settings: Any) -> None:
    settings.LEARNING_MAX_VIDEO_BYTES = 100
    with pytest.raises(UploadRefused):
        world.video_unit()
    assert not Unit.objects.filter(kind=UnitKind.VIDEO).exists()


def test_a_video_whose_length_cannot_be_read_is_refused(world: World) -> None:
    headless = SimpleUploadedFile("clip.mp4", mp4_bytes()[:24] + bytes(200))
    with pytest.raises(ValidationFailed) as refused:
        services.unit_add(
            actor=world.teacher,
            chapter=world.chapter,
            kind=UnitKind.VIDEO,
            title="Clip",
            file=headless,
        )
    assert set(refused.value.details) == {"file"}


def test_bad_questions_name_each_field(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.question_add(
            actor=world.teacher,
            course=world.course,
            kind=QuestionKind.SINGLE,
            text="",
            choices=["only one"],
            answer=[3],
        )
    assert set(refused.value.details) == {"text", "choices", "answer"}


def test_another_schools_teacher_cannot_change_anything(world: World, other_world: World) -> None:
    video = world.video_unit()
    with pytest.raises(PermissionDenied):
        services.unit_add(
            actor=other_world.teacher,
            chapter=world.chapter,
            kind=UnitKind.VIDEO,
            title="Mine",
            file=video_file(),
        )
    with pytest.raises(PermissionDenied):
        services.question_add(
            actor=other_world.teacher,
            course=world.course,
            kind=QuestionKind.TRUE_FALSE,
            text="?",
            answer=[True],
        )
    with pytest.raises(PermissionDenied):
        services.video_play(actor=other_world.student_user, unit=video, position=0)
    with pytest.raises(NotFound):
        selectors.unit_get_for(actor=other_world.student_user, unit_id=video.pk)
    assert Unit.objects.count() == 1
    assert not Progress.objects.exists()


def test_heartbeats_that_are_not_numbers_are_a_422(world: World) -> None:
    video = world.video_unit()
    client = client_for(world.student_user)
    url = reverse("learning:video-heartbeat", args=[video.pk])
    for body in ({"start": "NaN", "end": 5}, {"start": 0}, [1, 2], {"start": 1e308, "end": 2}):
        answer = client.post(url, json.dumps(body), content_type="application/json")
        assert answer.status_code == 422, body
    play = client.post(
        reverse("learning:video-play", args=[video.pk]),
        json.dumps({"position": 9999}),
        content_type="application/json",
    )
    assert play.status_code == 422
    assert not Progress.objects.filter(beat_at__isnull=False).exists()


def test_a_file_is_refused_to_another_school_and_ranges_are_checked(
    world: World, other_world: World
) -> None:
    video = world.video_unit()
    url = reverse("learning:unit-file", args=[video.pk])
    assert client_for(other_world.student_user).get(url).status_code == 404
    mine = client_for(world.student_user)
    assert mine.get(url, HTTP_RANGE="bytes=99999-").status_code == 416
    whole = mine.get(url)
    assert b"".join(whole.streaming_content) == mp4_bytes(60)


def test_the_learning_space_costs_the_same_whatever_the_number_of_courses(world: World) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            selectors.my_courses(actor=world.student_user)
        return len(seen)

    first = queries()
    for n in range(3):
        task = TeachingTaskFactory(
            term=world.term, classes=[world.campus.klass], teachers=[world.teacher]
        )
        services.course_create(actor=world.teacher, task=task, title=f"Course {n}")
    assert len(selectors.my_courses(actor=world.student_user)) == 4
    assert queries() == first
