"""The pages of an internship's days: the intern asks for leave and reports an incident, the
school mentor approves and records a visit, the counsellor's alert list; another school's
staff get 404 and change nothing."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.industry.models import Incident, LeaveRequest, LeaveStatus, MentorVisit
from openvet.industry.tests.conftest import World

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def placement(world: World) -> Any:
    placement = world.place()
    with time_machine.travel(NOW, tick=False):
        yield placement


def test_leave_asked_on_the_page_and_approved_by_the_mentor(world: World, placement: Any) -> None:
    url = reverse("industry:my-internship-daily")
    student = client_for(world.student_user)
    typed = {
        "action": "leave",
        "leave-first_day": "2026-04-20",
        "leave-last_day": "2026-04-19",
        "leave-reason": "Dentist",
    }
    refused = student.post(url, typed)
    assert refused.status_code == 422
    assert "Dentist" in refused.content.decode()
    assert not LeaveRequest.objects.exists()
    typed["leave-last_day"] = "2026-04-21"
    assert student.post(url, typed).status_code == 302
    leave = LeaveRequest.objects.get()
    mentor = client_for(world.teacher)
    daily = reverse("industry:placement-daily", args=[placement.pk])
    assert "Dentist" in mentor.get(daily).content.decode()
    decided = mentor.post(
        reverse("industry:leave-decide", args=[leave.pk]), {"decision": "approve"}
    )
    assert decided["Location"] == daily
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


def test_incident_reported_on_the_page_shows_on_the_alert_list(
    world: World, placement: Any
) -> None:
    counsellor = user_with_role(Role.COUNSELLOR, world.campus.klass)
    response = client_for(world.student_user).post(
        reverse("industry:my-internship-daily"),
        {
            "action": "incident",
            "incident-happened_at": "2026-04-15T08:30",
            "incident-severity": "serious",
            "incident-description": "Cut my hand on the press.",
        },
    )
    assert response.status_code == 302
    assert Incident.objects.get().status == "escalated"
    page = client_for(counsellor).get(reverse("industry:alert-list")).content.decode()
    assert "Incidents reported to you" in page
    assert world.student.name in page


def test_the_school_mentor_records_a_visit(world: World, placement: Any) -> None:
    daily = reverse("industry:placement-daily", args=[placement.pk])
    form = {
        "action": "visit",
        "visit-day": "2026-04-14",
        "visit-kind": "onsite",
        "visit-notes": "Saw the line, all well.",
    }
    assert client_for(world.teacher).post(daily, form).status_code == 302
    assert MentorVisit.objects.get().mentor == world.teacher
    assert client_for(world.mentor).get(daily).status_code == 200
    assert client_for(world.student_user).post(daily, form).status_code == 403


def test_another_school_gets_404_and_changes_nothing(
    world: World, other_world: World, placement: Any
) -> None:
    client_for(world.student_user).post(
        reverse("industry:my-internship-daily"),
        {
            "action": "leave",
            "leave-first_day": "2026-04-20",
            "leave-last_day": "2026-04-20",
            "leave-reason": "Dentist",
        },
    )
    leave = LeaveRequest.objects.get()
    stranger = client_for(other_world.admin)
    assert stranger.get(reverse("industry:placement-daily", args=[placement.pk])).status_code == 404
    answer = stranger.post(
        reverse("industry:leave-decide", args=[leave.pk]), {"decision": "approve"}
    )
    assert answer.status_code == 404
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING
    assert world.student.name not in stranger.get(reverse("industry:alert-list")).content.decode()
