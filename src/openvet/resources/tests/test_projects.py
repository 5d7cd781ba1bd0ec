"""Library-building projects, learning paths and forks: the services, who sees what, the
lead's review, statistics, licence refusals, and the pages over HTTP."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import AuditEntry, OrgKind
from openvet.core.roles import Role
from openvet.core.tests.factories import OrgUnitFactory
from openvet.identity.tests.factories import user_with_role
from openvet.resources import path_selectors
from openvet.resources import project_selectors as selectors
from openvet.resources.models import (
    Contribution,
    ContributionStatus,
    Licence,
    Project,
    ResourceFork,
    UsageAction,
    WorkPackage,
)
from openvet.resources.services import projects, resource_publish, usage_record
from openvet.resources.services.reuse import LicenceRefused, path_create, resource_fork
from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import MAJOR, make_resource, paid_resource


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    # The lead school's administrator acts here; their second factor is tested in identity.
    settings.REQUIRE_ADMIN_TOTP = False


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user, backend="openvet.identity.backends.IdentifierBackend")  # type: ignore[arg-type]
    return client


def _project(world: World) -> tuple[Project, WorkPackage]:
    project = projects.project_create(
        actor=world.admin_a,
        title="计算机应用技术国家资源库",
        major_code=MAJOR,
        member_ids=[world.school_b.pk],
    )
    package = projects.package_create(
        actor=world.admin_a,
        project=project,
        title="课程一：程序设计基础",
        owner_id=world.teacher_b.pk,
        deadline=timezone.localdate() + timedelta(days=30),
        planned_items=2,
    )
    return project, package


def test_a_member_contributes_and_the_lead_accepts_and_stats_count_it(world: World) -> None:
    project, package = _project(world)
    resource = make_resource(world.teacher_b, title="循环结构微课")
    contribution = projects.contribution_submit(
        actor=world.teacher_b, package=package, resource=resource
    )
    assert contribution.org == world.school_b
    projects.contribution_decide(actor=world.admin_a, contribution=contribution, accept=True)

    [progress] = selectors.package_progress(project)
    assert (progress.accepted, progress.percent, progress.overdue) == (1, 50, False)
    stats = {s.org.pk: s for s in selectors.member_stats(project)}
    assert (stats[world.school_b.pk].resources, stats[world.school_b.pk].accepted) == (1, 1)
    assert stats[world.school_b.pk].share == 100.0
    assert stats[world.school_a.pk].accepted == 0
    assert AuditEntry.objects.filter(
        object_type__contains="contribution", changes__status=["submitted", "accepted"]
    ).exists()
    with pytest.raises(Conflict):
        projects.contribution_decide(actor=world.admin_a, contribution=contribution, accept=True)


def test_a_returned_contribution_needs_a_comment_and_may_come_back(world: World) -> None:
    _unused, package = _project(world)
    resource = make_resource(world.teacher_b)
    contribution = projects.contribution_submit(
        actor=world.teacher_b, package=package, resource=resource
    )
    with pytest.raises(ValidationFailed):
        projects.contribution_decide(actor=world.admin_a, contribution=contribution, accept=False)
    projects.contribution_decide(
        actor=world.admin_a, contribution=contribution, accept=False, comment="字幕缺失"
    )
    again = projects.contribution_submit(actor=world.teacher_b, package=package, resource=resource)
    assert again.pk == contribution.pk
    assert again.status == ContributionStatus.SUBMITTED
    with pytest.raises(Conflict):
        projects.contribution_submit(actor=world.teacher_b, package=package, resource=resource)


def test_an_overdue_package_is_flagged(world: World) -> None:
    project, package = _project(world)
    WorkPackage.objects.filter(pk=package.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    [progress] = selectors.package_progress(project)
    assert progress.overdue
    projects.package_set_status(actor=world.admin_a, package=package, status="done")
    [progress] = selectors.package_progress(project)
    assert not progress.overdue


def test_only_members_see_and_only_the_lead_administers(world: World) -> None:
    project, package = _project(world)
    assert list(selectors.project_list_for(actor=world.teacher_b)) == [project]
    assert list(selectors.project_list_for(actor=world.teacher_c)) == []
    with pytest.raises(NotFound):
        selectors.project_get_for(actor=world.teacher_c, project_id=project.pk)
    # A member that is not the lead may not decide, nor add packages.
    resource = make_resource(world.teacher_b)
    contribution = projects.contribution_submit(
        actor=world.teacher_b, package=package, resource=resource
    )
    with pytest.raises(PermissionDenied):
        projects.contribution_decide(actor=world.head_b, contribution=contribution, accept=True)
    # Another school's user cannot contribute, nor decide.
    outsider_resource = make_resource(world.teacher_c)
    with pytest.raises(NotFound):
        projects.contribution_submit(
            actor=world.teacher_c, package=package, resource=outsider_resource
        )
    with pytest.raises(NotFound):
        projects.contribution_decide(actor=world.teacher_c, contribution=contribution, accept=True)
    # Someone else's resource cannot be contributed.
    with pytest.raises(PermissionDenied):
        projects.contribution_submit(actor=world.head_b, package=package, resource=resource)


def test_package_owner_is_a_person_of_a_member_and_bad_input_is_refused(world: World) -> None:
    project, _package = _project(world)
    with pytest.raises(ValidationFailed) as refused:
        projects.package_create(
            actor=world.admin_a,
            project=project,
            title=" ",
            owner_id=world.teacher_c.pk,
            deadline=timezone.localdate() - timedelta(days=1),
            planned_items=0,
        )
    assert set(refused.value.details) == {"title", "owner", "deadline", "planned_items"}
    assert WorkPackage.objects.filter(project=project).count() == 1


def test_an_enterprise_takes_part(world: World) -> None:
    firm = OrgUnitFactory(kind=OrgKind.ENTERPRISE, name="数控机床有限公司", parent=world.province)
    mentor = user_with_role(Role.ENTERPRISE_MENTOR, firm)
    project = projects.project_create(
        actor=world.admin_a, title="共建库", major_code=MAJOR, member_ids=[firm.pk]
    )
    assert projects.is_member(mentor, project)
    assert mentor in projects.people_of_members(project)
    with pytest.raises(ValidationFailed):
        projects.project_create(
            actor=world.admin_a, title="x", major_code=MAJOR, member_ids=[world.province.pk]
        )


def test_a_teacher_cannot_start_a_project(world: World) -> None:
    with pytest.raises(PermissionDenied):
        projects.project_create(actor=world.teacher_a, title="x", major_code=MAJOR, member_ids=[])


def test_pages_show_progress_and_export_and_keep_other_schools_out(world: World) -> None:
    project, package = _project(world)
    resource = make_resource(world.teacher_b, title="循环结构微课")
    member = _client(world.teacher_b)
    sent = member.post(
        reverse("resources:contribute", args=[project.pk]),
        {"package": package.pk, "resource": resource.pk},
    )
    assert sent.status_code == 302
    contribution = Contribution.objects.get()
    lead = _client(world.admin_a)
    lead.post(
        reverse("resources:contribution-decide", args=[contribution.pk]), {"decision": "accept"}
    )
    page = lead.get(reverse("resources:project", args=[project.pk]))
    assert page.status_code == 200
    assert "已接受" in page.content.decode()
    exported = lead.get(reverse("resources:project-xlsx", args=[project.pk]))
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [world.school_b.name, 1, 1, 100] in [row[:4] for row in rows]

    outsider = _client(world.teacher_c)
    assert outsider.get(reverse("resources:project", args=[project.pk])).status_code == 404
    assert outsider.get(reverse("resources:project-xlsx", args=[project.pk])).status_code == 404
    refused = outsider.post(
        reverse("resources:contribution-decide", args=[contribution.pk]), {"decision": "return"}
    )
    assert refused.status_code == 404
    assert Contribution.objects.get().status == ContributionStatus.ACCEPTED


def test_a_bad_package_form_keeps_what_was_typed(world: World) -> None:
    project, _package = _project(world)
    answer = _client(world.admin_a).post(
        reverse("resources:package-create", args=[project.pk]),
        {
            "title": "实训项目包",
            "owner": world.teacher_b.pk,
            "deadline": "2020-01-01",
            "planned_items": 3,
        },
    )
    assert answer.status_code == 422
    body = answer.content.decode()
    assert "实训项目包" in body
    assert "截止日期不能早于今天" in body


def test_forks_respect_licences_and_credit_the_original(world: World) -> None:
    original = make_resource(world.teacher_b, publish=True, licence=Licence.CC_BY_NC_SA)
    fork = resource_fork(actor=world.teacher_a, resource=original)
    assert fork.owner_id == world.teacher_a.pk
    assert fork.org == world.school_a
    assert fork.licence == Licence.CC_BY_NC_SA
    assert fork.status == "draft"
    assert ResourceFork.objects.get(fork=fork).original == original
    assert [c.name for c in fork.contributors.all()] == ["张老师"]

    no_derivatives = make_resource(world.teacher_b, publish=True, licence=Licence.CC_BY_ND)
    with pytest.raises(LicenceRefused, match="CC BY-ND"):
        resource_fork(actor=world.teacher_a, resource=no_derivatives)


def test_a_paid_resource_is_forked_only_under_a_licence_and_stays_private(world: World) -> None:
    paid = paid_resource(world.teacher_b, contributors=[("张老师", 100)])
    with pytest.raises(LicenceRefused):
        resource_fork(actor=world.teacher_c, resource=paid)
    # Its own school may open it, so it may copy it; the copy is never published.
    copy = resource_fork(actor=world.head_b, resource=paid)
    with pytest.raises(ValidationFailed):
        resource_publish(actor=world.head_b, resource=copy)


def test_a_learning_path_counts_the_steps_a_learner_opened(world: World) -> None:
    first = make_resource(world.teacher_a, publish=True, title="第一步")
    second = make_resource(world.teacher_a, publish=True, title="第二步")
    path = path_create(
        actor=world.teacher_a, title="程序设计入门", major_code=MAJOR, resources=[first, second]
    )
    usage_record(resource=first, actor=world.student_a, action=UsageAction.VIEW)
    progress = path_selectors.path_progress(actor=world.student_a, path=path)
    assert [s.done for s in progress.steps] == [True, False]
    assert path_selectors.path_get_for(actor=world.student_a, path_id=path.pk) == path
    with pytest.raises(NotFound):
        path_selectors.path_get_for(actor=world.teacher_c, path_id=path.pk)
    with pytest.raises(ValidationFailed):
        path_create(actor=world.teacher_a, title="x", major_code=MAJOR, resources=[first, first])
    page = _client(world.student_a).get(reverse("resources:path", args=[path.pk]))
    assert "已完成 1 步，共 2 步" in page.content.decode()
