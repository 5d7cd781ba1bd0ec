"""Pages of learning paths (ADR 0535, 0536): the list and a path with the learner's
progress, and the building page of its author and the library's curators."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core.errors import PermissionDenied
from openvet.core.view_helpers import service_call
from openvet.resources import path_selectors as selectors
from openvet.resources import permissions as perms
from openvet.resources.models import LearningPath, PathStep, ResourceType
from openvet.resources.path_forms import PathForm, StepForm
from openvet.resources.presenters import major_name
from openvet.resources.selectors import resource_get_for, resource_search
from openvet.resources.services import paths as services
from openvet.resources.services.resources import major_choices
from openvet.resources.views.common import page

SEARCH_SIZE = 10


@page
def path_list(request: HttpRequest) -> HttpResponse:
    may_build = perms.can_build_paths(request.user)
    if request.method == "POST" and not may_build:
        raise PermissionDenied()
    form = PathForm(request.POST or None, majors=major_choices())
    if request.method == "POST" and form.is_valid():
        outcome = service_call(
            request,
            lambda: services.path_start(actor=request.user, **form.cleaned_data),
            form=form,
            success=_("The draft path was created: now add its steps."),
        )
        if outcome.ok and outcome.value is not None:
            return redirect("resources:path-edit", path_id=outcome.value.pk)
    major = request.GET.get("major", "")[:8]
    paths = selectors.path_list_for(actor=request.user, major_code=major)
    return render(
        request,
        "resources/path_list.html",
        {
            "paths": [(p, major_name(p.major_code)) for p in paths],
            "major": major_name(major) if major else "",
            "form": form if may_build else None,
        },
        status=422 if form.errors else 200,
    )


@page
def path_detail(request: HttpRequest, path_id: int) -> HttpResponse:
    path = selectors.path_get_for(actor=request.user, path_id=path_id)
    progress = selectors.path_progress(actor=request.user, path=path)
    return render(
        request,
        "resources/path_detail.html",
        {
            "path": path,
            "major": major_name(path.major_code),
            "progress": progress,
            "steps": progress.steps,
            "may_change": perms.can_change_path(request.user, path),
        },
    )


def _edit_page(
    request: HttpRequest,
    path: LearningPath,
    form: PathForm | None = None,
    failed_step: tuple[int, StepForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    major = request.GET.get("major", path.major_code)
    found = resource_search(
        actor=request.user,
        query=query,
        filters={"major_code": major if major != "all" else ""},
        limit=SEARCH_SIZE,
    )
    steps = selectors.path_steps(path)
    in_path = {s.resource_id for s in steps}
    step_forms = [
        (
            step,
            failed_step[1]
            if failed_step and failed_step[0] == step.pk
            else StepForm(initial=_step_initial(step), prefix=str(step.pk)),
        )
        for step in steps
    ]
    return render(
        request,
        "resources/path_edit.html",
        {
            "path": path,
            "major": major_name(path.major_code),
            "form": form or PathForm(initial=_initial(path), majors=major_choices()),
            "step_forms": step_forms,
            "query": query,
            "all_majors": major == "all",
            "found": [
                (r, ResourceType(r.resource_type).label, r.pk in in_path) for r in found.resources
            ],
            "total": found.total,
        },
        status=status,
    )


def _step_initial(step: PathStep) -> dict[str, Any]:
    return {"heading": step.heading, "note": step.note}


def _initial(path: LearningPath) -> dict[str, Any]:
    return {"title": path.title, "major_code": path.major_code, "description": path.description}


@page
def path_edit(request: HttpRequest, path_id: int) -> HttpResponse:
    path = selectors.path_get_for_change(actor=request.user, path_id=path_id)
    if request.method != "POST":
        return _edit_page(request, path)
    form = PathForm(request.POST, majors=major_choices())
    if form.is_valid():
        outcome = service_call(
            request,
            lambda: services.path_update(actor=request.user, path=path, **form.cleaned_data),
            form=form,
            success=_("The path was saved."),
        )
        if outcome.ok:
            return redirect("resources:path-edit", path_id=path.pk)
    path.refresh_from_db()
    return _edit_page(request, path, form=form, status=422)


@page
@require_POST
def path_step_add(request: HttpRequest, path_id: int) -> HttpResponse:
    path = selectors.path_get_for_change(actor=request.user, path_id=path_id)
    try:
        resource_id = int(request.POST.get("resource", ""))
    except ValueError:
        resource_id = 0
    resource = resource_get_for(actor=request.user, resource_id=resource_id)
    outcome = service_call(
        request, lambda: services.path_step_add(actor=request.user, path=path, resource=resource)
    )
    if outcome.ok and outcome.value is not None:
        messages.success(
            request, _("Added as step %(number)s.") % {"number": outcome.value.position}
        )
    return _back(request, path.pk)


def _back(request: HttpRequest, path_id: int) -> HttpResponse:
    """To the building page, with the search the builder was looking at."""
    response = redirect("resources:path-edit", path_id=path_id)
    search = request.POST.get("search", "")
    if search.startswith("?") and "\n" not in search:
        response["Location"] += iri_to_uri(search)
    return response


@page
@require_POST
def path_step_move(request: HttpRequest, step_id: int) -> HttpResponse:
    step = selectors.step_get_for_change(actor=request.user, step_id=step_id)
    up = request.POST.get("direction") == "up"
    service_call(request, lambda: services.path_step_move(actor=request.user, step=step, up=up))
    return redirect(f"{_edit_url(step.path_id)}#steps")


def _edit_url(path_id: int) -> str:
    return reverse("resources:path-edit", args=[path_id])


@page
@require_POST
def path_step_remove(request: HttpRequest, step_id: int) -> HttpResponse:
    step = selectors.step_get_for_change(actor=request.user, step_id=step_id)
    service_call(
        request,
        lambda: services.path_step_remove(actor=request.user, step=step),
        success=_("The step was removed."),
    )
    return redirect(f"{_edit_url(step.path_id)}#steps")


@page
@require_POST
def path_step_describe(request: HttpRequest, step_id: int) -> HttpResponse:
    step = selectors.step_get_for_change(actor=request.user, step_id=step_id)
    form = StepForm(request.POST, prefix=str(step.pk))
    if form.is_valid():
        outcome = service_call(
            request,
            lambda: services.path_step_describe(actor=request.user, step=step, **form.cleaned_data),
            form=form,
            success=_("The step was saved."),
        )
        if outcome.ok:
            return redirect(f"{_edit_url(step.path_id)}#steps")
    return _edit_page(request, step.path, failed_step=(step.pk, form), status=422)


@page
@require_POST
def path_publish(request: HttpRequest, path_id: int) -> HttpResponse:
    path = selectors.path_get_for_change(actor=request.user, path_id=path_id)
    published = request.POST.get("publish") == "yes"
    service_call(
        request,
        lambda: services.path_set_published(actor=request.user, path=path, published=published),
        success=_("Published: the school's learners see the path.")
        if published
        else _("Taken back to draft: only you and the library's curators see it."),
    )
    return redirect("resources:path-edit", path_id=path.pk)
