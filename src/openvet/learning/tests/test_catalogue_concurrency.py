"""Learners racing for the last seats of a self-enrolment course, each thread on its own
database connection (ADR 0759).

PostgreSQL only: on SQLite the test database is in memory and writers are serialised anyway.
"""

import os
import threading
from typing import Any

import pytest
from django.db import connection

from openvet.core.errors import DomainError
from openvet.learning.catalogue import services
from openvet.learning.catalogue.models import Enrolment, EnrolmentPolicy, EnrolScope
from openvet.learning.models import OnlineCourse
from openvet.learning.tests.conftest import World

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _race(world: World, users: list[Any]) -> tuple[list[int], list[str]]:
    start = threading.Barrier(len(users))
    won: list[int] = []
    refused: list[str] = []

    def click(user: Any) -> None:
        try:
            start.wait()
            course = OnlineCourse.objects.get(pk=world.course.pk)
            won.append(services.enrol(actor=user, course=course).pk)
        except DomainError as exc:
            refused.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return won, refused


def test_two_learners_racing_for_the_last_seat_one_wins() -> None:
    world = World()
    other = world._student(world.campus.other_klass, "Second")
    services.enrolment_settings_save(
        actor=world.teacher, course=world.course, scope=EnrolScope.SCHOOL, capacity=1
    )
    won, refused = _race(world, [world.outsider, other])
    assert (len(won), refused) == (1, ["course_full"])
    assert Enrolment.objects.filter(course=world.course, ended_at__isnull=True).count() == 1
    assert EnrolmentPolicy.objects.get(course=world.course).taken == 1


def test_a_burst_never_gives_more_seats_than_there_are() -> None:
    world = World()
    users = [world._student(world.campus.other_klass, f"S{n}") for n in range(12)]
    users += users[:3]  # double clicks racing themselves
    services.enrolment_settings_save(
        actor=world.teacher, course=world.course, scope=EnrolScope.SCHOOL, capacity=4
    )
    won, refused = _race(world, users)
    active = set(
        Enrolment.objects.filter(course=world.course, ended_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    assert (len(active), EnrolmentPolicy.objects.get(course=world.course).taken) == (4, 4)
    assert set(won) == active
    assert set(refused) <= {"course_full", "conflict"}
