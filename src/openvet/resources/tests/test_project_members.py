"""Enterprises in library-building projects (ADR 0538, 0539): the lead adds a partner
enterprise, its people see only their projects, upload a resource into a package credited to
the enterprise, the lead reviews it, and the statistics count the enterprise."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openvet.core.errors import NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.factories import OrgUnitFactory
from openvet.identity.tests.factories import user_with_role
from openvet.resources import project_selectors as selectors
from openvet.resources import selectors as library
from openvet.resources.models import (
    Contribution,
    ContributionStatus,
    LibraryLevel,
    Project,
    ProjectMember,
    Resource,
    ResourceStatus,
    WorkPackage,
)
from openvet.resources.services import ContributorIn, projects, resource_publish
from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import MAJOR, make_resource, metadata, pdf_bytes, upload


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


@dataclass
class Firm:
    org: OrgUnit
    mentor: Any
    project: Project
    package: WorkPackage


@pytest.fixture
def firm(world: World) -> Firm:
    org = OrgUnitFactory(kind=OrgKind.ENTERPRISE, name="数控机床有限公司", parent=world.province)
    mentor = user_with_role(Role.ENTERPRISE_MENTOR, org, full_name="王工程师")
    project = projects.project_create(
        actor=world.admin_a,
        title="数控技术国家资源库",
        major_code=MAJOR,
        member_ids=[world.school_b.pk],
    )
    projects.project_add_member(actor=world.admin_a, project=project, org_id=org.pk)
    package = projects.package_create(
        actor=world.admin_a,
        project=project,
        title="企业案例包",
        owner_id=mentor.pk,
        deadline=timezone.localdate() + timedelta(days=30),
        planned_items=2,
    )
    return Firm(org, mentor, project, package)


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user, backend="openvet.identity.backends.IdentifierBackend")  # type: ignore[arg-type]
    return client


def _upload_into(firm: Firm, **overrides: Any) -> Contribution:
    key = upload(firm.mentor, "case.pdf", pdf_bytes("企业案例" + str(overrides)))
    return projects.contribution_upload(
        actor=firm.mentor,
        package=firm.package,
        contributors=[ContributorIn("王工程师", "", Decimal(100))],
        upload_keys=[key],
        **metadata(title="数控车床故障排除案例", **overrides),
    )


def test_an_enterprise_person_owns_a_package_uploads_and_the_lead_accepts(
    world: World, firm: Firm
) -> None:
    assert firm.package.owner == firm.mentor
    contribution = _upload_into(firm)
    resource = contribution.resource
    assert contribution.org == firm.org
    assert (resource.org, resource.owner, resource.status) == (
        firm.org,
        firm.mentor,
        ResourceStatus.DRAFT,
    )
    [credit] = resource.contributors.all()
    assert (credit.name, credit.organisation, credit.share) == ("王工程师", firm.org.name, 100)
    # It stays out of any school library: the lead's review is its way in.
    with pytest.raises(ValidationFailed):
        resource_publish(actor=firm.mentor, resource=resource)
    # The lead reads the draft it reviews, then accepts it.
    assert library.resource_get_for(actor=world.admin_a, resource_id=resource.pk) == resource
    projects.contribution_decide(actor=world.admin_a, contribution=contribution, accept=True)

    stats = {s.org.pk: s for s in selectors.member_stats(firm.project)}
    assert (stats[firm.org.pk].resources, stats[firm.org.pk].accepted) == (1, 1)
    assert stats[firm.org.pk].share == 100.0
    [progress] = selectors.package_progress(firm.project)
    assert (progress.accepted, progress.percent) == (1, 50)


def test_a_returned_upload_comes_back_and_shares_split_with_a_school(
    world: World, firm: Firm
) -> None:
    returned = _upload_into(firm)
    projects.contribution_decide(
        actor=world.admin_a, contribution=returned, accept=False, comment="请补充字幕"
    )
    again = projects.contribution_submit(
        actor=firm.mentor, package=firm.package, resource=returned.resource
    )
    assert again.pk == returned.pk
    assert again.status == ContributionStatus.SUBMITTED
    projects.contribution_decide(actor=world.admin_a, contribution=again, accept=True)
    school = projects.contribution_submit(
        actor=world.teacher_b, package=firm.package, resource=make_resource(world.teacher_b)
    )
    projects.contribution_decide(actor=world.admin_a, contribution=school, accept=True)
    stats = {s.org.pk: s.share for s in selectors.member_stats(firm.project)}
    assert stats[firm.org.pk] == stats[world.school_b.pk] == 50.0


def test_an_enterprise_sees_only_its_projects_and_nothing_of_the_schools_library(
    world: World, firm: Firm
) -> None:
    other = projects.project_create(
        actor=world.admin_a, title="另一个资源库", major_code=MAJOR, member_ids=[]
    )
    assert list(selectors.project_list_for(actor=firm.mentor)) == [firm.project]
    with pytest.raises(NotFound):
        selectors.project_get_for(actor=firm.mentor, project_id=other.pk)
    published = make_resource(world.teacher_a, title="校内课件", publish=True)
    draft = make_resource(world.teacher_a, title="校内草稿")
    school_b = projects.contribution_submit(
        actor=world.teacher_b, package=firm.package, resource=make_resource(world.teacher_b)
    )
    mine = _upload_into(firm).resource
    visible = set(library.resource_list_for(actor=firm.mentor))
    assert visible == {mine}
    for hidden in (published, draft, school_b.resource):
        with pytest.raises(NotFound):
            library.resource_get_for(actor=firm.mentor, resource_id=hidden.pk)
    # A teacher of another school does not read the enterprise's draft either.
    with pytest.raises(NotFound):
        library.resource_get_for(actor=world.teacher_c, resource_id=mine.pk)
    assert published.level == LibraryLevel.SCHOOL


def test_only_the_lead_reviews_and_adds_members(world: World, firm: Firm) -> None:
    contribution = _upload_into(firm)
    admin_b = user_with_role(Role.SCHOOL_ADMIN, world.school_b)
    admin_c = user_with_role(Role.SCHOOL_ADMIN, world.school_c)
    # A member school's administrator is not the lead; another school's is not even a member.
    with pytest.raises(PermissionDenied):
        projects.contribution_decide(actor=admin_b, contribution=contribution, accept=True)
    with pytest.raises(NotFound):
        projects.contribution_decide(actor=admin_c, contribution=contribution, accept=True)
    with pytest.raises(NotFound):
        library.resource_get_for(actor=admin_c, resource_id=contribution.resource_id)
    with pytest.raises(PermissionDenied):
        projects.project_add_member(actor=admin_b, project=firm.project, org_id=world.school_c.pk)
    with pytest.raises(PermissionDenied):
        projects.contribution_decide(actor=firm.mentor, contribution=contribution, accept=True)
    assert Contribution.objects.get().status == ContributionStatus.SUBMITTED


def test_outsiders_and_finished_packages_take_no_upload(world: World, firm: Firm) -> None:
    outsider_org = OrgUnitFactory(kind=OrgKind.ENTERPRISE, name="别家公司", parent=world.province)
    outsider = user_with_role(Role.ENTERPRISE_MENTOR, outsider_org)
    key = upload(outsider, "case.pdf", pdf_bytes("outsider"))
    with pytest.raises(NotFound):
        projects.contribution_upload(
            actor=outsider,
            package=firm.package,
            contributors=[ContributorIn("外人", "", Decimal(100))],
            upload_keys=[key],
            **metadata(),
        )
    projects.package_set_status(actor=world.admin_a, package=firm.package, status="done")
    firm.package.refresh_from_db()
    with pytest.raises(ValidationFailed):
        _upload_into(firm)
    # Students of a member school see the project but do not upload into it.
    student_b = user_with_role(Role.STUDENT, world.school_b)
    key = upload(firm.mentor, "x.pdf", pdf_bytes("x"))
    with pytest.raises(PermissionDenied):
        projects.contribution_upload(
            actor=student_b,
            package=firm.package,
            contributors=[ContributorIn("学生", "", Decimal(100))],
            upload_keys=[key],
            **metadata(),
        )
    assert not Resource.objects.filter(owner=outsider).exists()


def test_pages_lead_adds_the_enterprise_which_uploads_and_the_lead_accepts(world: World) -> None:
    org = OrgUnitFactory(kind=OrgKind.ENTERPRISE, name="智能制造股份公司", parent=world.province)
    mentor = user_with_role(Role.ENTERPRISE_MENTOR, org, full_name="李工")
    project = projects.project_create(
        actor=world.admin_a, title="智能制造资源库", major_code=MAJOR, member_ids=[]
    )
    lead = _client(world.admin_a)
    firm_page = _client(mentor)
    assert firm_page.get(reverse("resources:project", args=[project.pk])).status_code == 404

    added = lead.post(reverse("resources:member-add", args=[project.pk]), {"org": org.pk})
    assert added.status_code == 302
    assert ProjectMember.objects.filter(project=project, org=org).exists()
    again = lead.post(reverse("resources:member-add", args=[project.pk]), {"org": org.pk})
    assert again.status_code == 422
    lead.post(
        reverse("resources:package-create", args=[project.pk]),
        {
            "title": "企业真实案例",
            "owner": mentor.pk,
            "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "planned_items": 1,
        },
    )
    package = WorkPackage.objects.get(project=project)
    assert package.owner == mentor

    listing = firm_page.get(reverse("resources:project-list")).content.decode()
    assert "智能制造资源库" in listing
    form_page = firm_page.get(reverse("resources:package-upload", args=[project.pk]))
    assert form_page.status_code == 200
    assert "李工" in form_page.content.decode()
    fields = {
        "package": package.pk,
        "title": "产线调试案例",
        "resource_type": "document",
        "major_code": MAJOR,
        "difficulty": 3,
        "audience": "learner",
        "licence": "cc-by",
        "contributor_0_name": "李工",
        "contributor_0_share": "100",
    }
    # A missing file keeps what was typed and says what is wrong.
    refused = firm_page.post(reverse("resources:package-upload", args=[project.pk]), fields)
    assert refused.status_code == 422
    assert "产线调试案例" in refused.content.decode()
    assert "请至少上传一个文件" in refused.content.decode()
    key = upload(mentor, "case.pdf", pdf_bytes("case"))
    sent = firm_page.post(
        reverse("resources:package-upload", args=[project.pk]), {**fields, "upload_keys": key}
    )
    assert sent.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.org == org

    lead.post(
        reverse("resources:contribution-decide", args=[contribution.pk]), {"decision": "accept"}
    )
    assert Contribution.objects.get().status == ContributionStatus.ACCEPTED
    page = firm_page.get(reverse("resources:project", args=[project.pk])).content.decode()
    assert "已接受" in page
    assert "智能制造股份公司" in page
    # The enterprise reads its own resource, and no other page of the library opens to it.
    assert (
        firm_page.get(reverse("resources:detail", args=[contribution.resource_id])).status_code
        == 200
    )
    assert firm_page.get(reverse("resources:mine")).status_code == 403
    assert (
        firm_page.post(
            reverse("resources:member-add", args=[project.pk]), {"org": world.school_b.pk}
        ).status_code
        == 403
    )


def test_another_schools_lead_cannot_review_over_http(world: World, firm: Firm) -> None:
    contribution = _upload_into(firm)
    admin_c = user_with_role(Role.SCHOOL_ADMIN, world.school_c)
    admin_b = user_with_role(Role.SCHOOL_ADMIN, world.school_b)
    url = reverse("resources:contribution-decide", args=[contribution.pk])
    assert _client(admin_c).post(url, {"decision": "accept"}).status_code == 404
    assert _client(admin_b).post(url, {"decision": "accept"}).status_code == 403
    assert Contribution.objects.get().status == ContributionStatus.SUBMITTED
