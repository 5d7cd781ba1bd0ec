import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openvet.core.models import AuditAction, AuditEntry
from openvet.identity.tests.factories import UserFactory
from openvet.records.codes import StudentStatus
from openvet.records.models import ChangeState, StatusChange
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import staff, student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def as_user(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_student_list_masks_id_numbers_and_paginates(people: People) -> None:
    for _ in range(26):
        student(people.campus)
    response = as_user(people.admin).get(reverse("records:student-list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert people.student.masked_id_number in page
    assert people.student.id_number not in page
    assert "Page 1 of 2" in page


def test_student_list_sends_a_student_to_their_own_record(people: People) -> None:
    response = as_user(people.student_user).get(reverse("records:student-list"))
    assert response["Location"] == reverse("records:student-detail", args=[people.student.pk])


def test_detail_of_another_school_is_404(people: People, other_people: People) -> None:
    url = reverse("records:student-detail", args=[other_people.student.pk])
    assert as_user(people.admin).get(url).status_code == 404
    assert as_user(people.student_user).get(url).status_code == 404


def test_a_student_sees_their_history_and_can_apply(people: People) -> None:
    client = as_user(people.student_user)
    page = client.get(reverse("records:student-detail", args=[people.student.pk]))
    content = page.content.decode()
    assert "Leave of absence" in content
    assert "Expulsion" not in content

    planned = (timezone.localdate() + timedelta(days=60)).isoformat()
    url = reverse("records:change-apply", args=[people.student.pk]) + "?type=11"
    response = client.post(
        url,
        {"change_type": "11", "reason": "10", "planned_return_date": planned, "note": "Surgery"},
    )
    change = StatusChange.objects.get()
    assert response["Location"] == reverse("records:change-detail", args=[change.pk])
    assert (change.change_type, change.applicant) == ("11", people.student_user)


def test_apply_form_shows_a_refused_transition(people: People) -> None:
    url = reverse("records:change-apply", args=[people.student.pk]) + "?type=12"
    response = as_user(people.counsellor).post(url, {"change_type": "12"})
    assert response.status_code == 200
    assert "Only a student on leave" in response.content.decode()
    assert not StatusChange.objects.exists()


def test_a_student_cannot_open_the_expulsion_form(people: People) -> None:
    url = reverse("records:change-apply", args=[people.student.pk]) + "?type=42"
    assert as_user(people.student_user).get(url).status_code == 403


def test_change_detail_and_withdraw(people: People) -> None:
    client = as_user(people.counsellor)
    url = reverse("records:change-apply", args=[people.student.pk]) + "?type=31"
    client.post(url, {"change_type": "31"})
    change = StatusChange.objects.get()
    detail = client.get(reverse("records:change-detail", args=[change.pk]))
    assert detail.status_code == 200
    client.post(reverse("records:change-withdraw", args=[change.pk]))
    change.refresh_from_db()
    assert change.state == ChangeState.WITHDRAWN
    assert (
        as_user(UserFactory()).get(reverse("records:change-detail", args=[change.pk])).status_code
        == 404
    )


def test_reveal_is_audited(people: People) -> None:
    url = reverse("records:student-detail", args=[people.student.pk]) + "?reveal=1"
    page = as_user(people.counsellor).get(url).content.decode()
    assert people.student.id_number in page
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL).count() == 1


def test_staff_pages(people: People, other_people: People) -> None:
    mine, theirs = staff(people.campus), staff(other_people.campus)
    client = as_user(people.admin)
    assert mine.name in client.get(reverse("records:staff-list")).content.decode()
    assert client.get(reverse("records:staff-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("records:staff-detail", args=[theirs.pk])).status_code == 404
    assert as_user(people.student_user).get(reverse("records:staff-list")).status_code == 403


def test_pages_need_sign_in(people: People) -> None:
    response = Client().get(reverse("records:student-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:login"))


def test_an_approved_change_shows_in_the_students_history(people: People) -> None:
    client = as_user(people.counsellor)
    client.post(
        reverse("records:change-apply", args=[people.student.pk]) + "?type=31",
        {"change_type": "31", "reason": "21"},
    )
    for user in (people.head, people.admin):
        task_page = as_user(user).get(reverse("workflow:task-list")).content.decode()
        assert people.student.name in task_page
        from openvet.workflow.models import Task

        task = Task.objects.get(
            status="open", role__in=[r.role for r in user.role_assignments.all()]
        )
        as_user(user).post(
            reverse("workflow:task-decide", args=[task.pk]),
            {"decision": "approve"},
            HTTP_HX_REQUEST="true",
        )

    page = (
        as_user(people.student_user)
        .get(reverse("records:student-detail", args=[people.student.pk]))
        .content.decode()
    )
    assert "Status change took effect" in page
    assert "approved by Admin" in page
    assert "Withdrawn" in page


def test_the_detail_page_speaks_chinese_by_default(people: People) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(people.student_user)
    page = client.get(reverse("records:student-detail", args=[people.student.pk]))
    content = page.content.decode()
    assert "学籍异动" in content
    assert "在读" in content


def _offered(client: Client, record: Any) -> set[str]:
    """The kinds of change the detail page links to (``?type=NN`` of the apply buttons)."""
    page = client.get(reverse("records:student-detail", args=[record.pk])).content.decode()
    apply_url = reverse("records:change-apply", args=[record.pk])
    return set(re.findall(re.escape(apply_url) + r"\?type=(\d{2})", page))


def test_the_detail_page_offers_only_changes_possible_from_the_status(people: People) -> None:
    client = as_user(people.counsellor)
    enrolled = _offered(client, people.student)
    assert enrolled == {"06", "11", "19", "21", "23", "31", "42", "61", "62", "63"}

    people.student.status = StudentStatus.SUSPENDED
    people.student.save(update_fields=["status"])
    # On leave: resume, or leave for good; never a second leave, a transfer or graduation.
    assert _offered(client, people.student) == {"06", "12", "31", "42", "63"}
    # A student only sees the kinds they may apply for themselves.
    assert _offered(as_user(people.student_user), people.student) == {"06", "12", "31"}

    people.student.status = StudentStatus.GRADUATED
    people.student.save(update_fields=["status"])
    page = client.get(reverse("records:student-detail", args=[people.student.pk]))
    assert _offered(client, people.student) == set()
    assert "You cannot apply for changes to this record." in page.content.decode()


def test_an_old_link_to_an_impossible_change_says_why(people: People) -> None:
    url = reverse("records:change-apply", args=[people.student.pk]) + "?type=12"
    page = as_user(people.counsellor).get(url)
    assert page.status_code == 200
    assert "Only a student on leave or with reserved status can resume" in page.content.decode()
    assert as_user(people.counsellor).get(url.replace("=12", "=99")).status_code == 403
