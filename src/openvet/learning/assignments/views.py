"""Pages of assignments (ADR 0720-0723): the assignment on its unit's page (hand in, see the
grade, the peer reviews to do), the teacher's rubric, submissions list and grading page, a
submission's file, and a learner's peer review."""

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.view_helpers import page, service_call
from openvet.learning import forms, selectors
from openvet.learning import permissions as perms
from openvet.learning.assignments import selectors as work
from openvet.learning.assignments import services
from openvet.learning.assignments.models import Assignment, PeerReview, Submission
from openvet.learning.models import Unit
from openvet.records.selectors import student_of_user


def _grades(submission: Submission | None) -> list[Any]:
    if submission is None or submission.graded_at is None:
        return []
    return list(submission.grades.select_related("criterion"))


def unit_context(
    request: HttpRequest, unit: Unit, access: selectors.CourseAccess
) -> dict[str, Any] | HttpResponse:
    """What an assignment adds to its unit's page; a learner's POST hands the work in (the
    page is shown again with the form as typed when refused)."""
    assignment = work.assignment_of(unit)
    if assignment is None:
        return {}
    now = timezone.now()
    context: dict[str, Any] = {
        "assignment": assignment,
        "criteria": work.criteria_of(assignment),
        "max_points": sum(c.max_points for c in work.criteria_of(assignment)),
        "is_late_now": assignment.due_at < now <= assignment.closes_at,
        "is_closed": now > assignment.closes_at,
    }
    if access.is_learner:
        mine = work.own_submission(actor=request.user, assignment=assignment)
        context["submission"] = mine
        context["grades"] = _grades(mine)
        context["reviews"] = work.reviews_to_do(actor=request.user, assignment=assignment)
        can_submit = not context["is_closed"] and (mine is None or mine.graded_at is None)
        form = None
        if can_submit:
            form = forms.SubmissionForm(
                request.POST if request.method == "POST" else None,
                request.FILES if request.method == "POST" else None,
                accepts_text=assignment.accepts_text,
                accepts_file=assignment.accepts_file,
                initial={"text": mine.text if mine else ""},
            )
        if request.method == "POST":
            if form is None:
                # Closed or graded meanwhile: the service gives the reason, nothing is written.
                service_call(
                    request,
                    lambda: services.submission_submit(
                        actor=request.user, assignment=assignment, text="", file=None
                    ),
                )
                return redirect("learning:unit-detail", unit_id=unit.pk)
            if form.is_valid():
                data = form.cleaned_data
                outcome = service_call(
                    request,
                    lambda: services.submission_submit(
                        actor=request.user,
                        assignment=assignment,
                        text=data.get("text") or "",
                        file=data.get("file"),
                    ),
                    form=form,
                    success=_("Your work was handed in."),
                )
                if outcome.ok:
                    return redirect("learning:unit-detail", unit_id=unit.pk)
            context["status"] = 409 if form.errors.get("__all__") else 422
        context["submit_form"] = form
    elif access.can_follow:
        context["counts"] = assignment.submissions.count()
    return context


def _teacher_assignment(request: HttpRequest, unit_id: int) -> tuple[Assignment, Any]:
    assignment = work.assignment_get_for(actor=request.user, unit_id=unit_id)
    access = selectors.access_of(actor=request.user, course=assignment.unit.course)
    if not access.is_teacher:
        raise PermissionDenied()
    return assignment, access


@page
def rubric(request: HttpRequest, unit_id: int) -> HttpResponse:
    assignment, access = _teacher_assignment(request, unit_id)
    unit = assignment.unit
    can_build = perms.can_build_course(request.user, set(access.teacher_ids))
    form = forms.CriterionForm(request.POST or None)
    if request.method == "POST":
        if not can_build:
            raise PermissionDenied()
        if form.is_valid():
            outcome = service_call(
                request,
                lambda: services.criterion_add(
                    actor=request.user,
                    assignment=assignment,
                    title=form.cleaned_data["title"],
                    levels=forms.parse_levels(form.cleaned_data["levels"]),
                ),
                form=form,
                success=_("The criterion was added to the rubric."),
            )
            if outcome.ok:
                return redirect("learning:assignment-rubric", unit_id=unit.pk)
    criteria = work.criteria_of(assignment)
    return render(
        request,
        "learning/assignments/rubric.html",
        {
            "unit": unit,
            "course": unit.course,
            "assignment": assignment,
            "criteria": criteria,
            "max_points": sum(c.max_points for c in criteria),
            "form": form if can_build else None,
        },
        status=422 if form.errors else 200,
    )


@page
def submissions(request: HttpRequest, unit_id: int) -> HttpResponse:
    assignment, _access = _teacher_assignment(request, unit_id)
    unit = assignment.unit
    if request.method == "POST":
        outcome = service_call(
            request,
            lambda: services.peers_allocate(actor=request.user, assignment=assignment),
        )
        if outcome.ok:
            from django.contrib import messages

            messages.success(
                request,
                _("%(n)s peer reviews were handed out.") % {"n": outcome.value},
            )
        return redirect("learning:assignment-submissions", unit_id=unit.pk)
    listing = work.submission_list(assignment=assignment)
    return render(
        request,
        "learning/assignments/submissions.html",
        {
            "unit": unit,
            "course": unit.course,
            "assignment": assignment,
            "listing": listing,
            "can_allocate": assignment.peer_reviews > 0
            and assignment.peers_allocated_at is None
            and timezone.now() > assignment.closes_at,
        },
    )


def _initial_grade(submission: Submission) -> dict[str, Any]:
    initial: dict[str, Any] = {"comment": submission.comment}
    for grade in submission.grades.all():
        initial[f"c{grade.criterion_id}"] = grade.points
        initial[f"n{grade.criterion_id}"] = grade.comment
    return initial


@page
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = work.submission_get_for(actor=request.user, submission_id=submission_id)
    assignment = submission.assignment
    unit = assignment.unit
    access = selectors.access_of(actor=request.user, course=unit.course)
    if not access.is_teacher:  # the author reads their grade on the unit's page
        return redirect("learning:unit-detail", unit_id=unit.pk)
    criteria = work.criteria_of(assignment)
    form = forms.rubric_form(
        criteria,
        request.POST if request.method == "POST" else None,
        comments=True,
        initial=_initial_grade(submission),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = service_call(
            request,
            lambda: services.submission_grade(
                actor=request.user,
                submission=submission,
                points={c.pk: data[f"c{c.pk}"] for c in criteria},
                comments={c.pk: data.get(f"n{c.pk}") or "" for c in criteria},
                comment=data.get("comment") or "",
            ),
            form=form,
            success=_("The submission was graded."),
        )
        if outcome.ok:
            return redirect("learning:assignment-submissions", unit_id=unit.pk)
    reviews = [r for r in submission.peer_reviews.all() if r.done_at is not None]
    names = {c.pk: c.title for c in criteria}
    peer_rows = [
        {
            "review": r,
            "scores": [(names.get(int(k), "?"), v) for k, v in r.scores.items()],
        }
        for r in reviews
    ]
    student = student_of_user(user=submission.user)
    return render(
        request,
        "learning/assignments/submission_detail.html",
        {
            "unit": unit,
            "course": unit.course,
            "assignment": assignment,
            "submission": submission,
            "author": student.name if student is not None else submission.user,
            "criteria": criteria,
            "form": form,
            "peer_rows": peer_rows,
            "max_points": sum(c.max_points for c in criteria),
        },
        status=422 if form.errors else 200,
    )


@page
@require_GET
def submission_file(request: HttpRequest, submission_id: int) -> HttpResponseBase:
    """The submitted file, as a download: for its author, the course's teachers and the
    learners it was handed to for review."""
    submission = (
        Submission.objects.filter(pk=submission_id).select_related("assignment__unit").first()
    )
    if submission is None or not submission.file_name:
        raise NotFound()
    reviewing = PeerReview.objects.filter(
        submission=submission, reviewer_id=request.user.pk
    ).exists()
    if not reviewing:
        submission = work.submission_get_for(actor=request.user, submission_id=submission_id)
    name = submission.original_name or "submission"
    if reviewing and submission.user_id != request.user.pk:
        name = _("submission") + (submission.file_name[submission.file_name.rfind(".") :])
    return FileResponse(
        default_storage.open(submission.file_name, "rb"),
        as_attachment=True,
        filename=name,
        content_type=submission.mime_type or "application/octet-stream",
    )


@page
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = work.review_get_for(actor=request.user, review_id=review_id)
    submission = review.submission
    assignment = submission.assignment
    unit = assignment.unit
    criteria = work.criteria_of(assignment)
    initial: dict[str, Any] = {"comment": review.comment}
    initial.update({f"c{k}": v for k, v in review.scores.items()})
    form = forms.rubric_form(
        criteria,
        request.POST if request.method == "POST" else None,
        comments=False,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = service_call(
            request,
            lambda: services.peer_review_submit(
                actor=request.user,
                review=review,
                points={c.pk: data[f"c{c.pk}"] for c in criteria},
                comment=data.get("comment") or "",
            ),
            form=form,
            success=_("Your review was handed in."),
        )
        if outcome.ok:
            return redirect("learning:unit-detail", unit_id=unit.pk)
    return render(
        request,
        "learning/assignments/review.html",
        {
            "unit": unit,
            "course": unit.course,
            "review": review,
            "submission": submission,
            "form": form,
        },
        status=422 if form.errors else 200,
    )
