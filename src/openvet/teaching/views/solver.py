"""Pages of the timetabling solver: start, review, publish, exchange with ITC-2007 files."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from openvet.core.errors import NotFound
from openvet.core.view_helpers import service_call
from openvet.teaching import review, selectors, services
from openvet.teaching.forms import (
    SolutionUploadForm,
    SolverForm,
)
from openvet.teaching.models import SolverStatus
from openvet.teaching.permissions import MANAGE_TIMETABLE
from openvet.teaching.views.common import can, page, staff_term


@page
def solver(request: HttpRequest, term_id: int) -> HttpResponse:
    term = staff_term(request, term_id)
    if not can(request, MANAGE_TIMETABLE, term.org):
        raise NotFound()
    form = SolverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run = service_call(
            request,
            lambda: services.solver_run_start(actor=request.user, term=term, **form.cleaned_data),
            form=form,
        ).value
        if run is not None:
            return redirect("teaching:solver-run", run_id=run.pk)
    return render(
        request,
        "teaching/solver.html",
        {
            "term": term,
            "form": form,
            "upload_form": SolutionUploadForm(),
            "runs": selectors.solver_run_list(term=term),
        },
        status=422 if form.errors else 200,
    )


# What each component of the solver's report (timetabling.score, .extensions) counts.
COMPONENT_LABELS = {
    "Lectures": pgettext_lazy("timetabling", "Lectures left unscheduled"),
    "RoomOccupancy": pgettext_lazy("timetabling", "Rooms holding two lectures at once"),
    "Conflicts": pgettext_lazy("timetabling", "Class or teacher clashes"),
    "Availability": pgettext_lazy("timetabling", "Lectures in unavailable periods"),
    "RoomType": pgettext_lazy("timetabling", "Lectures in rooms of the wrong type"),
    "Fixed": pgettext_lazy("timetabling", "Locked lectures not kept"),
    "Blocks": pgettext_lazy("timetabling", "Consecutive periods broken up"),
    "RoomCapacity": pgettext_lazy("timetabling", "Students above room capacity"),
    "MinWorkingDays": pgettext_lazy("timetabling", "Courses on too few days"),
    "IsolatedLectures": pgettext_lazy("timetabling", "Isolated lectures of a class"),
    "RoomStability": pgettext_lazy("timetabling", "Room changes of a course"),
    "TeacherPreference": pgettext_lazy("timetabling", "Lectures in undesired periods"),
    "CurriculumDailyMax": pgettext_lazy("timetabling", "Periods above a class's daily maximum"),
    "Perturbation": pgettext_lazy("timetabling", "Lectures moved from the current timetable"),
}


def _components(run: Any) -> list[tuple[Any, int, bool]]:
    """(label, value, is_hard) of each component of the run's report."""
    rows = [(COMPONENT_LABELS.get(k, k), v, True) for k, v in run.hard.items()]
    return rows + [(COMPONENT_LABELS.get(k, k), v, False) for k, v in run.soft.items()]


def _run(request: HttpRequest, run_id: int) -> Any:
    run = selectors.solver_run_get_for(actor=request.user, run_id=run_id)
    if not can(request, MANAGE_TIMETABLE, run.term.org):
        raise NotFound()
    return run


@page
def solver_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """The run's progress, then its summary and the review of its proposal one class,
    teacher or room at a time (``?show=class-<id>``); htmx asks for the progress fragment
    while polling, or for the review fragment alone when the picker changes."""
    run = _run(request, run_id)
    context: dict[str, Any] = {"run": run, "term": run.term, "components": _components(run)}
    if run.status in (SolverStatus.FINISHED, SolverStatus.PUBLISHED) and run.result:
        proposal = review.proposal_of(run)
        context["proposal"] = proposal
        context["review"] = review.review_for(proposal, request.GET.get("show", ""))
    template = "teaching/solver_run.html"
    if request.headers.get("HX-Request") == "true":
        template = (
            "teaching/partials/_solver_review.html"
            if request.headers.get("HX-Target") == "solver-review"
            else "teaching/partials/_solver_progress.html"
        )
    return render(request, template, context)


@page
@require_POST
def solver_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    outcome = service_call(
        request, lambda: services.solver_run_publish(actor=request.user, run=run)
    )
    if not outcome.ok:
        return redirect("teaching:solver-run", run_id=run.pk)
    messages.success(
        request, _("The timetable was published: %(count)s lectures.") % {"count": outcome.value}
    )
    return redirect("teaching:timetable-index", term_id=run.term_id)


@page
def export_ctt(request: HttpRequest, term_id: int) -> HttpResponse:
    term = staff_term(request, term_id)
    text = services.term_export_ctt(actor=request.user, term=term)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="term{term.pk}.ctt"'
    return response


@page
@require_POST
def import_solution(request: HttpRequest, term_id: int) -> HttpResponse:
    term = staff_term(request, term_id)
    form = SolutionUploadForm(request.POST, request.FILES)
    if form.is_valid():
        text = form.cleaned_data["file"].read().decode("utf-8", errors="replace")
        run = service_call(
            request,
            lambda: services.solution_import(actor=request.user, term=term, text=text),
            form=form,
        ).value
        if run is not None:
            return redirect("teaching:solver-run", run_id=run.pk)
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    return redirect("teaching:solver", term_id=term.pk)
