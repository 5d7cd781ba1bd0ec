import pytest
from django.test import Client

from openvet.identity.api.testing import bearer
from openvet.teaching.models import SolverRun, SolverStatus, TimetableEntry
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import (
    EntryFactory,
    RoomFactory,
    SolverRunFactory,
    TeachingTaskFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/teaching"


def lecture(campus: Campus) -> TimetableEntry:
    task = TeachingTaskFactory(
        term=campus.term, org=campus.class_a, classes=[campus.class_a], teachers=[campus.teacher]
    )
    return EntryFactory(task=task, room=RoomFactory(org=campus.school), week_end=2)


def test_terms_are_listed_per_school(campus: Campus, other: Campus, client: Client) -> None:
    body = client.get(f"{API}/terms", headers=bearer(campus.admin)).json()
    assert (body["count"], body["items"][0]["id"], body["items"][0]["school_id"]) == (
        1,
        campus.term.pk,
        campus.school.pk,
    )


def test_anonymous_gets_401(campus: Campus, client: Client) -> None:
    assert client.get(f"{API}/terms").status_code == 401


def test_task_list_with_query_budget(
    campus: Campus, client: Client, django_assert_max_num_queries: object
) -> None:
    for _ in range(3):
        lecture(campus)
    headers = bearer(campus.admin)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        body = client.get(f"{API}/terms/{campus.term.pk}/tasks", headers=headers).json()
    assert body["count"] == 3
    assert body["items"][0]["class_ids"] == [campus.class_a.pk]
    assert body["items"][0]["teacher_ids"] == [campus.teacher.pk]


def test_timetable_of_another_school_is_404(campus: Campus, other: Campus, client: Client) -> None:
    lecture(campus)
    response = client.get(f"{API}/terms/{campus.term.pk}/entries", headers=bearer(other.admin))
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_entry_clash_is_409_and_nothing_written(campus: Campus, client: Client) -> None:
    entry = lecture(campus)
    second = TeachingTaskFactory(
        term=campus.term, org=campus.class_b, classes=[campus.class_b], teachers=[campus.teacher]
    )
    response = client.post(
        f"{API}/terms/{campus.term.pk}/entries",
        {"task_id": second.pk, "weekday": entry.weekday, "period_start": 1, "length": 1},
        content_type="application/json",
        headers=bearer(campus.admin),
    )
    assert (response.status_code, response.json()["code"]) == (409, "timetable_clash")
    assert TimetableEntry.objects.count() == 1


def test_entry_create(campus: Campus, client: Client) -> None:
    task = TeachingTaskFactory(term=campus.term, org=campus.class_a, classes=[campus.class_a])
    response = client.post(
        f"{API}/terms/{campus.term.pk}/entries",
        {"task_id": task.pk, "weekday": 2, "period_start": 3, "length": 2, "week_parity": "odd"},
        content_type="application/json",
        headers=bearer(campus.admin),
    )
    assert response.status_code == 201
    assert (response.json()["weekday"], response.json()["week_parity"]) == (2, "odd")


def test_teacher_cannot_create_entries(campus: Campus, client: Client) -> None:
    task = TeachingTaskFactory(
        term=campus.term, org=campus.class_a, classes=[campus.class_a], teachers=[campus.teacher]
    )
    response = client.post(
        f"{API}/terms/{campus.term.pk}/entries",
        {"task_id": task.pk, "weekday": 2, "period_start": 3},
        content_type="application/json",
        headers=bearer(campus.teacher),
    )
    assert response.status_code == 403
    assert not TimetableEntry.objects.exists()


def test_student_gets_own_dated_lectures(campus: Campus, client: Client) -> None:
    lecture(campus)
    body = client.get(
        f"{API}/lectures?term_id={campus.term.pk}", headers=bearer(campus.student)
    ).json()
    assert body["count"] == 2
    assert [(item["date"], item["kind"]) for item in body["items"]] == [
        ("2025-09-01", "normal"),
        ("2025-09-08", "normal"),
    ]


def test_student_cannot_read_a_class_timetable(campus: Campus, client: Client) -> None:
    lecture(campus)
    response = client.get(
        f"{API}/terms/{campus.term.pk}/entries?class_id={campus.class_a.pk}",
        headers=bearer(campus.student),
    )
    assert response.status_code == 404


def test_publish_of_another_school_is_404_and_changes_nothing(
    campus: Campus, other: Campus, client: Client
) -> None:
    run = SolverRunFactory(term=campus.term, status=SolverStatus.FINISHED, best_hard=0)
    response = client.post(f"{API}/solver-runs/{run.pk}/publish", headers=bearer(other.admin))
    assert response.status_code == 404
    assert SolverRun.objects.get(pk=run.pk).status == SolverStatus.FINISHED


def test_solver_run_is_read_by_its_school(campus: Campus, client: Client) -> None:
    run = SolverRunFactory(term=campus.term, status=SolverStatus.RUNNING, progress=0.25)
    body = client.get(f"{API}/solver-runs/{run.pk}", headers=bearer(campus.admin)).json()
    assert (body["status"], body["progress"]) == ("running", 0.25)
