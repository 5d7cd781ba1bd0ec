"""Cooperation projects: the school records them, both sides keep milestones, deliverables and
funds, agreements are PDFs, and the portfolio of a partnership is reached only by its school's
staff and its enterprise's users."""

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from openvet.core.errors import NotFound, PermissionDenied, ValidationFailed
from openvet.core.uploads import UploadRefused
from openvet.industry import selectors_cooperation as coop
from openvet.industry import services_cooperation as services
from openvet.industry.models import CooperationProject, ProjectFund, ProjectMilestone
from openvet.industry.tests.conftest import PDF, World

pytestmark = pytest.mark.django_db


def create_project(world: World, **overrides: Any) -> CooperationProject:
    values: dict[str, Any] = {
        "school": world.campus.school,
        "enterprise": world.enterprise,
        "name": "Smart manufacturing order class",
        "kind": "order_class",
        "major": world.campus.major,
        "start_date": date(2026, 9, 1),
        "end_date": date(2029, 6, 30),
        "description": "Thirty students trained for the enterprise's lines.",
    }
    values.update(overrides)
    return services.project_create(actor=world.admin, **values)


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_school_creates_a_project_with_partners(world: World, other_world: World) -> None:
    project = create_project(world, partners=[other_world.enterprise, world.enterprise])
    assert (project.org, project.enterprise, project.status) == (
        world.campus.school,
        world.enterprise,
        "preparing",
    )
    # The lead is not listed again among the other partners.
    assert list(project.partners.all()) == [other_world.enterprise]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": date(2026, 8, 1)}, "end_date"),
        ({"kind": "friendship"}, "kind"),
        ({"name": " "}, "name"),
    ],
)
def test_bad_projects_are_refused(world: World, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create_project(world, **overrides)
    assert field in refused.value.details
    assert not CooperationProject.objects.exists()


def test_a_major_of_another_school_is_refused(world: World, other_world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create_project(world, major=other_world.campus.major)
    assert set(refused.value.details) == {"major"}


def test_enterprises_and_teachers_cannot_create_projects(world: World) -> None:
    for actor in (world.mentor, world.teacher):
        with pytest.raises(PermissionDenied):
            services.project_create(
                actor=actor,
                school=world.campus.school,
                enterprise=world.enterprise,
                name="X",
                kind="joint_rd",
                start_date=date(2026, 9, 1),
                end_date=date(2027, 9, 1),
            )


def test_the_enterprise_keeps_milestones(world: World) -> None:
    project = create_project(world)
    milestone = services.project_milestone_add(
        actor=world.mentor,
        project=project,
        title="First cohort selected",
        due_date=date(2026, 10, 1),
    )
    services.project_milestone_update(
        actor=world.mentor, milestone=milestone, status="done", reached_on=date(2026, 9, 28)
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.reached_on, milestone.updated_by) == (
        "done",
        date(2026, 9, 28),
        world.mentor,
    )


def test_a_milestone_is_not_reached_in_the_future(world: World) -> None:
    project = create_project(world)
    milestone = services.project_milestone_add(
        actor=world.admin, project=project, title="Lab opens", due_date=date(2027, 3, 1)
    )
    with pytest.raises(ValidationFailed) as refused:
        services.project_milestone_update(
            actor=world.admin, milestone=milestone, status="done", reached_on=date(2999, 1, 1)
        )
    assert set(refused.value.details) == {"reached_on"}
    milestone.refresh_from_db()
    assert milestone.status == "planned"


def test_another_school_or_enterprise_cannot_touch_the_project(
    world: World, other_world: World
) -> None:
    project = create_project(world)
    for outsider in (other_world.admin, other_world.mentor):
        with pytest.raises(PermissionDenied):
            services.project_milestone_add(
                actor=outsider, project=project, title="Intrusion", due_date=date(2027, 1, 1)
            )
        with pytest.raises(NotFound):
            coop.project_get_for(actor=outsider, project_id=project.pk)
    assert not ProjectMilestone.objects.exists()


def test_a_partner_enterprise_reaches_the_project(world: World, other_world: World) -> None:
    project = create_project(world, partners=[other_world.enterprise])
    assert coop.project_get_for(actor=other_world.mentor, project_id=project.pk) == project
    assert list(coop.project_list_for(actor=world.teacher)) == [project]
    assert list(coop.project_list_for(actor=other_world.admin)) == []


def test_agreements_must_be_pdf(world: World, settings: Any, tmp_path: Any) -> None:
    project = create_project(world)
    fake = SimpleUploadedFile("agreement.pdf", b"PK\x03\x04 a renamed zip", "application/pdf")
    with pytest.raises(UploadRefused):
        services.project_agreement_add(
            actor=world.admin,
            project=project,
            title="Framework",
            file=fake,
            signed_on=date(2026, 9, 1),
        )
    real = SimpleUploadedFile("agreement.pdf", PDF, "application/pdf")
    agreement = services.project_agreement_add(
        actor=world.admin, project=project, title="Framework", file=real, signed_on=date(2026, 9, 1)
    )
    assert agreement.file.read() == PDF
    assert project.agreements.count() == 1


def test_funds_are_kept_in_fen_and_summed_by_source(world: World) -> None:
    project = create_project(world)
    for source, fen in (("enterprise", 50_000_000), ("enterprise", 12_345), ("government", 100)):
        services.project_fund_add(
            actor=world.admin,
            project=project,
            source=source,
            amount_fen=fen,
            received_on=date(2026, 9, 10),
        )
    with translation.override("en"):
        totals = coop.fund_totals(project)
    assert totals == [("Enterprise", 50_012_345), ("Government grant", 100)]
    with pytest.raises(ValidationFailed):
        services.project_fund_add(
            actor=world.admin,
            project=project,
            source="school",
            amount_fen=0,
            received_on=date(2026, 9, 1),
        )
    assert ProjectFund.objects.count() == 3


def test_the_project_page_records_a_fund_in_yuan(world: World) -> None:
    project = create_project(world)
    client = client_for(world.mentor)
    url = reverse("industry:project-detail", args=[project.pk])
    response = client.post(
        url,
        {
            "form": "fund",
            "fund-source": "enterprise",
            "fund-amount": "1234.56",
            "fund-received_on": "2026-09-10",
        },
    )
    assert response.status_code == 302
    assert ProjectFund.objects.get().amount_fen == 123456
    assert "¥1,234.56" in client.get(url).text


def test_the_project_page_keeps_a_refused_milestone(world: World) -> None:
    project = create_project(world)
    response = client_for(world.mentor).post(
        reverse("industry:project-detail", args=[project.pk]),
        {"form": "milestone", "milestone-title": "Lab opens", "milestone-due_date": "not a day"},
    )
    assert response.status_code == 422
    assert 'value="Lab opens"' in response.text
    assert not ProjectMilestone.objects.exists()


def test_the_portfolio_of_a_partnership(world: World, other_world: World) -> None:
    create_project(world)
    placement = world.place()
    url = reverse("industry:partnership-detail", args=[world.campus.school.pk, world.enterprise.pk])
    school_page = client_for(world.admin).get(url)
    assert school_page.status_code == 200
    portfolio = school_page.context["p"]
    assert [p.name for p in portfolio.projects] == ["Smart manufacturing order class"]
    assert portfolio.posts == [world.post]
    assert portfolio.placements == [placement]
    enterprise_page = client_for(world.mentor).get(url)
    assert enterprise_page.status_code == 200
    assert enterprise_page.context["p"].placement_count == 1


def test_another_school_gets_404_on_the_portfolio(world: World, other_world: World) -> None:
    create_project(world)
    url = reverse("industry:partnership-detail", args=[world.campus.school.pk, world.enterprise.pk])
    assert client_for(other_world.admin).get(url).status_code == 404
    assert client_for(other_world.mentor).get(url).status_code == 404
    project_url = reverse("industry:project-detail", args=[CooperationProject.objects.get().pk])
    response = client_for(other_world.admin).post(
        project_url, {"form": "status", "status-status": "ended"}
    )
    assert response.status_code == 404
    assert CooperationProject.objects.get().status == "preparing"


def test_a_teacher_reads_but_does_not_change_a_project(world: World) -> None:
    project = create_project(world)
    client = client_for(world.teacher)
    url = reverse("industry:project-detail", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"form": "status", "status-status": "ended"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.status == "preparing"


def test_the_project_list_costs_the_same_whatever_its_length(
    world: World, other_world: World
) -> None:
    client = client_for(world.admin)
    url = reverse("industry:project-list")
    create_project(world, partners=[other_world.enterprise])
    client.get(url)  # warm the session and the menu
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for index in range(3):
        create_project(world, name=f"Project {index}", partners=[other_world.enterprise])
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(four) == len(one)
