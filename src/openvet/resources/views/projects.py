"""Pages of library-building projects (ADR 0520) and learning paths (ADR 0522)."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.audit import audit_record
from openvet.core.errors import PermissionDenied
from openvet.core.exports import xlsx_bytes
from openvet.core.models import AuditAction, OrgKind, OrgUnit
from openvet.core.view_helpers import service_call
from openvet.resources import permissions as perms
from openvet.resources import project_selectors as selectors
from openvet.resources import selectors as library
from openvet.resources.forms import CONTRIBUTOR_ROWS
from openvet.resources.models import PackageStatus
from openvet.resources.presenters import major_name
from openvet.resources.project_forms import (
    ContributeForm,
    MemberForm,
    PackageForm,
    PackageUploadForm,
    ProjectForm,
)
from openvet.resources.services import projects as services
from openvet.resources.services.projects import MEMBER_KINDS
from openvet.resources.services.resources import ContributorIn, major_choices
from openvet.resources.views.common import page


def _org_choices(exclude: set[int] | None = None) -> list[tuple[int, str]]:
    orgs = OrgUnit.objects.filter(kind__in=MEMBER_KINDS, is_active=True).order_by("kind", "name")
    label = {OrgKind.SCHOOL: _("School"), OrgKind.ENTERPRISE: _("Enterprise")}
    return [
        (org.pk, f"{org.name}（{label[OrgKind(org.kind)]}）")
        for org in orgs
        if org.pk not in (exclude or set())
    ]


@page
def project_list(request: HttpRequest) -> HttpResponse:
    may_create = policy.has_capability(request.user, perms.MANAGE)
    form = ProjectForm(request.POST or None, majors=major_choices(), orgs=_org_choices())
    if request.method == "POST" and may_create and form.is_valid():
        outcome = service_call(
            request,
            lambda: services.project_create(actor=request.user, **form.cleaned_data),
            form=form,
            success=_("The project was created."),
        )
        if outcome.ok and outcome.value is not None:
            return redirect("resources:project", project_id=outcome.value.pk)
    projects = list(selectors.project_list_for(actor=request.user))
    return render(
        request,
        "resources/project_list.html",
        {
            "projects": [(p, major_name(p.major_code)) for p in projects],
            "form": form if may_create else None,
        },
        status=422 if form.errors else 200,
    )


def _detail(
    request: HttpRequest,
    project_id: int,
    package_form: PackageForm | None = None,
    contribute_form: ContributeForm | None = None,
    member_form: MemberForm | None = None,
) -> HttpResponse:
    project = selectors.project_get_for(actor=request.user, project_id=project_id)
    is_admin = services.can_administer(request.user, project)
    progress = selectors.package_progress(project)
    people = [(u.pk, u.full_name) for u in services.people_of_members(project)] if is_admin else []
    open_packages = [
        (p.package.pk, p.package.title) for p in progress if p.package.status == "open"
    ]
    mine = [(r.pk, r.title) for r in library.my_resource_list(actor=request.user)]
    failed = bool(
        (package_form and package_form.errors)
        or (contribute_form and contribute_form.errors)
        or (member_form and member_form.errors)
    )
    members = [m.org for m in project.members.select_related("org")]
    return render(
        request,
        "resources/project_detail.html",
        {
            "project": project,
            "major": major_name(project.major_code),
            "is_admin": is_admin,
            "progress": progress,
            "stats": selectors.member_stats(project),
            "contributions": selectors.contribution_list(project),
            "members": members,
            "package_form": (package_form or PackageForm(people=people)) if is_admin else None,
            "member_form": (
                member_form or MemberForm(orgs=_org_choices(exclude={o.pk for o in members}))
            )
            if is_admin
            else None,
            "may_upload": bool(open_packages)
            and policy.has_capability(request.user, perms.CONTRIBUTE),
            "contribute_form": contribute_form
            or ContributeForm(packages=open_packages, resources=mine),
        },
        status=422 if failed else 200,
    )


@page
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    return _detail(request, project_id)


@page
@require_POST
def package_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for(actor=request.user, project_id=project_id)
    people = [(u.pk, u.full_name) for u in services.people_of_members(project)]
    form = PackageForm(request.POST, people=people)
    if form.is_valid():
        data = form.cleaned_data
        outcome = service_call(
            request,
            lambda: services.package_create(
                actor=request.user,
                project=project,
                title=data["title"],
                owner_id=data["owner"],
                deadline=data["deadline"],
                planned_items=data["planned_items"],
            ),
            form=form,
            success=_("The work package was added."),
        )
        if outcome.ok:
            return redirect("resources:project", project_id=project.pk)
    return _detail(request, project_id, package_form=form)


@page
@require_POST
def member_add(request: HttpRequest, project_id: int) -> HttpResponse:
    """The lead school adds a member school or enterprise (ADR 0538)."""
    project = selectors.project_get_for(actor=request.user, project_id=project_id)
    members = {m.org_id for m in project.members.all()}
    form = MemberForm(request.POST, orgs=_org_choices(exclude=members))
    if form.is_valid():
        outcome = service_call(
            request,
            lambda: services.project_add_member(
                actor=request.user, project=project, org_id=form.cleaned_data["org"]
            ),
            form=form,
            success=_("The member was added; its people now see the project."),
        )
        if outcome.ok:
            return redirect("resources:project", project_id=project.pk)
    return _detail(request, project_id, member_form=form)


@page
def package_upload(request: HttpRequest, project_id: int) -> HttpResponse:
    """A member uploads a new resource straight into one of the project's open packages."""
    project = selectors.project_get_for(actor=request.user, project_id=project_id)
    if not policy.has_capability(request.user, perms.CONTRIBUTE):
        raise PermissionDenied()
    packages = [(p.pk, p.title) for p in project.packages.filter(status=PackageStatus.OPEN)]
    form = PackageUploadForm(
        request.POST or None,
        majors=major_choices(),
        packages=packages,
        initial={
            "package": request.GET.get("package", ""),
            "major_code": project.major_code,
            "contributor_0_name": getattr(request.user, "full_name", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        package = selectors.package_get_for(
            actor=request.user, package_id=form.cleaned_data["package"]
        )
        contributors = [
            ContributorIn(name, "", Decimal(share)) for name, share in form.contributors()
        ]
        outcome = service_call(
            request,
            lambda: services.contribution_upload(
                actor=request.user,
                package=package,
                contributors=contributors,
                upload_keys=form.keys(),
                **form.metadata(),
            ),
            form=form,
            success=_("Your resource was uploaded and sent to the lead school for review."),
        )
        if outcome.ok:
            return redirect("resources:project", project_id=project.pk)
    return render(
        request,
        "resources/project_upload.html",
        {"project": project, "form": form, "contributor_rows": _contributor_rows(form)},
        status=422 if form.errors else 200,
    )


def _contributor_rows(form: PackageUploadForm) -> list[tuple[Any, Any]]:
    return [
        (form[f"contributor_{row}_name"], form[f"contributor_{row}_share"])
        for row in range(CONTRIBUTOR_ROWS)
    ]


@page
@require_POST
def package_status(request: HttpRequest, package_id: int) -> HttpResponse:
    package = selectors.package_get_for(actor=request.user, package_id=package_id)
    status = PackageStatus.DONE if request.POST.get("status") == "done" else PackageStatus.OPEN
    service_call(
        request,
        lambda: services.package_set_status(actor=request.user, package=package, status=status),
        success=_("The work package was updated."),
    )
    return redirect("resources:project", project_id=package.project_id)


@page
@require_POST
def contribute(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for(actor=request.user, project_id=project_id)
    packages = [(p.pk, p.title) for p in project.packages.filter(status=PackageStatus.OPEN)]
    mine = {r.pk: r for r in library.my_resource_list(actor=request.user)}
    form = ContributeForm(
        request.POST, packages=packages, resources=[(pk, r.title) for pk, r in mine.items()]
    )
    if form.is_valid():
        package = selectors.package_get_for(
            actor=request.user, package_id=form.cleaned_data["package"]
        )
        resource = mine[form.cleaned_data["resource"]]
        outcome = service_call(
            request,
            lambda: services.contribution_submit(
                actor=request.user, package=package, resource=resource
            ),
            form=form,
            success=_("Your resource was sent to the lead school for review."),
        )
        if outcome.ok:
            return redirect("resources:project", project_id=project.pk)
    return _detail(request, project_id, contribute_form=form)


@page
@require_POST
def contribution_decide(request: HttpRequest, contribution_id: int) -> HttpResponse:
    contribution = selectors.contribution_get_for(
        actor=request.user, contribution_id=contribution_id
    )
    accept = request.POST.get("decision") == "accept"
    service_call(
        request,
        lambda: services.contribution_decide(
            actor=request.user,
            contribution=contribution,
            accept=accept,
            comment=request.POST.get("comment", ""),
        ),
        success=_("Accepted.") if accept else _("Returned to its author with your comment."),
    )
    return redirect("resources:project", project_id=contribution.package.project_id)


@page
def project_stats_xlsx(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for(actor=request.user, project_id=project_id)
    member_rows = [
        [s.org.name, s.resources, s.accepted, s.share] for s in selectors.member_stats(project)
    ]
    package_rows = [
        [
            p.package.title,
            p.package.owner.full_name,
            p.package.deadline,
            p.package.planned_items,
            p.accepted,
            p.percent,
            _("Overdue") if p.overdue else str(PackageStatus(p.package.status).label),
        ]
        for p in selectors.package_progress(project)
    ]
    headers = [_("Member"), _("Resources contributed"), _("Accepted"), _("Share of accepted (%)")]
    blank = [[""] * 4]
    package_headers = [
        [
            _("Work package"),
            _("Owner"),
            _("Deadline"),
            _("Planned resources"),
            _("Accepted"),
            _("Progress (%)"),
            _("Status"),
        ]
    ]
    audit_record(action=AuditAction.EXPORT, obj=project, org=project.lead)
    response = HttpResponse(
        xlsx_bytes(headers, [*member_rows, *blank, *package_headers, *package_rows]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="project-{project.pk}-stats.xlsx"'
    return response
