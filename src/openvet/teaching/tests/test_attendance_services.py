from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.translation import override

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.teaching.attendance import codes, selectors, services
from openvet.teaching.attendance.models import (
    AttendanceAlert,
    AttendanceRecord,
    AttendanceStatus,
    LeaveRequest,
    LeaveStatus,
    RoomLocation,
)
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, student_in, task_of
from openvet.teaching.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 9, 8)  # week 2 of the factory term; period 1 is 08:00-08:45


def _at(hour: int, minute: int, day: date = MONDAY) -> datetime:
    return datetime.combine(
        day, datetime.min.time().replace(hour=hour, minute=minute), timezone.get_current_timezone()
    )


def _session(campus: Campus, **kwargs: object):  # type: ignore[no-untyped-def]
    task = task_of(campus, classes=[campus.class_a], weekday=1, period=1)
    return services.session_open(
        actor=campus.teacher, task=task, day=MONDAY, period_start=1, **kwargs
    )


def test_code_is_valid_for_sixty_seconds_from_its_window() -> None:
    start = _at(8, 0)
    code, _left = codes.current_code(5, start)
    assert codes.code_is_valid(5, code, start + timedelta(seconds=59))
    assert not codes.code_is_valid(5, code, start + timedelta(seconds=60))


def test_codes_differ_between_sessions() -> None:
    assert codes.current_code(1, _at(8, 0))[0] != codes.current_code(2, _at(8, 0))[0]


def test_student_signs_in_on_time(campus: Campus) -> None:
    student = campus_student(campus)
    session = _session(campus)
    now = _at(8, 3)
    code, _left = codes.current_code(session.pk, now)
    record = services.sign_in(actor=campus.student, session=session, code=code, now=now)
    assert (record.student_id, record.status) == (student.pk, AttendanceStatus.PRESENT)


def test_student_signing_in_after_ten_minutes_is_late(campus: Campus) -> None:
    campus_student(campus)
    session = _session(campus)
    now = _at(8, 15)
    code, _left = codes.current_code(session.pk, now)
    record = services.sign_in(actor=campus.student, session=session, code=code, now=now)
    assert record.status == AttendanceStatus.LATE


def test_expired_code_is_refused(campus: Campus) -> None:
    campus_student(campus)
    session = _session(campus)
    shown = _at(8, 2)
    code, _left = codes.current_code(session.pk, shown)
    with override("en"), pytest.raises(ValidationFailed) as caught:
        services.sign_in(
            actor=campus.student, session=session, code=code, now=shown + timedelta(seconds=75)
        )
    assert (caught.value.code, str(caught.value.message)) == (
        "bad_code",
        "The code is wrong or has expired; enter the code shown now.",
    )
    assert not AttendanceRecord.objects.exists()


def test_sign_in_before_the_lecture_starts_is_refused(campus: Campus) -> None:
    campus_student(campus)
    session = _session(campus)
    now = _at(7, 55)
    code, _left = codes.current_code(session.pk, now)
    with override("en"), pytest.raises(ValidationFailed) as caught:
        services.sign_in(actor=campus.student, session=session, code=code, now=now)
    assert str(caught.value.message) == "The lecture has not started yet."


def test_sign_in_after_the_lecture_is_refused(campus: Campus) -> None:
    campus_student(campus)
    session = _session(campus)
    now = _at(10, 0)
    code, _left = codes.current_code(session.pk, now)
    with pytest.raises(ValidationFailed) as caught:
        services.sign_in(actor=campus.student, session=session, code=code, now=now)
    assert caught.value.code == "closed"


def test_second_sign_in_is_refused(campus: Campus) -> None:
    campus_student(campus)
    session = _session(campus)
    now = _at(8, 1)
    code, _left = codes.current_code(session.pk, now)
    services.sign_in(actor=campus.student, session=session, code=code, now=now)
    with pytest.raises(Conflict):
        services.sign_in(actor=campus.student, session=session, code=code, now=now)
    assert AttendanceRecord.objects.count() == 1


def _located_session(campus: Campus):  # type: ignore[no-untyped-def]
    room = RoomFactory(org=campus.school)
    task = task_of(campus, classes=[campus.class_a], weekday=1, period=1)
    task.entries.update(room=room)
    RoomLocation.objects.create(room=room, latitude=30.27, longitude=120.15, radius_m=100)
    return services.session_open(
        actor=campus.teacher, task=task, day=MONDAY, period_start=1, require_location=True
    )


def test_sign_in_from_far_away_is_refused(campus: Campus) -> None:
    campus_student(campus)
    session = _located_session(campus)
    now = _at(8, 1)
    code, _left = codes.current_code(session.pk, now)
    with override("en"), pytest.raises(ValidationFailed) as caught:
        services.sign_in(
            actor=campus.student,
            session=session,
            code=code,
            now=now,
            latitude=30.28,
            longitude=120.15,
        )  # about 1.1 km north
    assert (caught.value.code, str(caught.value.message)) == (
        "too_far",
        "You are 1112 m from the room; sign in from the room.",
    )


def test_sign_in_within_the_radius_is_accepted(campus: Campus) -> None:
    campus_student(campus)
    session = _located_session(campus)
    now = _at(8, 1)
    code, _left = codes.current_code(session.pk, now)
    record = services.sign_in(
        actor=campus.student,
        session=session,
        code=code,
        now=now,
        latitude=30.2703,
        longitude=120.15,
    )
    assert record.distance_m == 33


def test_sign_in_without_location_is_refused_when_required(campus: Campus) -> None:
    campus_student(campus)
    session = _located_session(campus)
    now = _at(8, 1)
    code, _left = codes.current_code(session.pk, now)
    with pytest.raises(ValidationFailed) as caught:
        services.sign_in(actor=campus.student, session=session, code=code, now=now)
    assert caught.value.code == "location_needed"


def test_student_of_another_class_cannot_sign_in(campus: Campus) -> None:
    session = _session(campus)
    outsider = student_in(campus, class_unit=campus.class_b)
    now = _at(8, 1)
    code, _left = codes.current_code(session.pk, now)
    with pytest.raises(PermissionDenied):
        services.sign_in(actor=outsider.user, session=session, code=code, now=now)


def test_no_session_for_a_day_without_the_lecture(campus: Campus) -> None:
    task = task_of(campus, classes=[campus.class_a], weekday=1, period=1)
    with pytest.raises(ValidationFailed) as caught:
        services.session_open(
            actor=campus.teacher, task=task, day=MONDAY + timedelta(days=1), period_start=1
        )
    assert caught.value.code == "no_lecture"


def test_other_teacher_cannot_open_a_session(campus: Campus) -> None:
    task = task_of(campus, classes=[campus.class_a], weekday=1, period=1)
    with pytest.raises(PermissionDenied):
        services.session_open(actor=campus.teacher2, task=task, day=MONDAY, period_start=1)


def test_close_marks_absent_and_approved_leave(campus: Campus) -> None:
    present = campus_student(campus)
    absent = student_in(campus)
    away = student_in(campus)
    LeaveRequest.objects.create(
        student=away,
        org=away.org,
        date_from=MONDAY,
        date_to=MONDAY,
        reason="ill",
        status=LeaveStatus.APPROVED,
    )
    session = _session(campus)
    now = _at(8, 1)
    services.sign_in(
        actor=campus.student, session=session, code=codes.current_code(session.pk, now)[0], now=now
    )
    services.session_close(actor=campus.teacher, session=session)
    statuses = dict(AttendanceRecord.objects.values_list("student_id", "status"))
    assert statuses == {present.pk: "present", absent.pk: "absent", away.pk: "leave"}


def test_live_list_shows_who_has_not_signed_in(campus: Campus) -> None:
    signed = campus_student(campus)
    waiting = student_in(campus)
    session = _session(campus)
    now = _at(8, 1)
    services.sign_in(
        actor=campus.student, session=session, code=codes.current_code(session.pk, now)[0], now=now
    )
    lines = [(line.student.pk, line.status) for line in selectors.live_list(session)]
    assert lines == [(waiting.pk, ""), (signed.pk, "present")]


def test_counsellor_is_alerted_after_too_many_absences(campus: Campus) -> None:
    counsellor = user_with_role(Role.COUNSELLOR, campus.class_a)
    student = campus_student(campus)
    task = task_of(campus, classes=[campus.class_a], weekday=1, period=1)
    for week in range(3):
        session = services.session_open(
            actor=campus.teacher, task=task, day=MONDAY + timedelta(weeks=week), period_start=1
        )
        services.session_close(actor=campus.teacher, session=session)
    alert = AttendanceAlert.objects.get()
    assert (alert.counsellor_id, alert.student_id, alert.absences, alert.sessions) == (
        counsellor.pk,
        student.pk,
        3,
        3,
    )


def test_rates_count_present_and_late_over_closed_sessions(campus: Campus) -> None:
    student = campus_student(campus)
    task = task_of(campus, classes=[campus.class_a], weekday=1, period=1)
    for week in range(2):
        session = services.session_open(
            actor=campus.teacher, task=task, day=MONDAY + timedelta(weeks=week), period_start=1
        )
        if week == 0:
            now = _at(8, 1, session.date)
            services.sign_in(
                actor=campus.student,
                session=session,
                code=codes.current_code(session.pk, now)[0],
                now=now,
            )
        services.session_close(actor=campus.teacher, session=session)
    rate = selectors.student_rates(student=student, term_id=campus.term.pk)[0]
    assert (rate.sessions, rate.attended, rate.absent, str(rate.rate)) == (2, 1, 1, "50.0")


def test_leave_request_goes_to_the_counsellor_and_approval_excuses(campus: Campus) -> None:
    counsellor = user_with_role(Role.COUNSELLOR, campus.class_a)
    student = campus_student(campus)
    session = _session(campus)
    services.session_close(actor=campus.teacher, session=session)
    leave = services.leave_request(
        actor=campus.student, date_from=MONDAY, date_to=MONDAY, reason="Fever"
    )
    from openvet.workflow import selectors as workflow_selectors
    from openvet.workflow import services as workflow_services

    task = workflow_selectors.task_list_for(actor=counsellor).get()
    workflow_services.task_decide(actor=counsellor, task=task, decision="approve")
    leave.refresh_from_db()
    status = AttendanceRecord.objects.get(student=student).status
    assert (leave.status, status) == (LeaveStatus.APPROVED, AttendanceStatus.LEAVE)


def test_leave_ending_before_it_starts_is_refused(campus: Campus) -> None:
    campus_student(campus)
    with pytest.raises(ValidationFailed) as caught:
        services.leave_request(
            actor=campus.student, date_from=MONDAY, date_to=MONDAY - timedelta(days=1), reason="x"
        )
    assert set(caught.value.details) == {"date_to"}


def test_student_sees_only_own_records(campus: Campus) -> None:
    campus_student(campus)
    other = student_in(campus)
    session = _session(campus)
    services.session_close(actor=campus.teacher, session=session)
    mine = list(selectors.my_records(actor=campus.student).values_list("student_id", flat=True))
    assert other.pk not in mine
    assert len(mine) == 1


def test_teacher_of_another_school_cannot_see_sessions(campus: Campus, other: Campus) -> None:
    session = _session(campus)
    assert not selectors.session_list_for(actor=other.teacher).filter(pk=session.pk).exists()
    assert not selectors.session_list_for(actor=other.admin).filter(pk=session.pk).exists()


@time_machine.travel(_at(8, 2), tick=False)
def test_sign_in_uses_the_clock(campus: Campus) -> None:
    campus_student(campus)
    session = _session(campus)
    code, _left = codes.current_code(session.pk, timezone.now())
    record = services.sign_in(actor=campus.student, session=session, code=code)
    assert record.status == AttendanceStatus.PRESENT


def test_class_rates_for_the_counsellor_only(campus: Campus, other: Campus) -> None:
    counsellor = user_with_role(Role.COUNSELLOR, campus.class_a)
    student = campus_student(campus)
    session = _session(campus)
    services.session_close(actor=campus.teacher, session=session)
    rates = selectors.class_rates(
        actor=counsellor, class_unit=campus.class_a, term_id=campus.term.pk
    )
    assert [(r.label, r.absent, str(r.rate)) for r in rates] == [
        (f"{student.student_number} {student.name}", 1, "0.0")
    ]
    assert (
        selectors.class_rates(actor=other.admin, class_unit=campus.class_a, term_id=campus.term.pk)
        == []
    )
