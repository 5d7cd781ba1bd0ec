"""Pages of the talent-demand library and its dashboard, cooperation projects and the
portfolio of a partnership (ADR 0610–0612)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.dashboard import bar_chart, chart
from openvet.core.errors import PermissionDenied
from openvet.core.view_helpers import form_page, page, service_call
from openvet.industry import exports_cooperation, selectors
from openvet.industry import forms_cooperation as forms
from openvet.industry import permissions_cooperation as perms
from openvet.industry import selectors_cooperation as coop
from openvet.industry import services_cooperation as services
from openvet.industry.models_cooperation import MilestoneStatus, ProjectKind
from openvet.teaching.selectors import majors_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- Talent demand ------------------------------------------------------------------------


def _filters(request: HttpRequest) -> dict[str, Any]:
    year = request.GET.get("year", "")
    return {
        "year": int(year) if year.isdigit() else None,
        "major_code": request.GET.get("major", "").strip(),
        "region_code": request.GET.get("region", "").strip(),
    }


@page
def demand_list(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, perms.VIEW_DEMAND):
        raise PermissionDenied()
    filters = _filters(request)
    demand = coop.demand_list_for(actor=request.user, **filters)
    return render(
        request,
        "industry/demand_list.html",
        {
            "demand": demand,
            "filters": filters,
            "majors": coop.code_names(services.MAJOR_TABLE),
            "regions": coop.code_names(services.REGION_TABLE),
            "major_choices": coop.major_choices(),
            "region_choices": coop.region_choices(),
            "kept": {e.pk for e in coop.enterprises_kept_by(actor=request.user)},
            "query": request.GET.urlencode(),
        },
    )


def _demand_form(request: HttpRequest, initial: dict[str, Any]) -> forms.DemandForm:
    enterprises = coop.enterprises_kept_by(actor=request.user)
    if not enterprises:
        raise PermissionDenied()
    form = forms.DemandForm(request.POST or None, initial=initial)
    form.fields["enterprise"].choices = [(e.pk, e.name) for e in enterprises]  # type: ignore[attr-defined]
    form.fields["major_code"].choices = [("", "—"), *coop.major_choices()]  # type: ignore[attr-defined]
    form.fields["region_code"].choices = [("", "—"), *coop.region_choices()]  # type: ignore[attr-defined]
    return form


def _demand_page(request: HttpRequest, form: forms.DemandForm, demand: Any = None) -> HttpResponse:
    def save() -> Any:
        data = dict(form.cleaned_data)
        enterprise = next(
            e for e in coop.enterprises_kept_by(actor=request.user) if e.pk == data["enterprise"]
        )
        del data["enterprise"]
        return services.demand_save(
            actor=request.user, enterprise=enterprise, demand=demand, **data
        )

    return form_page(
        request,
        form,
        save,
        done=lambda _saved: redirect("industry:demand-list"),
        template="industry/coop_form_page.html",
        context=lambda: {
            "title": _("Talent demand") if demand else _("Declare talent demand"),
            "submit": _("Save demand"),
            "back_url": "industry:demand-list",
        },
        success=_("The talent demand was saved."),
    )


@page
def demand_new(request: HttpRequest) -> HttpResponse:
    form = _demand_form(request, {"year": timezone.localdate().year})
    return _demand_page(request, form)


@page
def demand_edit(request: HttpRequest, demand_id: int) -> HttpResponse:
    demand = coop.demand_get_for(actor=request.user, demand_id=demand_id)
    if not perms.can_keep_demand(request.user, demand.org):
        raise PermissionDenied()
    fields = forms.DemandForm.base_fields
    initial = {f: getattr(demand, f) for f in fields if f != "enterprise"}
    form = _demand_form(request, {**initial, "enterprise": demand.org_id})
    return _demand_page(request, form, demand)


@page
def demand_dashboard(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, perms.VIEW_DEMAND):
        raise PermissionDenied()
    filters = _filters(request)
    years = coop.demand_totals(coop.demand_list_for(actor=request.user), by="year")
    demand = coop.demand_list_for(actor=request.user, year=filters["year"])
    by_major = coop.demand_totals(demand, by="major_code")
    by_region = coop.demand_totals(demand, by="region_code")
    people = _("People needed")
    charts = [
        chart("major", _("People needed by major"), _bars(by_major, people)),
        chart("region", _("People needed by region"), _bars(by_region, people)),
        chart("year", _("People needed by year"), _bars(years, people)),
    ]
    return render(
        request,
        "industry/demand_dashboard.html",
        {
            "charts": charts,
            "by_major": by_major,
            "by_region": by_region,
            "years": years,
            "year": filters["year"],
            "total": sum(t.headcount for t in by_major),
        },
    )


def _bars(totals: list[coop.DemandTotal], series: str) -> dict[str, Any]:
    return bar_chart([t.label for t in totals], [t.headcount for t in totals], series=series)


@page
def demand_export(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, perms.VIEW_DEMAND):
        raise PermissionDenied()
    demand = coop.demand_list_for(actor=request.user, **_filters(request))
    content = exports_cooperation.demand_xlsx(demand)
    audit_record(action=AuditAction.EXPORT, actor=request.user, object_label="talent demand")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="talent-demand.xlsx"'
    return response


# --- Cooperation projects -----------------------------------------------------------------


@page
def project_list(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, perms.VIEW_PROJECT):
        raise PermissionDenied()
    return render(
        request,
        "industry/project_list.html",
        {
            "projects": coop.project_list_for(actor=request.user),
            "partnerships": coop.partnerships_for(actor=request.user),
            "can_create": bool(coop.schools_for_projects(actor=request.user)),
        },
    )


@page
def project_new(request: HttpRequest) -> HttpResponse:
    schools = {s.pk: s for s in coop.schools_for_projects(actor=request.user)}
    if not schools:
        raise PermissionDenied()
    enterprises = {e.pk: e for e in selectors.enterprise_list_for(actor=request.user)}
    majors = {m.pk: m for m in majors_for(actor=request.user, capability=perms.ADD_PROJECT)}
    form = forms.ProjectForm(request.POST or None, initial={"start_date": timezone.localdate()})
    form.fields["school"].choices = [(pk, s.name) for pk, s in schools.items()]  # type: ignore[attr-defined]
    form.fields["enterprise"].choices = [(pk, e.name) for pk, e in enterprises.items()]  # type: ignore[attr-defined]
    form.fields["partners"].choices = [(pk, e.name) for pk, e in enterprises.items()]  # type: ignore[attr-defined]
    form.fields["major"].choices = [("", "—"), *[(pk, m.name) for pk, m in majors.items()]]  # type: ignore[attr-defined]

    def create() -> Any:
        data = dict(form.cleaned_data)
        data["school"] = schools[data["school"]]
        data["enterprise"] = enterprises[data["enterprise"]]
        data["partners"] = [enterprises[pk] for pk in data["partners"]]
        data["major"] = majors.get(data["major"] or 0)
        return services.project_create(actor=request.user, **data)

    return form_page(
        request,
        form,
        create,
        done=lambda project: redirect("industry:project-detail", project_id=project.pk),
        template="industry/coop_form_page.html",
        context=lambda: {
            "title": _("New cooperation project"),
            "submit": _("Create project"),
            "back_url": "industry:project-list",
        },
        success=_("The cooperation project was created."),
    )


PROJECT_FORMS: dict[str, Any] = {
    "status": forms.StatusForm,
    "agreement": forms.AgreementForm,
    "milestone": forms.MilestoneForm,
    "reach": forms.MilestoneUpdateForm,
    "deliverable": forms.DeliverableForm,
    "fund": forms.FundForm,
}


def _project_call(request: HttpRequest, project: Any, name: str, data: dict[str, Any]) -> Any:
    """The service behind each form of the project page."""
    if name == "status":
        return services.project_status_set(actor=request.user, project=project, **data)
    if name == "agreement":
        return services.project_agreement_add(actor=request.user, project=project, **data)
    if name == "milestone":
        return services.project_milestone_add(actor=request.user, project=project, **data)
    if name == "reach":
        milestone = project.milestones.filter(pk=data.pop("milestone")).first()
        if milestone is None:
            raise PermissionDenied()
        return services.project_milestone_update(actor=request.user, milestone=milestone, **data)
    if name == "deliverable":
        return services.project_deliverable_add(actor=request.user, project=project, **data)
    amount = data.pop("amount")
    return services.project_fund_add(
        actor=request.user, project=project, amount_fen=int(amount * 100), **data
    )


@page
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = coop.project_get_for(actor=request.user, project_id=project_id)
    can_change = perms.can_change_project(request.user, project)
    posted = request.POST.get("form", "")
    bound = {
        name: cls(
            request.POST if posted == name else None,
            request.FILES if posted == name else None,
            prefix=name,
            initial={"status": project.status} if name == "status" else None,
        )
        for name, cls in PROJECT_FORMS.items()
    }
    status = 200
    if request.method == "POST":
        if not can_change or posted not in bound:
            raise PermissionDenied()
        form = bound[posted]
        if form.is_valid():
            outcome = service_call(
                request,
                lambda: _project_call(request, project, posted, dict(form.cleaned_data)),
                form=form,
                success=_("The project was updated."),
            )
            if outcome.ok:
                return redirect("industry:project-detail", project_id=project.pk)
        status = 422
    return render(
        request,
        "industry/project_detail.html",
        {
            "project": project,
            "forms": bound,
            "can_change": can_change,
            "milestones": project.milestones.all(),
            "agreements": project.agreements.all(),
            "deliverables": project.deliverables.all(),
            "funds": project.funds.all(),
            "fund_totals": coop.fund_totals(project),
            "milestone_statuses": MilestoneStatus.choices,
            "today": timezone.localdate(),
        },
        status=status,
    )


@page
def partnership_detail(request: HttpRequest, school_id: int, enterprise_id: int) -> HttpResponse:
    portfolio = coop.partnership_get_for(
        actor=request.user, school_id=school_id, enterprise_id=enterprise_id
    )
    return render(
        request,
        "industry/partnership_detail.html",
        {
            "p": portfolio,
            "kinds": dict(ProjectKind.choices),
            "majors": coop.code_names(services.MAJOR_TABLE),
            "regions": coop.code_names(services.REGION_TABLE),
        },
    )
