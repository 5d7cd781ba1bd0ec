from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openvet.workflow import services
from openvet.workflow.models import ProcessInstance, Task, TaskStatus
from openvet.workflow.tests.conftest import CODE, Outcomes, Tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def as_user(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def start(tree: Tree) -> ProcessInstance:
    return services.instance_start(
        actor=tree.applicant,
        code=CODE,
        subject_type="tests.thing",
        subject_id=1,
        title="Leave for Applicant",
        org=tree.klass,
        payload={"days": 3},
    )


def test_my_approvals_lists_the_task(tree: Tree, outcomes: Outcomes) -> None:
    start(tree)
    page = as_user(tree.counsellor).get(reverse("workflow:task-list")).content.decode()
    assert "Leave for Applicant" in page
    assert (
        "Leave for Applicant"
        not in as_user(tree.head).get(reverse("workflow:task-list")).content.decode()
    )


def test_htmx_approve_returns_the_updated_row(tree: Tree, outcomes: Outcomes) -> None:
    instance = start(tree)
    task = Task.objects.get(instance=instance)
    response = as_user(tree.counsellor).post(
        reverse("workflow:task-decide", args=[task.pk]),
        {"decision": "approve", "comment": "OK"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Approved" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.APPROVED


def test_htmx_reject_without_comment_shows_the_error(tree: Tree, outcomes: Outcomes) -> None:
    task = Task.objects.get(instance=start(tree))
    response = as_user(tree.counsellor).post(
        reverse("workflow:task-decide", args=[task.pk]),
        {"decision": "reject"},
        HTTP_HX_REQUEST="true",
    )
    assert "Say why, for the applicant." in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_deciding_another_schools_task_is_404(
    tree: Tree, other_tree: Tree, outcomes: Outcomes
) -> None:
    task = Task.objects.get(instance=start(tree))
    response = as_user(other_tree.counsellor).post(
        reverse("workflow:task-decide", args=[task.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_monitoring_is_for_admins(tree: Tree, outcomes: Outcomes) -> None:
    start(tree)
    assert as_user(tree.counsellor).get(reverse("workflow:monitor")).status_code == 403
    page = as_user(tree.admin).get(reverse("workflow:monitor"))
    assert page.status_code == 200
    assert "Counsellor" in page.content.decode()


def test_delegation_page_creates_a_delegation(tree: Tree) -> None:
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    response = as_user(tree.head).post(
        reverse("workflow:delegation-list"),
        {"to_username": tree.counsellor.username, "starts_on": today, "ends_on": today},
    )
    assert response.status_code == 302
    page = as_user(tree.counsellor).get(reverse("workflow:delegation-list")).content.decode()
    assert "Head" in page


def test_notifications_page_lists_the_assignment(tree: Tree, outcomes: Outcomes) -> None:
    start(tree)
    page = as_user(tree.counsellor).get(reverse("workflow:notification-list")).content.decode()
    assert "A request awaits your decision" in page


def test_api_lists_and_decides(tree: Tree, other_tree: Tree, outcomes: Outcomes) -> None:
    instance = start(tree)
    body = as_user(tree.counsellor).get("/api/v1/workflow/approval-tasks").json()
    assert [item["instance_id"] for item in body["items"]] == [instance.pk]
    assert (
        as_user(other_tree.counsellor).get("/api/v1/workflow/approval-tasks").json()["count"] == 0
    )
    task_id = body["items"][0]["id"]
    denied = as_user(other_tree.counsellor).post(
        f"/api/v1/workflow/approval-tasks/{task_id}/decide",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert denied.status_code == 404
    decided = as_user(tree.counsellor).post(
        f"/api/v1/workflow/approval-tasks/{task_id}/decide",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert decided.json()["status"] == "approved"
    trail = as_user(tree.applicant).get(f"/api/v1/workflow/process-instances/{instance.pk}").json()
    assert [t["status"] for t in trail["tasks"]] == ["approved", "open"]
