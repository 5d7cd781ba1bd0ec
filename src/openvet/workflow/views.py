"""Pages: my pending approvals (htmx decisions), an instance's trail, monitoring, notices,
and the process definitions of a school with their versions."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.errors import (
    Conflict,
    DomainError,
    PermissionDenied,
    ValidationFailed,
)
from openvet.core.models import OrgUnit
from openvet.core.roles import Role
from openvet.core.view_helpers import domain_errors
from openvet.identity.selectors import user_list_for
from openvet.workflow import selectors, services
from openvet.workflow.contracts import DefinitionInfo, StepSpec
from openvet.workflow.describe import request_cards
from openvet.workflow.forms import (
    BaseStepFormSet,
    DecisionForm,
    DefinitionVersionForm,
    DelegationForm,
    step_formset,
    step_initial,
)
from openvet.workflow.models import OrgLevel, StepMode
from openvet.workflow.registry import process_kinds

CHANGE_DEFINITIONS = "workflow.change_processdefinition"

View = Callable[..., HttpResponse]


@login_required
@domain_errors
def task_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.task_list_for(actor=request.user), 25).get_page(
        request.GET.get("page")
    )
    cards = request_cards(task.instance for task in page)
    rows = [
        {"task": task, "card": cards[task.instance_id], "form": DecisionForm()} for task in page
    ]
    return render(request, "workflow/task_list.html", {"page": page, "rows": rows})


@login_required
@domain_errors
def request_list(request: HttpRequest) -> HttpResponse:
    """My requests: what I asked for, in which state, linked to each request's page."""
    page = Paginator(selectors.instance_list_of_applicant(actor=request.user), 25).get_page(
        request.GET.get("page")
    )
    cards = request_cards(page)
    return render(
        request,
        "workflow/request_list.html",
        {"page": page, "cards": [cards[instance.pk] for instance in page]},
    )


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
    card = request_cards([task.instance])[task.instance_id]
    context = {
        "row": {"task": task, "card": card, "form": form},
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
            "card": request_cards([instance])[instance.pk],
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


# Process definitions -----------------------------------------------------------------------


@login_required
@domain_errors
def definition_list(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("school", "")
    school_id = int(raw) if raw.isdigit() else None
    school = selectors.definition_school_for(actor=request.user, school_id=school_id)
    schools = selectors.definition_schools_for(actor=request.user)
    return render(
        request,
        "workflow/definition_list.html",
        {
            "school": school,
            "schools": schools if schools[1:2].exists() else None,
            "definitions": selectors.definitions_in_force(school=school),
        },
    )


@login_required
@domain_errors
def definition_detail(request: HttpRequest, school_id: int, code: str) -> HttpResponse:
    school = selectors.definition_school_get_for(actor=request.user, school_id=school_id)
    definition = selectors.definition_in_force(code=code, school=school)
    return render(
        request,
        "workflow/definition_detail.html",
        {
            "school": school,
            "definition": definition,
            "steps": [_step_row(step) for step in definition.steps],
            "versions": selectors.definition_versions(code=code, school=school),
            "can_change": policy.has_capability(request.user, CHANGE_DEFINITIONS, school),
        },
    )


@login_required
@domain_errors
def definition_create(request: HttpRequest, school_id: int, code: str) -> HttpResponse:
    """A new version: the steps in force, to change, add to, reorder or remove."""
    school = selectors.definition_school_get_for(actor=request.user, school_id=school_id)
    policy.require(request.user, CHANGE_DEFINITIONS, school)
    definition = selectors.definition_in_force(code=code, school=school)
    if request.method == "POST":
        return _definition_post(request, school, definition)
    initial = [step_initial(order, step) for order, step in enumerate(definition.steps, 1)]
    version_form = DefinitionVersionForm(initial={"based_on_id": definition.id})
    return _definition_form(
        request, school, definition, step_formset(initial=initial), version_form
    )


def _definition_post(
    request: HttpRequest, school: OrgUnit, definition: DefinitionInfo
) -> HttpResponse:
    """Save the new version, or (``action=add``) show the steps again with a blank one."""
    adding = request.POST.get("action") == "add"
    formset = step_formset(data=request.POST, require_steps=not adding)
    version_form = DefinitionVersionForm(request.POST)
    if not (formset.is_valid() and version_form.is_valid()):
        return _definition_form(request, school, definition, formset, version_form, status=422)
    if adding:
        formset = _with_blank_step(formset)
        return _definition_form(request, school, definition, formset, version_form)
    try:
        created = services.definition_create(
            actor=request.user,
            code=definition.code,
            school=school,
            steps=formset.step_specs(),
            based_on_id=version_form.cleaned_data["based_on_id"],
        )
    except (Conflict, ValidationFailed) as exc:
        formset.non_form_errors().append(_error_text(exc))
        status = exc.status
        return _definition_form(request, school, definition, formset, version_form, status=status)
    messages.success(
        request,
        _("Version %(version)s is now in force for %(school)s.")
        % {"version": created.version, "school": school.name},
    )
    return redirect("workflow:definition-detail", school_id=school.pk, code=definition.code)


def _step_row(step: StepSpec) -> dict[str, Any]:
    """A step in words for the reader: role and level names, deadline, condition."""
    roles = dict(Role.choices)
    levels = dict(OrgLevel.choices)
    condition = ""
    if step.condition:
        operator = "in" if "in" in step.condition else "not_in"
        template = (
            _("only when %(field)s is one of %(values)s")
            if operator == "in"
            else _("only when %(field)s is none of %(values)s")
        )
        values = ", ".join(str(v) for v in step.condition[operator])
        condition = template % {"field": step.condition["field"], "values": values}
    return {
        "name": _(step.name),
        "roles": [str(roles.get(role, role)) for role in step.roles],
        "org_level": str(levels.get(step.org_level, step.org_level)),
        "countersign": step.mode == StepMode.ALL,
        "deadline": _deadline_text(step.deadline_hours),
        "condition": condition,
    }


def _deadline_text(hours: int | None) -> str:
    if not hours:
        return _("no deadline")
    if hours % 24 == 0:
        return ngettext("%(count)s day", "%(count)s days", hours // 24) % {"count": hours // 24}
    return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}


def _with_blank_step(formset: BaseStepFormSet) -> BaseStepFormSet:
    """The same steps, renumbered in their order, with one more blank row at the end."""
    blanks = sum(
        1
        for index, form in enumerate(formset.forms)
        if index >= formset.initial_form_count() and not form.has_changed()
    )
    initial = [step_initial(order, step) for order, step in enumerate(formset.step_specs(), 1)]
    return step_formset(initial=initial, extra=blanks + 1, require_steps=False)


def _definition_form(
    request: HttpRequest,
    school: OrgUnit,
    definition: DefinitionInfo,
    formset: BaseStepFormSet,
    version_form: DefinitionVersionForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "workflow/definition_form.html",
        {
            "school": school,
            "definition": definition,
            "formset": formset,
            "version_form": version_form,
        },
        status=status,
    )
