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
from openvet.teaching import timetabling as tt
from openvet.teaching.forms import (
    SolutionUploadForm,
    SolverForm,
)
from openvet.teaching.models import SolverStatus
from openvet.teaching.permissions import MANAGE_TIMETABLE
from openvet.teaching.services.publish import change_line, notices_by_user
from openvet.teaching.services.solver import PERTURBATION_WEIGHT
from openvet.teaching.views.common import can, page, staff_term


@page
def solver(request: HttpRequest, term_id: int) -> HttpResponse:
    term = staff_term(request, term_id)
    if not can(request, MANAGE_TIMETABLE, term.org):
        raise NotFound()
    form = SolverForm(request.POST or None, has_timetable=selectors.term_has_timetable(term=term))
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


# The solver's report (timetabling.score, .extensions) in a timetabling clerk's words: a
# conflict (hard constraint) blocks publishing; a less-than-ideal arrangement (soft
# constraint) is allowed but counted. Each entry: what it is, what one of it means.
CONFLICTS = {
    "Lectures": (
        pgettext_lazy("timetabling", "Lessons without a time"),
        pgettext_lazy("timetabling", "A lesson the solver could not place in the week."),
    ),
    "RoomOccupancy": (
        pgettext_lazy("timetabling", "Room double-booked"),
        pgettext_lazy("timetabling", "Two lessons in one room at the same time."),
    ),
    "Conflicts": (
        pgettext_lazy("timetabling", "Class or teacher double-booked"),
        pgettext_lazy("timetabling", "A class or a teacher has two lessons at the same time."),
    ),
    "Availability": (
        pgettext_lazy("timetabling", "Teacher unavailable"),
        pgettext_lazy("timetabling", "A lesson in a period its teacher cannot teach."),
    ),
    "RoomType": (
        pgettext_lazy("timetabling", "Wrong kind of room"),
        pgettext_lazy("timetabling", "A lesson that needs a lab or a named room is elsewhere."),
    ),
    "Fixed": (
        pgettext_lazy("timetabling", "Locked lesson moved"),
        pgettext_lazy("timetabling", "A lesson locked in place is not where it was locked."),
    ),
    "Blocks": (
        pgettext_lazy("timetabling", "Consecutive periods split"),
        pgettext_lazy("timetabling", "A double or triple period is not held in one go."),
    ),
}
NOT_IDEAL = {
    "IsolatedLectures": (
        "isolated_lectures",
        pgettext_lazy("timetabling", "Gaps in a class's day"),
        pgettext_lazy(
            "timetabling",
            "A lesson with no other lesson of the class next to it, leaving students waiting.",
        ),
    ),
    "MinWorkingDays": (
        "min_working_days",
        pgettext_lazy("timetabling", "Courses bunched on too few days"),
        pgettext_lazy("timetabling", "A course short of one of the days it should be spread over."),
    ),
    "RoomStability": (
        "room_stability",
        pgettext_lazy("timetabling", "Room changes of a course"),
        pgettext_lazy("timetabling", "A course taught in one more room than it needs."),
    ),
    "RoomCapacity": (
        "room_capacity",
        pgettext_lazy("timetabling", "Students above room capacity"),
        pgettext_lazy("timetabling", "One student more than the room seats."),
    ),
    "TeacherPreference": (
        "teacher_preference",
        pgettext_lazy("timetabling", "Teachers' undesired periods"),
        pgettext_lazy("timetabling", "A lesson in a period its teacher asked to avoid."),
    ),
    "CurriculumDailyMax": (
        "curriculum_daily_max",
        pgettext_lazy("timetabling", "Long days for a class"),
        pgettext_lazy("timetabling", "A period above the class's daily maximum."),
    ),
    "Perturbation": (
        "perturbation",
        pgettext_lazy("timetabling", "Moved from the published timetable"),
        pgettext_lazy(
            "timetabling", "A period held at another time or room than in the published timetable."
        ),
    ),
}


def _components(run: Any) -> dict[str, list[tuple[Any, Any, int]]]:
    """(name, meaning, how many) of each conflict and each less-than-ideal arrangement; the
    solver stores a weighted penalty, divided here by its weight to count occurrences."""
    weights = tt.Weights(perturbation=PERTURBATION_WEIGHT if run.minimal_perturbation else 1)
    conflicts = [(*CONFLICTS.get(k, (k, "")), v) for k, v in run.hard.items()]
    not_ideal = []
    for key, value in run.soft.items():
        attr, label, meaning = NOT_IDEAL.get(key, ("", key, ""))
        weight = max(1, int(getattr(weights, attr, 1))) if attr else 1
        not_ideal.append((label, meaning, value // weight))
    return {"conflicts": conflicts, "not_ideal": not_ideal}


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
def solver_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    """GET: what publishing changes and whom it affects, with a confirmation form;
    POST with ``confirm=yes``: publish. A POST without the confirmation shows the preview."""
    run = _run(request, run_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        outcome = service_call(
            request, lambda: services.solver_run_publish(actor=request.user, run=run)
        )
        if outcome.ok and outcome.value is not None:
            done = outcome.value
            messages.success(
                request,
                _(
                    "The timetable was published: %(lessons)s lessons (%(periods)s periods); "
                    "%(people)s students and teachers were told their changes."
                )
                % {"lessons": done.lessons, "periods": done.periods, "people": done.notified},
            )
            return redirect("teaching:timetable-index", term_id=run.term_id)
        return redirect("teaching:solver-publish", run_id=run.pk)
    if request.method == "POST":
        messages.error(
            request, _("Publishing needs your confirmation: check the changes, then confirm.")
        )
    preview = services.publish_preview(run=run)
    return render(
        request,
        "teaching/solver_publish.html",
        {
            "run": run,
            "term": run.term,
            "preview": preview,
            "people": len(notices_by_user(preview)),
            "change_lines": [change_line(preview.describe(c)) for c in preview.changes],
        },
        status=400 if request.method == "POST" else 200,
    )


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
