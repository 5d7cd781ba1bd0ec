"""Pages of points (经验值) and 平时成绩, checkpoint questions in videos and the integrity
report (ADR 0730-0733)."""

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core.errors import DomainError, NotFound, PermissionDenied
from openvet.core.policy import Actor
from openvet.core.view_helpers import form_page, page, service_call
from openvet.learning import checkpoints, forms, integrity, points, selectors
from openvet.learning import permissions as perms
from openvet.learning.models import OnlineCourse, Question, Unit, UnitKind

# --- Points and 平时成绩 -------------------------------------------------------------------


def _course(request: HttpRequest, course_id: int) -> tuple[OnlineCourse, selectors.CourseAccess]:
    course = selectors.course_get_for(actor=request.user, course_id=course_id)
    return course, selectors.access_of(actor=request.user, course=course)


@page
def points_page(request: HttpRequest, course_id: int) -> HttpResponse:
    """A learner's points and breakdown; for teachers and staff every learner's points, the
    usual-performance scores they map to and the grade sheet's state."""
    course, access = _course(request, course_id)
    context: dict[str, Any] = {
        "course": course,
        "access": access,
        "kinds": _kind_labels(),
    }
    if access.can_follow:
        table = points.course_points(course)
        context["table"] = table
        context["can_apply"] = perms.can_grade(request.user, set(access.teacher_ids))
        context["can_set"] = perms.can_build_course(request.user, set(access.teacher_ids))
        sheet = points.sheet_view(actor=request.user, course=course)
        context["sheet"] = sheet
        context["lines"] = [
            {**line, "on_sheet": sheet.current.get(line["student"].pk, "")}
            for line in table.lines()
        ]
    elif access.is_learner:
        table = points.course_points(course, only_user_id=request.user.pk)
        context["table"] = table
        context["lines"] = table.lines()
    else:
        raise PermissionDenied()
    context["possible"] = list(
        zip(_kind_labels(), context["table"].possible_by_kind.values(), strict=True)
    )
    return render(request, "learning/points.html", context)


def _kind_labels() -> list[str]:
    return [
        _("Units completed"),
        _("Videos watched"),
        _("Quizzes"),
        _("Checkpoint questions"),
        _("Live-class answers"),
    ]


@page
def points_weights(request: HttpRequest, course_id: int) -> HttpResponse:
    course, access = _course(request, course_id)
    if not perms.can_build_course(request.user, set(access.teacher_ids)):
        raise PermissionDenied()
    weights = points.weights_of(course)
    initial = {k: getattr(weights, k) for k in points.KINDS}
    form = forms.PointWeightsForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: points.weights_set(actor=request.user, course=course, values=form.cleaned_data),
        done=lambda _w: redirect("learning:points", course_id=course.pk),
        template="learning/form_page.html",
        context=lambda: {
            "title": _("Experience points of %(course)s") % {"course": course.title},
            "submit": _("Save the points"),
            "back": ("learning:points", course.pk),
        },
        success=_("The points of each activity were saved."),
    )


@page
@require_POST
def points_apply(request: HttpRequest, course_id: int) -> HttpResponse:
    course, _access = _course(request, course_id)
    outcome = service_call(request, lambda: points.points_apply(actor=request.user, course=course))
    if outcome.ok:
        messages.success(
            request,
            _("The coursework scores of %(n)s students were written to the grade sheet.")
            % {"n": outcome.value},
        )
    return redirect("learning:points", course_id=course.pk)


# --- Checkpoint questions in a video -------------------------------------------------------


def unit_context(actor: Actor, unit: Unit, access: selectors.CourseAccess) -> dict[str, Any]:
    """What the unit page needs for checkpoints: the player's list for a learner."""
    if unit.kind != UnitKind.VIDEO:
        return {}
    context: dict[str, Any] = {
        "can_place_checkpoints": perms.can_build_course(actor, set(access.teacher_ids))
    }
    if access.is_learner:
        context["checkpoint_data"] = checkpoints.for_player(actor, unit)
    return context


def _video_of_builder(request: HttpRequest, unit_id: int) -> Unit:
    unit = selectors.unit_get_for(actor=request.user, unit_id=unit_id)
    access = selectors.access_of(actor=request.user, course=unit.course)
    if not perms.can_build_course(request.user, set(access.teacher_ids)):
        raise PermissionDenied()
    if unit.kind != UnitKind.VIDEO:
        raise NotFound()
    return unit


@page
def checkpoint_list(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _video_of_builder(request, unit_id)
    questions = list(
        Question.objects.filter(course=unit.course, kind__in=checkpoints.CHECKPOINT_KINDS)
    )
    form = forms.CheckpointForm(request.POST or None, questions=questions)
    by_id = {q.pk: q for q in questions}
    counts = checkpoints.answer_counts(unit)
    rows = [
        {"checkpoint": c, "answers": counts.get(c.pk, (0, 0))}
        for c in checkpoints.checkpoints_of(unit)
    ]
    return form_page(
        request,
        form,
        lambda: checkpoints.checkpoint_add(
            actor=request.user,
            unit=unit,
            at_seconds=form.cleaned_data["at_seconds"],
            question=by_id[form.cleaned_data["question_id"]],
        ),
        done=lambda _c: redirect("learning:checkpoint-list", unit_id=unit.pk),
        template="learning/checkpoints.html",
        context=lambda: {"unit": unit, "course": unit.course, "rows": rows},
        success=_("The question was placed in the video."),
    )


@page
@require_POST
def checkpoint_delete(request: HttpRequest, checkpoint_id: int) -> HttpResponse:
    checkpoint = checkpoints.checkpoint_get_for(actor=request.user, checkpoint_id=checkpoint_id)
    service_call(
        request,
        lambda: checkpoints.checkpoint_remove(actor=request.user, checkpoint=checkpoint),
        success=_("The question was taken out of the video."),
    )
    return redirect("learning:checkpoint-list", unit_id=checkpoint.unit_id)


@page
@require_POST
def checkpoint_answer(request: HttpRequest, checkpoint_id: int) -> HttpResponse:
    """The player's JSON post of a learner's answer: ``{"answer": [indexes]}``."""
    checkpoint = checkpoints.checkpoint_get_for(actor=request.user, checkpoint_id=checkpoint_id)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        body = {}
    raw = body.get("answer") if isinstance(body, dict) else None
    try:
        answer = checkpoints.checkpoint_answer(actor=request.user, checkpoint=checkpoint, raw=raw)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        details = dict(exc.details or {}) if isinstance(exc.details, dict) else {}
        message = " ".join(str(v) for v in details.values()) or str(exc.message)
        return JsonResponse({"message": message}, status=exc.status)
    return JsonResponse(
        {
            "correct": answer.correct,
            "message": _("Right. Go on watching.")
            if answer.correct
            else _("Not quite. Your answer was recorded; go on watching."),
        }
    )


# --- Integrity report ----------------------------------------------------------------------


@page
def integrity_page(request: HttpRequest, course_id: int) -> HttpResponse:
    course, access = _course(request, course_id)
    if not access.can_follow:
        raise PermissionDenied()
    return render(
        request,
        "learning/integrity.html",
        {
            "course": course,
            "flagged": integrity.course_integrity(course),
            "limits": integrity.thresholds(),
        },
    )
