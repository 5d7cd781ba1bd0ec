"""Pages: what each role sees, and that another school's admin gets 404 and changes nothing."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from openvet.identity.tests.support import sign_in
from openvet.teaching.models import CalendarDay, SolverRun, SolverStatus, TimetableEntry
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import (
    CalendarDayFactory,
    CourseFactory,
    EntryFactory,
    ProgrammeFactory,
    RoomFactory,
    SolverRunFactory,
    TeachingTaskFactory,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def lecture(campus: Campus) -> TimetableEntry:
    task = TeachingTaskFactory(
        term=campus.term,
        org=campus.class_a,
        classes=[campus.class_a],
        teachers=[campus.teacher],
        course=CourseFactory(org=campus.school, name="Hydraulics"),
    )
    return EntryFactory(task=task, room=RoomFactory(org=campus.school))


def staff_pages(campus: Campus, entry: TimetableEntry) -> list[str]:
    term = campus.term.pk
    return [
        reverse("teaching:term-list"),
        reverse("teaching:term-detail", args=[term]),
        reverse("teaching:task-list", args=[term]),
        reverse("teaching:timetable-index", args=[term]),
        reverse("teaching:timetable", args=[term, "class", campus.class_a.pk]),
        reverse("teaching:timetable", args=[term, "teacher", campus.teacher.pk]),
        reverse("teaching:timetable", args=[term, "room", entry.room_id]),
        reverse("teaching:adjustment-list", args=[term]),
        reverse("teaching:room-list", args=[campus.school.pk]),
        reverse("teaching:course-list", args=[campus.school.pk]),
        reverse("teaching:bell-schedule", args=[campus.school.pk]),
        reverse("teaching:programme-list"),
        reverse("teaching:my-timetable"),
        reverse("teaching:notice-list"),
    ]


def test_admin_sees_every_page(campus: Campus, client: Client) -> None:
    entry = lecture(campus)
    sign_in(client, campus.admin)
    for url in [
        *staff_pages(campus, entry),
        reverse("teaching:solver", args=[campus.term.pk]),
        reverse("teaching:task-edit", args=[entry.task_id]),
    ]:
        assert client.get(url, **EN).status_code == 200, url


def test_teacher_sees_timetables_but_not_the_solver(campus: Campus, client: Client) -> None:
    entry = lecture(campus)
    sign_in(client, campus.teacher)
    for url in staff_pages(campus, entry):
        assert client.get(url, **EN).status_code == 200, url
    assert client.get(reverse("teaching:solver", args=[campus.term.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(campus: Campus, client: Client) -> None:
    response = client.get(reverse("teaching:timetable-index", args=[campus.term.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:login"))


def test_admin_of_another_school_gets_404_everywhere(
    campus: Campus, other: Campus, client: Client
) -> None:
    entry = lecture(campus)
    sign_in(client, other.admin)
    for url in staff_pages(campus, entry)[1:11]:
        assert client.get(url).status_code == 404, url
    run = SolverRunFactory(term=campus.term, status=SolverStatus.FINISHED, best_hard=0)
    assert client.get(reverse("teaching:solver-run", args=[run.pk])).status_code == 404
    assert client.get(reverse("teaching:task-edit", args=[entry.task_id])).status_code == 404


def test_admin_of_another_school_changes_nothing(
    campus: Campus, other: Campus, client: Client
) -> None:
    entry = lecture(campus)
    sign_in(client, other.admin)
    term = campus.term.pk
    posts = [
        (reverse("teaching:term-detail", args=[term]), {"day": "2025-10-01", "kind": "holiday"}),
        (reverse("teaching:entry-delete", args=[entry.pk]), {}),
        (reverse("teaching:task-edit", args=[entry.task_id]), {"weekly_hours": 9}),
        (reverse("teaching:task-generate", args=[term]), {}),
        (reverse("teaching:solver", args=[term]), {"time_limit": 1, "seed": 0}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert (
        CalendarDay.objects.count(),
        TimetableEntry.objects.count(),
        SolverRun.objects.count(),
    ) == (0, 1, 0)


def test_student_sees_own_class_only(campus: Campus, client: Client) -> None:
    lecture(campus)
    sign_in(client, campus.student)
    own = client.get(
        reverse("teaching:timetable", args=[campus.term.pk, "class", campus.class_a.pk]), **EN
    )
    assert own.status_code == 200
    assert "Hydraulics" in own.content.decode()
    for url in [
        reverse("teaching:timetable", args=[campus.term.pk, "class", campus.class_b.pk]),
        reverse("teaching:timetable", args=[campus.term.pk, "teacher", campus.teacher.pk]),
        reverse("teaching:term-detail", args=[campus.term.pk]),
        reverse("teaching:task-list", args=[campus.term.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_student_of_another_school_sees_nothing(
    campus: Campus, other: Campus, client: Client
) -> None:
    lecture(campus)
    sign_in(client, other.student)
    url = reverse("teaching:timetable", args=[campus.term.pk, "class", campus.class_a.pk])
    assert client.get(url).status_code == 404


def test_my_timetable_shows_the_week_for_a_student(campus: Campus, client: Client) -> None:
    lecture(campus)
    sign_in(client, campus.student)
    response = client.get(reverse("teaching:my-timetable") + "?week=1", **EN)
    body = response.content.decode()
    assert "Hydraulics" in body
    assert "Week 1" in body
    assert "/teaching/feed/" in body


def test_holiday_empties_that_day_in_the_week_view(campus: Campus, client: Client) -> None:
    lecture(campus)
    CalendarDayFactory(term=campus.term, date=date(2025, 9, 1), name="Founders' Day")
    sign_in(client, campus.student)
    body = client.get(reverse("teaching:my-timetable") + "?week=1", **EN).content.decode()
    assert "Hydraulics" not in body
    assert body.count("Founders&#x27; Day") == 1  # the day's heading, drawn once


def test_clashing_manual_edit_is_refused_with_its_message(campus: Campus, client: Client) -> None:
    entry = lecture(campus)
    second = TeachingTaskFactory(
        term=campus.term, org=campus.class_b, classes=[campus.class_b], teachers=[campus.teacher]
    )
    sign_in(client, campus.admin)
    response = client.post(
        reverse("teaching:entry-create", args=[campus.term.pk]),
        {
            "task": second.pk,
            "weekday": entry.weekday,
            "period_start": 1,
            "length": 1,
            "week_parity": "all",
        },
        follow=True,
        **EN,
    )
    assert "is already booked for Hydraulics" in response.content.decode()
    assert TimetableEntry.objects.count() == 1


def test_clashes_are_highlighted(campus: Campus, client: Client) -> None:
    entry = lecture(campus)
    second = TeachingTaskFactory(
        term=campus.term, org=campus.class_b, classes=[campus.class_b], teachers=[campus.teacher]
    )
    EntryFactory(task=second, weekday=entry.weekday)
    sign_in(client, campus.admin)
    url = reverse("teaching:timetable", args=[campus.term.pk, "teacher", campus.teacher.pk])
    body = client.get(url + "?week=1", **EN).content.decode()
    assert body.count("text-bg-danger") == 2  # two lectures, each drawn once


def test_admin_creates_a_term(campus: Campus, client: Client) -> None:
    sign_in(client, campus.admin)
    response = client.post(
        reverse("teaching:term-create"),
        {
            "school": campus.school.pk,
            "academic_year": 2025,
            "number": 2,
            "start_date": "2026-03-02",
            "weeks": 18,
            "teaching_days": 5,
        },
    )
    assert response.status_code == 302


def test_term_on_a_tuesday_shows_the_error(campus: Campus, client: Client) -> None:
    sign_in(client, campus.admin)
    response = client.post(
        reverse("teaching:term-create"),
        {
            "school": campus.school.pk,
            "academic_year": 2025,
            "number": 2,
            "start_date": "2026-03-03",
            "weeks": 18,
            "teaching_days": 5,
        },
        **EN,
    )
    assert response.status_code == 422
    assert "A term starts on a Monday." in response.content.decode()


def test_programme_list_for_a_head(campus: Campus, client: Client) -> None:
    ProgrammeFactory(org=campus.major, name="Mechatronics 2025")
    sign_in(client, campus.head)
    body = client.get(reverse("teaching:programme-list"), **EN).content.decode()
    assert "Mechatronics 2025" in body


def test_solver_progress_fragment_for_htmx(campus: Campus, client: Client) -> None:
    run = SolverRunFactory(term=campus.term, status=SolverStatus.RUNNING, progress=0.5)
    sign_in(client, campus.admin)
    response = client.get(reverse("teaching:solver-run", args=[run.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.startswith('<div id="solver-run"')
    assert 'value="0.500"' in body


def test_solver_progress_names_the_phase_and_the_time_spent(campus: Campus, client: Client) -> None:
    run = SolverRunFactory(
        term=campus.term, status=SolverStatus.RUNNING, phase="preparing", time_limit=20
    )
    sign_in(client, campus.admin)
    url = reverse("teaching:solver-run", args=[run.pk])

    preparing = client.get(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="zh-hans").text
    SolverRun.objects.filter(pk=run.pk).update(phase="conflicts", progress=0.3)
    searching = client.get(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="zh-hans").text

    # While the problem is built the bar is indeterminate (no value), not stuck at 0 %.
    assert '<progress class="w-100 mb-3" id="solver-progress">准备中…</progress>' in preparing
    assert "正在读取教学任务、准备排课程序" in preparing
    assert '<span id="solver-phase">正在消除冲突</span>' in searching
    assert (
        '<span class="text-body-secondary" id="solver-elapsed">已用 6 秒，共 20 秒</span>'
        in searching
    )
    assert 'value="0.300"' in searching
