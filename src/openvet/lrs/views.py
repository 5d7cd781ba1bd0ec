"""The LRS administration pages: a school's clients (a new client's key and secret shown
once, a client stopped), where the school forwards its statements, and how long it keeps
them (with the monthly statement tables for the platform administrator)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.view_helpers import domain_errors, form_page, page, service_call
from openvet.lrs import partitions, retention, selectors, services
from openvet.lrs.forms import (
    ClientForm,
    RetentionForm,
    UpstreamForm,
    WarningCloseForm,
    WarningRulesForm,
)
from openvet.lrs.presenters import warning_reason
from openvet.lrs.xapi import validate


@login_required
@domain_errors
def client_list(request: HttpRequest) -> HttpResponse:
    viewable = list(selectors.client_schools_for(actor=request.user))
    if not viewable:
        raise PermissionDenied()
    addable = list(
        selectors.client_schools_for(actor=request.user, capability=selectors.ADD_CLIENT)
    )
    choices = [(school.pk, school.name) for school in addable]
    form = ClientForm(request.POST or None, schools=choices)
    made = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            school = next((s for s in addable if s.pk == data["school"]), None)
            if school is None:
                raise NotFound()
            made = service_call(
                request,
                lambda: services.client_create(
                    actor=request.user,
                    name=data["name"],
                    school=school,
                    can_read=data["can_read"],
                    can_write=data["can_write"],
                    xapi_version=data["xapi_version"],
                ),
                form=form,
            ).value
        if made is None:
            status = 422
        else:
            form = ClientForm(schools=choices)
    context = {
        "clients": selectors.client_list_for(actor=request.user),
        "form": form,
        "can_add": bool(addable),
        "addable_ids": {school.pk for school in addable},
        "made": made,
        "forwarding": selectors.forwarding_list_for(actor=request.user),
        "endpoint": request.build_absolute_uri("/xapi/"),
    }
    return render(request, "lrs/client_list.html", context, status=status)


@require_POST
@page
def client_deactivate(request: HttpRequest, client_id: int) -> HttpResponse:
    service_call(
        request,
        lambda: services.client_deactivate_for(actor=request.user, client_id=client_id),
        success=_("The client is stopped: its key and secret no longer work."),
    )
    return redirect("lrs:client-list")


@page
def upstream_edit(request: HttpRequest, school_id: int) -> HttpResponse:
    school = selectors.upstream_school_get_for(actor=request.user, school_id=school_id)
    upstream = selectors.upstream_of(school=school)
    initial: dict[str, Any] = {"is_active": True}
    if upstream is not None:
        initial = {
            "endpoint": upstream.endpoint,
            "key": upstream.key,
            "version": upstream.version,
            "is_active": upstream.is_active,
        }
    form = UpstreamForm(request.POST or None, initial=initial)

    def save() -> object:
        data = form.cleaned_data
        return services.upstream_save(actor=request.user, school=school, **data)

    return form_page(
        request,
        form,
        save,
        done=lambda _saved: redirect("lrs:client-list"),
        template="lrs/upstream_form.html",
        context=lambda: {"school": school, "upstream": upstream},
        success=_("Forwarding saved."),
    )


def _shown(names: dict[str, str]) -> str:
    """The name of a verb or activity in the page's language."""
    wanted = "zh-CN" if get_language().lower().startswith("zh") else "en-US"
    return names.get(wanted) or next(iter(names.values()), "")


@page
def learner_statements(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    wanted = int(request.user.pk or 0) if user_id is None else user_id
    learner, bodies = selectors.learner_statement_list_for(actor=request.user, user_id=wanted)
    records = []
    for body in bodies:
        definition = body["object"].get("definition") or {}
        score = ((body.get("result") or {}).get("score") or {}).get("raw")
        records.append(
            {
                "when": validate.stored_time(body["timestamp"]),
                "verb": _shown(body["verb"].get("display") or {}),
                "activity": _shown(definition.get("name") or {}),
                "score": score,
            }
        )
    context = {"learner": learner, "records": records, "is_own": learner.pk == request.user.pk}
    return render(request, "lrs/learner_statements.html", context)


@page
def warning_list(request: HttpRequest) -> HttpResponse:
    closed = request.GET.get("show") == "closed"
    warnings = selectors.warning_list_for(actor=request.user, closed=closed)[:200]
    rows = [
        {
            "warning": warning,
            "reason": warning_reason(warning),
            "is_own": warning.learner_id == request.user.pk,
        }
        for warning in warnings
    ]
    return render(request, "lrs/warning_list.html", {"rows": rows, "closed": closed})


@page
def warning_detail(request: HttpRequest, warning_id: int) -> HttpResponse:
    warning = selectors.warning_get_for(actor=request.user, warning_id=warning_id)
    can_handle = selectors.can_handle_warning(request.user, warning)
    form = WarningCloseForm(request.POST or None)
    if request.method == "POST":
        if not can_handle:
            raise NotFound()
        if request.POST.get("action") == "acknowledge":
            service_call(
                request,
                lambda: services.warning_acknowledge(actor=request.user, warning_id=warning.pk),
                success=_("Warning acknowledged."),
            )
            return redirect("lrs:warning-detail", warning_id=warning.pk)
        if form.is_valid():
            outcome = service_call(
                request,
                lambda: services.warning_close(
                    actor=request.user, warning_id=warning.pk, note=form.cleaned_data["note"]
                ),
                form=form,
                success=_("Warning closed."),
            )
            if outcome.ok:
                return redirect("lrs:warning-list")
    context = {
        "warning": warning,
        "reason": warning_reason(warning),
        "can_handle": can_handle and warning.status != "closed",
        "form": form,
    }
    status = 422 if form.errors else 200
    return render(request, "lrs/warning_detail.html", context, status=status)


@page
def warning_rules(request: HttpRequest) -> HttpResponse:
    school = selectors.warning_rule_schools_for(actor=request.user).first()
    if school is None:
        raise PermissionDenied()
    rules = selectors.warning_rules_of(school=school)
    initial = {}
    for rule in rules:
        initial.update(
            {
                f"{rule.kind}_threshold": rule.threshold,
                f"{rule.kind}_days": rule.days,
                f"{rule.kind}_active": rule.is_active,
            }
        )
    form = WarningRulesForm(request.POST or None, initial=initial)

    def save() -> object:
        data = form.cleaned_data
        for rule in rules:
            services.warning_rule_save(
                actor=request.user,
                school=school,
                kind=rule.kind,
                threshold=data[f"{rule.kind}_threshold"],
                days=data[f"{rule.kind}_days"],
                is_active=data[f"{rule.kind}_active"],
            )
        return None

    return form_page(
        request,
        form,
        save,
        done=lambda _saved: redirect("lrs:warning-rules"),
        template="lrs/warning_rules.html",
        context=lambda: {"school": school, "kinds": WarningRulesForm.groups(form)},
        success=_("Early-warning rules saved."),
    )


@page
def retention_list(request: HttpRequest) -> HttpResponse:
    schools = selectors.retention_list_for(actor=request.user)
    if not schools:
        raise PermissionDenied()
    manages = selectors.can_manage_partitions(request.user)
    if len(schools) == 1 and not manages:
        return redirect("lrs:retention-edit", school_id=schools[0][0].pk)
    context = {
        "schools": schools,
        "platform_days": retention.retention_days(),
        "partitions": partitions.partition_rows() if manages else [],
        "ahead": partitions.months_ahead() if manages and partitions.is_partitioned() else [],
    }
    return render(request, "lrs/retention_list.html", context)


@page
def retention_edit(request: HttpRequest, school_id: int) -> HttpResponse:
    """GET: the school's retention; a valid POST first shows how many records the next run
    would remove, and saves only when that is confirmed."""
    school = selectors.retention_school_get_for(actor=request.user, school_id=school_id)
    info = selectors.retention_of(school=school)
    form = RetentionForm(request.POST or None, initial=_retention_initial(info.own_days))
    expiring = None
    if request.method == "POST" and form.is_valid():
        days = form.days()
        if request.POST.get("confirm") == "yes":
            outcome = service_call(
                request,
                lambda: retention.school_retention_save(
                    actor=request.user, school=school, days=days
                ),
                form=form,
                success=_("Retention period saved."),
            )
            if outcome.ok:
                return redirect("lrs:retention-edit", school_id=school.pk)
        else:
            expiring = {"count": retention.expiring_count(school=school, days=days), "days": days}
    context = {
        "school": school,
        "info": info,
        "form": form,
        "expiring": expiring,
        "schools_count": len(selectors.retention_list_for(actor=request.user)),
    }
    status = 422 if form.errors else 200
    return render(request, "lrs/retention_form.html", context, status=status)


def _retention_initial(own_days: int | None) -> dict[str, Any]:
    if own_days is None:
        return {"period": RetentionForm.PLATFORM, "unit": RetentionForm.DAYS}
    if own_days == 0:
        return {"period": RetentionForm.FOREVER, "unit": RetentionForm.DAYS}
    return {"period": RetentionForm.OWN, "amount": own_days, "unit": RetentionForm.DAYS}


@require_POST
@page
def partitions_make(request: HttpRequest) -> HttpResponse:
    made = retention.partitions_make(actor=request.user)
    messages.success(
        request,
        ngettext("%(count)d monthly table made.", "%(count)d monthly tables made.", len(made))
        % {"count": len(made)},
    )
    return redirect("lrs:retention-list")
