"""An internship's days: leave decided by the school mentor, safety incidents escalated to the
school, mentor visits, monthly journals, skills evidence on the post's standard, and the
counsellor's alert list; each refusal leaves nothing written."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.industry import daily_selectors, daily_services, services
from openvet.industry.models import (
    CheckIn,
    Incident,
    IncidentNotice,
    IncidentStatus,
    LeaveRequest,
    LeaveStatus,
    MonthlyJournal,
    SkillEvidence,
)
from openvet.industry.tests.conftest import PDF, World

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 4, 15, 9, tzinfo=TZ)  # a Wednesday within the internship
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture
def placement(world: World) -> Any:
    return world.place()


@pytest.fixture
def today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


# --- Leave ---------------------------------------------------------------------------------------


def test_the_school_mentor_approves_leave(world: World, placement: Any, today: date) -> None:
    leave = daily_services.leave_request(
        actor=world.student_user,
        placement=placement,
        first_day=today + timedelta(days=1),
        last_day=today + timedelta(days=2),
        reason="Sick, doctor's note.",
    )
    assert leave.status == LeaveStatus.PENDING
    with pytest.raises(PermissionDenied):
        daily_services.leave_decide(actor=world.mentor, leave=leave, approve=True)
    daily_services.leave_decide(actor=world.teacher, leave=leave, approve=True)
    leave.refresh_from_db()
    assert (leave.status, leave.decided_by) == (LeaveStatus.APPROVED, world.teacher)
    with pytest.raises(Conflict):
        daily_services.leave_decide(actor=world.teacher, leave=leave, approve=False, note="No.")


def test_leave_refused_needs_a_reason_and_overlaps_are_refused(
    world: World, placement: Any, today: date
) -> None:
    values = {
        "actor": world.student_user,
        "placement": placement,
        "first_day": today,
        "last_day": today,
        "reason": "Family matter",
    }
    leave = daily_services.leave_request(**values)
    with pytest.raises(Conflict):
        daily_services.leave_request(**values)
    with pytest.raises(ValidationFailed) as caught:
        daily_services.leave_decide(actor=world.teacher, leave=leave, approve=False, note="")
    assert "note" in caught.value.details
    assert LeaveRequest.objects.get().status == LeaveStatus.PENDING


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [(-1, 0, "first_day"), (2, 1, "last_day"), (200, 201, "first_day")],
)
def test_leave_outside_the_allowed_days_is_refused(
    world: World, placement: Any, today: date, first: int, last: int, field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        daily_services.leave_request(
            actor=world.student_user,
            placement=placement,
            first_day=today + timedelta(days=first),
            last_day=today + timedelta(days=last),
            reason="Reason",
        )
    assert field in caught.value.details
    assert not LeaveRequest.objects.exists()


def test_only_the_intern_asks_for_their_leave(world: World, placement: Any, today: date) -> None:
    with pytest.raises(PermissionDenied):
        daily_services.leave_request(
            actor=world.teacher, placement=placement, first_day=today, last_day=today, reason="x y"
        )


# --- Incidents ---------------------------------------------------------------------------------


def test_a_serious_incident_goes_to_the_school_at_once(
    world: World, placement: Any, today: date
) -> None:
    counsellor = user_with_role(Role.COUNSELLOR, world.campus.klass)
    incident = daily_services.incident_report(
        actor=world.student_user,
        placement=placement,
        happened_at=TODAY - timedelta(hours=1),
        severity="serious",
        description="Cut my hand on the press.",
    )
    assert incident.status == IncidentStatus.ESCALATED
    told = set(IncidentNotice.objects.values_list("user_id", flat=True))
    assert {counsellor.pk, world.admin.pk, world.teacher.pk} <= told
    assert world.mentor.pk not in told
    assert [n.incident for n in daily_selectors.unread_notices(user=counsellor)] == [incident]


def test_a_minor_incident_stays_open_until_a_mentor_escalates(
    world: World, placement: Any, today: date
) -> None:
    incident = daily_services.incident_report(
        actor=world.mentor,
        placement=placement,
        happened_at=TODAY,
        severity="minor",
        description="Slipped on a wet floor, no injury.",
    )
    assert incident.status == IncidentStatus.OPEN
    assert not IncidentNotice.objects.exists()
    with pytest.raises(PermissionDenied):
        daily_services.incident_escalate(actor=world.student_user, incident=incident)
    daily_services.incident_escalate(actor=world.mentor, incident=incident)
    assert IncidentNotice.objects.filter(user=world.admin).exists()
    with pytest.raises(Conflict):
        daily_services.incident_escalate(actor=world.teacher, incident=incident)


def test_the_school_closes_an_incident_with_a_note(
    world: World, placement: Any, today: date
) -> None:
    incident = daily_services.incident_report(
        actor=world.student_user,
        placement=placement,
        happened_at=TODAY,
        severity="grave",
        description="Burn at the oven, went to hospital.",
    )
    with pytest.raises(PermissionDenied):
        daily_services.incident_close(actor=world.mentor, incident=incident, note="Handled it.")
    with pytest.raises(ValidationFailed):
        daily_services.incident_close(actor=world.admin, incident=incident, note="")
    daily_services.incident_close(
        actor=world.admin, incident=incident, note="Treated, insurance claim filed."
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.closed_by == world.admin
    assert not IncidentNotice.objects.filter(read_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("when", "severity", "field"),
    [
        (TODAY + timedelta(days=1), "minor", "happened_at"),
        (datetime(2026, 1, 1, tzinfo=TZ), "minor", "happened_at"),
        (TODAY, "catastrophic", "severity"),
    ],
)
def test_bad_incident_reports_are_refused(
    world: World, placement: Any, today: date, when: datetime, severity: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        daily_services.incident_report(
            actor=world.student_user,
            placement=placement,
            happened_at=when,
            severity=severity,
            description="Something happened here.",
        )
    assert field in caught.value.details
    assert not Incident.objects.exists()


# --- Visits and monthly journals ----------------------------------------------------------


def test_only_the_school_mentor_records_visits(world: World, placement: Any, today: date) -> None:
    with pytest.raises(PermissionDenied):
        daily_services.visit_record(
            actor=world.mentor, placement=placement, day=today, kind="onsite", notes="Went well."
        )
    with pytest.raises(ValidationFailed):
        daily_services.visit_record(
            actor=world.teacher,
            placement=placement,
            day=today + timedelta(days=1),
            kind="onsite",
            notes="Went well.",
        )
    visit = daily_services.visit_record(
        actor=world.teacher, placement=placement, day=today, kind="remote", notes="Video call."
    )
    assert list(daily_selectors.visits_of(placement)) == [visit]


MONTH_TEXT = "This month I assembled gearboxes and learned to read the torque charts well." * 2


def test_monthly_journal_written_and_cosigned(world: World, placement: Any, today: date) -> None:
    journal = daily_services.monthly_journal_submit(
        actor=world.student_user, placement=placement, month=date(2026, 4, 20), text=MONTH_TEXT
    )
    assert journal.month == date(2026, 4, 1)
    with pytest.raises(Conflict):
        daily_services.monthly_journal_submit(
            actor=world.student_user, placement=placement, month=date(2026, 4, 1), text=MONTH_TEXT
        )
    with pytest.raises(PermissionDenied):
        daily_services.monthly_journal_cosign(actor=world.teacher, journal=journal)
    daily_services.monthly_journal_cosign(actor=world.mentor, journal=journal)
    journal.refresh_from_db()
    assert journal.cosigned_by == world.mentor


def test_journals_after_their_grace_days_are_refused(
    world: World, placement: Any, today: date
) -> None:
    # March ended on the 31st; seven days of grace ran to 7 April; today is 15 April.
    with pytest.raises(ValidationFailed) as caught:
        daily_services.monthly_journal_submit(
            actor=world.student_user, placement=placement, month=date(2026, 3, 1), text=MONTH_TEXT
        )
    assert "month" in caught.value.details
    with pytest.raises(ValidationFailed) as weekly:
        services.journal_submit(
            actor=world.student_user,
            placement=placement,
            week_start=date(2026, 3, 30),
            text="Too late for this week's journal, it is long past.",
        )
    assert "week_start" in weekly.value.details
    services.journal_submit(
        actor=world.student_user,
        placement=placement,
        week_start=date(2026, 4, 6),
        text="Last week I learned to calibrate the torque wrench.",
    )
    assert not MonthlyJournal.objects.exists()


# --- Skills evidence -------------------------------------------------------------------------


def _standard_for_post(world: World) -> Any:
    standard = services.standard_create(
        actor=world.admin, school=world.campus.school, name="Assembly technician"
    )
    task = services.standard_task_add(actor=world.admin, standard=standard, name="Assemble units")
    daily_services.post_standard_set(actor=world.admin, post=world.post, standard=standard)
    return task


def test_evidence_maps_to_a_task_of_the_posts_standard(
    world: World, placement: Any, today: date
) -> None:
    task = _standard_for_post(world)
    journal = services.journal_submit(
        actor=world.student_user,
        placement=placement,
        week_start=today,
        text="This week I assembled twenty units on my own.",
    )
    evidence = daily_services.evidence_attach(
        actor=world.student_user,
        journal=journal,
        task=task,
        note="Assembled unit 20",
        file=SimpleUploadedFile("unit.jpg", JPEG, content_type="image/jpeg"),
    )
    assert list(daily_selectors.evidence_of(placement)) == [evidence]
    other = services.standard_create(actor=world.admin, school=world.campus.school, name="Other")
    foreign = services.standard_task_add(actor=world.admin, standard=other, name="Weld")
    with pytest.raises(ValidationFailed) as caught:
        daily_services.evidence_attach(
            actor=world.student_user,
            journal=journal,
            task=foreign,
            note="Welded",
            file=SimpleUploadedFile("w.pdf", PDF, content_type="application/pdf"),
        )
    assert "task" in caught.value.details
    with pytest.raises(ValidationFailed) as renamed:
        daily_services.evidence_attach(
            actor=world.student_user,
            journal=journal,
            task=task,
            note="A renamed program",
            file=SimpleUploadedFile("x.jpg", b"MZ\x90\x00" * 10, content_type="image/jpeg"),
        )
    assert "file" in renamed.value.details
    assert SkillEvidence.objects.count() == 1


# --- Alerts and other schools ---------------------------------------------------------------


def test_the_counsellors_work_list(world: World, placement: Any) -> None:
    counsellor = user_with_role(Role.COUNSELLOR, world.campus.klass)
    with time_machine.travel(datetime(2026, 3, 3, 8, tzinfo=TZ), tick=False):
        services.checkin_record(
            actor=world.student_user, student=world.student, latitude=30.2787, longitude=120.155
        )
    assert CheckIn.objects.get().distance_m > 500
    with time_machine.travel(datetime(2026, 3, 5, 8, tzinfo=TZ), tick=False):
        daily_services.incident_report(
            actor=world.mentor,
            placement=placement,
            happened_at=datetime(2026, 3, 5, 7, tzinfo=TZ),
            severity="minor",
            description="Minor bruise at the line.",
        )
        [row] = daily_selectors.alert_list_for(actor=counsellor)
        assert row.placement == placement
        assert set(row.alerts) == {"far", "incident"}
        daily_services.leave_request(
            actor=world.student_user,
            placement=placement,
            first_day=date(2026, 3, 6),
            last_day=date(2026, 3, 20),
            reason="Sick leave",
        )
    with time_machine.travel(datetime(2026, 3, 23, 8, tzinfo=TZ), tick=False):
        [row] = daily_selectors.alert_list_for(actor=counsellor)
        # 4 and 5 March, then 21 to 23 March: the pending leave excuses nothing.
        assert row.silent_days == 20
        assert {"silent", "missing_journal", "leave", "incident"} <= set(row.alerts)
        leave = LeaveRequest.objects.get()
        daily_services.leave_decide(actor=world.teacher, leave=leave, approve=True)
        [row] = daily_selectors.alert_list_for(actor=counsellor)
        assert row.silent_days == 5
        assert "leave" not in row.alerts


def test_another_school_reaches_nothing(
    world: World, other_world: World, placement: Any, today: date
) -> None:
    leave = daily_services.leave_request(
        actor=world.student_user,
        placement=placement,
        first_day=today,
        last_day=today,
        reason="Family matter",
    )
    incident = daily_services.incident_report(
        actor=world.student_user,
        placement=placement,
        happened_at=TODAY,
        severity="grave",
        description="Fell from a ladder.",
    )
    stranger = user_with_role(Role.COUNSELLOR, other_world.campus.klass)
    assert daily_selectors.alert_list_for(actor=other_world.admin) == []
    for getter in (
        lambda: daily_selectors.leave_get_for(actor=other_world.admin, leave_id=leave.pk),
        lambda: daily_selectors.incident_get_for(actor=stranger, incident_id=incident.pk),
    ):
        with pytest.raises(NotFound):
            getter()
    with pytest.raises(PermissionDenied):
        daily_services.incident_close(actor=other_world.admin, incident=incident, note="Closed it.")
    with pytest.raises(PermissionDenied):
        daily_services.leave_decide(actor=other_world.teacher, leave=leave, approve=True)
    assert not IncidentNotice.objects.filter(user__in=[stranger, other_world.admin]).exists()
    incident.refresh_from_db()
    leave.refresh_from_db()
    assert (incident.status, leave.status) == (IncidentStatus.ESCALATED, LeaveStatus.PENDING)
