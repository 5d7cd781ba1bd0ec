"""The counsellor's attendance-rate page: per class and per student, scoped to their classes."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.roles import Role
from openvet.core.shell import nav_items_for
from openvet.identity.models import User
from openvet.identity.tests.factories import user_with_role
from openvet.identity.tests.support import sign_in
from openvet.teaching.attendance import codes, selectors, services
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, student_in, task_of
from openvet.teaching.tests.test_attendance_services import MONDAY, _at

pytestmark = pytest.mark.django_db
URL = "teaching:attendance-rates"


def _client(user: User) -> Client:
    return sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), user)


def _two_lectures_one_attended(campus: Campus) -> tuple[object, object]:
    """Class A: the campus student attends one of two lectures, a classmate none."""
    present = campus_student(campus)
    absent = student_in(campus)
    task = task_of(campus, classes=[campus.class_a], weekday=1, period=1)
    for week in range(2):
        day = MONDAY + timedelta(weeks=week)
        session = services.session_open(actor=campus.teacher, task=task, day=day, period_start=1)
        if week == 0:
            now = _at(8, 1, day)
            services.sign_in(
                actor=campus.student,
                session=session,
                code=codes.current_code(session.pk, now)[0],
                now=now,
            )
        services.session_close(actor=campus.teacher, session=session)
    return present, absent


def test_rates_per_class_and_per_student(campus: Campus) -> None:
    present, absent = _two_lectures_one_attended(campus)
    counsellor = user_with_role(Role.COUNSELLOR, campus.department)

    classes = selectors.attendance_by_class(actor=counsellor, term_id=campus.term.pk)

    by_name = {c.class_unit.name: c for c in classes}
    assert set(by_name) == {campus.class_a.name, campus.class_b.name}
    class_a = by_name[campus.class_a.name]
    assert (class_a.total.sessions, class_a.total.attended, str(class_a.total.rate)) == (
        4,
        1,
        "25.0",
    )
    assert [(r.label, str(r.rate)) for r in class_a.students] == sorted(
        [
            (f"{present.student_number} {present.name}", "50.0"),  # type: ignore[attr-defined]
            (f"{absent.student_number} {absent.name}", "0.0"),  # type: ignore[attr-defined]
        ]
    )
    assert by_name[campus.class_b.name].total.sessions == 0


def test_rates_page_shows_the_counsellors_classes_and_students(campus: Campus) -> None:
    present, _absent = _two_lectures_one_attended(campus)
    counsellor = user_with_role(Role.COUNSELLOR, campus.department)
    client = _client(counsellor)

    overview = client.get(reverse(URL)).content.decode()
    detail = client.get(reverse(URL), {"class": campus.class_a.pk}).content.decode()

    assert campus.class_a.name in overview
    assert "25.0%" in overview
    assert present.student_number in detail  # type: ignore[attr-defined]
    assert "50.0%" in detail


def test_another_schools_counsellor_sees_nothing_of_this_school(
    campus: Campus, other: Campus
) -> None:
    _two_lectures_one_attended(campus)
    stranger = user_with_role(Role.COUNSELLOR, other.department)

    classes = selectors.attendance_by_class(actor=stranger, term_id=campus.term.pk)
    page = _client(stranger).get(reverse(URL), {"class": campus.class_a.pk})

    assert campus.class_a.pk not in {c.class_unit.pk for c in classes}
    assert page.status_code == 200
    assert campus.class_a.name not in page.content.decode()


def test_a_teacher_without_classes_to_look_after_is_refused(campus: Campus) -> None:
    assert _client(campus.teacher).get(reverse(URL)).status_code == 403


def test_the_page_is_in_the_counsellors_navigation(campus: Campus) -> None:
    counsellor = user_with_role(Role.COUNSELLOR, campus.department)

    assert "teaching-attendance-rates" in {i.key for i in nav_items_for(counsellor)}
    assert "teaching-attendance-rates" not in {i.key for i in nav_items_for(campus.teacher)}


def test_rates_count_absences_as_times_and_a_class_without_lectures_says_so(
    campus: Campus,
) -> None:
    _present, absent = _two_lectures_one_attended(campus)
    counsellor = user_with_role(Role.COUNSELLOR, campus.department)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), counsellor)

    overview = client.get(reverse(URL)).content.decode()
    detail = client.get(reverse(URL), {"class": campus.class_a.pk}).content.decode()

    assert ("缺勤次数" in overview, "尚无课次" in overview, "100.0%" in overview) == (
        True,
        True,
        False,
    )
    assert "缺勤 2 次，请假 0 次" in detail  # the classmate missed both lectures
    assert "人" not in detail.split(absent.name)[1].split("</li>")[0]  # type: ignore[attr-defined]


def test_absences_reach_the_early_warning_rules_per_account(campus: Campus, other: Campus) -> None:
    present, absent = _two_lectures_one_attended(campus)
    since = _at(0, 0, MONDAY - timedelta(days=1))
    counts = selectors.absences_by_account(campus.school.pk, since)
    assert counts == {present.user_id: 1, absent.user_id: 2}  # type: ignore[attr-defined]
    assert selectors.absences_by_account(other.school.pk, since) == {}
    second_week = _at(0, 0, MONDAY + timedelta(days=1))
    assert selectors.absences_by_account(campus.school.pk, second_week) == {
        present.user_id: 1,  # type: ignore[attr-defined]
        absent.user_id: 1,  # type: ignore[attr-defined]
    }
