"""Pages: my pending approvals (htmx decisions), an instance's trail, monitoring, notices."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.errors import DomainError, PermissionDenied
from openvet.core.http import domain_errors
from openvet.identity.selectors import user_list_for
from openvet.workflow import selectors, services
from openvet.workflow.forms import DecisionForm, DelegationForm
from openvet.workflow.registry import process_kind, process_kinds

View = Callable[..., HttpResponse]


def _detail_url(instance: Any) -> str | None:
    kind = process_kind(instance.code)
    if kind is None or kind.detail_url is None:
        return None
    return kind.detail_url(services.info_of(instance))


@login_required
@domain_errors
def task_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.task_list_for(actor=request.user), 25).get_page(
        request.GET.get("page")
    )
    rows = [
        {"task": task, "url": _detail_url(task.instance), "form": DecisionForm()} for task in page
    ]
    return render(request, "workflow/task_list.html", {"page": page, "rows": rows})


@login_required
@domain_errors
@require_POST
def task_decide(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get_for(actor=request.user, task_id=task_id)
    form = DecisionForm(request.POST)
    error = None
    if form.is_valid():
        try:
            task = services.task_decide(
                actor=request.user,
                task=task,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            error = _error_text(exc)
    else:
        error = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    context = {
        "row": {"task": task, "url": _detail_url(task.instance), "form": form},
        "error": error,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "workflow/partials/_task_row.html", context)
    if error:
        messages.error(request, error)
    return redirect("workflow:task-list")


def _error_text(exc: DomainError) -> str:
    details = exc.details if isinstance(exc.details, dict) else {}
    return " ".join([str(exc.message), *(str(v) for v in details.values())])


@login_required
@domain_errors
def instance_detail(request: HttpRequest, instance_id: int) -> HttpResponse:
    instance = selectors.instance_get_for(actor=request.user, instance_id=instance_id)
    return render(
        request,
        "workflow/instance_detail.html",
        {
            "instance": instance,
            "tasks": selectors.instance_tasks(instance),
            "url": _detail_url(instance),
        },
    )


@login_required
@domain_errors
def monitor(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, "workflow.view_processinstance"):
        raise PermissionDenied()
    figures = selectors.monitoring_for(actor=request.user)
    labels = {kind.code: kind.label for kind in process_kinds()}
    return render(
        request,
        "workflow/monitor.html",
        {
            "by_step": [(labels.get(f.code, f.code), f) for f in figures["by_step"]],
            "averages": [(labels.get(f.code, f.code), f) for f in figures["averages"]],
            "overdue": figures["overdue"],
        },
    )


@login_required
@domain_errors
def notification_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notification_mark_read(actor=request.user)
        return redirect("workflow:notification-list")
    page = Paginator(selectors.notification_list_for(actor=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "workflow/notification_list.html", {"page": page})


@login_required
@domain_errors
def delegation_list(request: HttpRequest) -> HttpResponse:
    form = DelegationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        delegate = (
            user_list_for(actor=request.user)
            .filter(username=form.cleaned_data["to_username"])
            .first()
        )
        if delegate is None:
            form.add_error("to_username", DelegationForm.unknown_user_message())
        else:
            try:
                services.delegation_create(
                    actor=request.user,
                    to_user=delegate,
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                )
            except DomainError as exc:
                form.add_error(None, _error_text(exc))
            else:
                return redirect("workflow:delegation-list")
    return render(
        request,
        "workflow/delegation_list.html",
        {"form": form, "delegations": selectors.delegation_list_for(actor=request.user)},
    )


@login_required
@domain_errors
@require_POST
def delegation_revoke(request: HttpRequest, delegation_id: int) -> HttpResponse:
    delegation = selectors.delegation_get_for(actor=request.user, delegation_id=delegation_id)
    services.delegation_revoke(actor=request.user, delegation=delegation)
    return redirect("workflow:delegation-list")
