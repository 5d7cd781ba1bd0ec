"""Core's pages: home dashboard, org tree browser and audit log. Parse, call, render."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openvet.core import policy, selectors, services
from openvet.core.errors import DomainError, NotFound, PermissionDenied
from openvet.core.forms import AuditFilterForm, OrgForm
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.services import MAJOR_CATALOG_TABLE
from openvet.core.shell import dashboard_for, school_panels_for
from openvet.core.view_helpers import domain_errors

AUDIT_PAGE_SIZE = 25
SEARCH_LIMIT = 50
View = Callable[..., HttpResponse]


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted  # type: ignore[attr-defined]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": dashboard_for(request.user)})


@login_required
@domain_errors
def school_overview(request: HttpRequest, school_id: int) -> HttpResponse:
    """One school of the reader's region, as its own administrators see it (404 elsewhere)."""
    school = selectors.school_get_for(
        actor=request.user, school_id=school_id, capability="core.view_dashboard_region"
    )
    return render(
        request,
        "core/school_overview.html",
        {"school": school, "panels": school_panels_for(school)},
    )


# -- org tree -------------------------------------------------------------------------------


def _require_browse(request: HttpRequest) -> None:
    if not policy.has_capability(request.user, "core.view_orgunit"):
        raise PermissionDenied()


def _org_detail_context(request: HttpRequest, org: OrgUnit) -> dict[str, Any]:
    user = request.user
    may_add = policy.has_capability(user, "core.add_orgunit", org)
    return {
        "org": org,
        "ancestors": selectors.org_visible_ancestors(actor=user, org=org),
        "children": selectors.org_children_for(actor=user, parent=org),
        "child_kinds": [(kind, OrgKind(kind).label) for kind in selectors.org_child_kinds(org)]
        if may_add
        else [],
        "may_change": policy.has_capability(user, "core.change_orgunit", org),
    }


@login_required
@domain_errors
def org_list(request: HttpRequest) -> HttpResponse:
    _require_browse(request)
    search = request.GET.get("q", "").strip()[:100]
    results = (
        list(selectors.org_list_for(actor=request.user, search=search)[:SEARCH_LIMIT])
        if search
        else None
    )
    context: dict[str, Any] = {
        "search": search,
        "results": results,
        "roots": selectors.org_roots_for(actor=request.user),
    }
    if _is_htmx(request) and request.headers.get("HX-Target") == "org-tree":
        return render(request, "core/partials/_org_tree.html", context)
    return render(request, "core/org_list.html", context)


@login_required
@domain_errors
def org_children(request: HttpRequest, org_id: int) -> HttpResponse:
    parent = selectors.org_get_for(actor=request.user, org_id=org_id)
    children = selectors.org_children_for(actor=request.user, parent=parent)
    return render(request, "core/partials/_org_children.html", {"nodes": children})


@login_required
@domain_errors
def org_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    org = selectors.org_get_for(actor=request.user, org_id=org_id)
    context = _org_detail_context(request, org)
    if _is_htmx(request):
        return render(request, "core/partials/_org_detail.html", context)
    context["roots"] = selectors.org_roots_for(actor=request.user)
    return render(request, "core/org_list.html", context)


def _form_context(form: OrgForm, placed_in: OrgUnit | None, **extra: Any) -> dict[str, Any]:
    school = selectors.org_school_of(placed_in) if placed_in is not None else None
    catalogue = []
    if form.kind == OrgKind.MAJOR and school is not None:
        table = MAJOR_CATALOG_TABLE.get(school.school_type)  # type: ignore[call-overload]
        catalogue = list(selectors.code_items(table)) if table else []
    return {"form": form, "catalogue": catalogue, "kind_label": OrgKind(form.kind).label, **extra}


def _show_errors(form: OrgForm, error: DomainError) -> None:
    details = error.details if isinstance(error.details, dict) else {}
    shown = False
    for field, message in details.items():
        if field in form.fields and isinstance(message, str):
            form.add_error(field, message)
            shown = True
    if not shown:
        form.add_error(None, str(error.message))


@login_required
@domain_errors
def org_create(request: HttpRequest, org_id: int, kind: str) -> HttpResponse:
    parent = selectors.org_get_for(actor=request.user, org_id=org_id, capability="core.add_orgunit")
    if kind not in selectors.org_child_kinds(parent):
        raise NotFound()
    form = OrgForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_create(actor=request.user, parent=parent, kind=kind, **form.values())
        except DomainError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": org.name})
            return redirect("core:org-detail", org_id=org.pk)
    return render(request, "core/org_form.html", _form_context(form, parent, parent=parent))


@login_required
@domain_errors
def org_edit(request: HttpRequest, org_id: int) -> HttpResponse:
    org = selectors.org_get_for(actor=request.user, org_id=org_id, capability="core.change_orgunit")
    initial = {
        key: getattr(org, key)
        for key in ("name", "name_en", "code", "school_type", "grade_year", "is_active")
    }
    form = OrgForm(request.POST or None, kind=org.kind, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_update(actor=request.user, org=org, **form.values())
        except DomainError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("core:org-detail", org_id=org.pk)
    return render(request, "core/org_form.html", _form_context(form, org.parent, org=org))


# -- audit log ------------------------------------------------------------------------------


@login_required
@domain_errors
def audit_list(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, "core.view_auditentry"):
        raise PermissionDenied()
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_list_for(
        actor=request.user,
        action=filters.get("action") or "",
        search=(filters.get("q") or "").strip(),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if _is_htmx(request):
        return render(request, "core/partials/_audit_results.html", context)
    return render(request, "core/audit_list.html", context)
