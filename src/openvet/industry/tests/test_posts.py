"""Enterprise posts under a school's name: an enterprise publishes for a school, the post waits
for that school's approval (a workflow process) before it takes placements, and another school
neither sees the pending post nor places on it."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.industry import selectors, services
from openvet.industry.models import InternshipPost, Placement
from openvet.industry.tests.conftest import World, approve_post, post_values
from openvet.workflow import services as workflow

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def publish(world: World, school: Any = None, **overrides: Any) -> InternshipPost:
    return services.post_publish(
        actor=world.mentor,
        enterprise=world.enterprise,
        school=school or world.campus.school,
        **post_values(title="Welder", **overrides),
    )


def test_a_pending_post_takes_no_placement_until_the_school_approves(world: World) -> None:
    post = publish(world)
    assert post.approval == "pending"
    assert post not in selectors.open_posts(school_id=world.campus.school.pk)
    with pytest.raises(ValidationFailed) as refused:
        world.place(post=post)
    assert "post" in refused.value.details
    assert not Placement.objects.exists()

    approve_post(post, world.admin)
    assert post.approval == "approved"
    assert post in selectors.open_posts(school_id=world.campus.school.pk)
    assert world.place(post=post).post == post


def test_a_refused_post_stays_off_the_school(world: World) -> None:
    post = publish(world)
    instance = services.post_approval_of(post)
    task = workflow.decidable_task_of(actor=world.admin, instance=instance)
    workflow.task_decide(actor=world.admin, task=task, decision="reject", comment="No welding.")
    post.refresh_from_db()
    assert post.approval == "refused"
    with pytest.raises(ValidationFailed):
        world.place(post=post)


def test_the_post_needs_a_school_and_valid_values(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.post_publish(
            actor=world.mentor, enterprise=world.enterprise, school=None, **post_values()
        )
    assert "school" in refused.value.details
    with pytest.raises(ValidationFailed) as refused:
        publish(world, school=world.campus.klass)
    assert "school" in refused.value.details
    with pytest.raises(ValidationFailed) as refused:
        publish(world, openings=0, intern_pay=-1)
    assert {"openings", "intern_pay"} <= set(refused.value.details)
    assert not InternshipPost.objects.filter(title="Welder").exists()


def test_another_school_neither_sees_nor_places_on_the_post(
    world: World, other_world: World
) -> None:
    post = publish(world)
    # School B's administrator has no task on school A's post, and cannot open it while pending.
    with pytest.raises(PermissionDenied):
        workflow.decidable_task_of(
            actor=other_world.admin, instance=services.post_approval_of(post)
        )
    response = client_for(other_world.admin).get(reverse("industry:post-detail", args=[post.pk]))
    assert response.status_code == 404
    approve_post(post, world.admin)
    values = {
        "plan": other_world.plan,
        "student": other_world.student,
        "post": post,
        "school_mentor": other_world.teacher,
        "enterprise_mentor": world.mentor,
    }
    with pytest.raises(ValidationFailed) as refused:
        other_world.place(**values)
    assert "post" in refused.value.details


def test_the_enterprise_sees_its_post_awaiting_approval(world: World) -> None:
    post = publish(world)
    mentor = client_for(world.mentor)
    page = mentor.get(reverse("industry:enterprise-detail", args=[world.enterprise.pk]))
    assert "Welder" in page.content.decode()
    assert "Awaiting the school&#x27;s approval" in page.content.decode()
    detail = mentor.get(reverse("industry:post-detail", args=[post.pk]))
    assert detail.status_code == 200
    assert "Weekdays 8:30-17:30" in detail.content.decode()
    # The school's administrator reads it to decide.
    assert (
        client_for(world.admin).get(reverse("industry:post-detail", args=[post.pk])).status_code
        == 200
    )


def test_the_school_approves_from_its_approvals_list(world: World) -> None:
    post = publish(world)
    admin = client_for(world.admin)
    tasks = admin.get(reverse("workflow:task-list"))
    assert tasks.status_code == 200
    assert "Welder" in tasks.content.decode()
    approve_post(post, world.admin)
    assert InternshipPost.objects.get(pk=post.pk).approval == "approved"
