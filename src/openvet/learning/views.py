"""Pages of online learning: the learning space, a course's outline and teacher's report,
building chapters, units and the question bank, learning a unit (with the video player's
heartbeats), taking a quiz and grading short answers."""

import json
from decimal import Decimal
from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.errors import DomainError, NotFound, PermissionDenied
from openvet.core.ranged import ranged_response
from openvet.core.view_helpers import form_page, page, service_call
from openvet.learning import (
    evidence_views,
    forms,
    package_views,
    papers,
    selectors,
    services,
    watching,
)
from openvet.learning import permissions as perms
from openvet.learning.assignments import selectors as assignment_selectors
from openvet.learning.assignments import views as assignment_views
from openvet.learning.collab import views as collab_views
from openvet.learning.live import views as live_views
from openvet.learning.models import QuestionKind, UnitKind
from openvet.learning.space import selectors as space_selectors
from openvet.lrs import analytics as lrs_analytics

# --- Learning space and courses --------------------------------------------------------------


@page
def space(request: HttpRequest) -> HttpResponse:
    """网络学习空间: a learner's courses with progress; a teacher's courses and the tasks that
    have no course yet."""
    user = request.user
    mine = selectors.my_courses(actor=user)
    taught = list(selectors.taught_courses(actor=user))
    tasks = selectors.tasks_without_course(actor=user)
    before_class = selectors.before_class_tasks(actor=user)
    can_teach = policy.has_capability(user, perms.TEACH)
    if not (mine or taught or can_teach or policy.has_capability(user, perms.LEARN)):
        if policy.has_capability(user, perms.VIEW):
            return redirect("learning:course-list")
        raise PermissionDenied()
    return render(
        request,
        "learning/space.html",
        {
            "mine": mine,
            "taught": taught,
            "tasks": tasks,
            "can_teach": can_teach,
            "before_class": before_class,
        },
    )


@page
def course_list(request: HttpRequest) -> HttpResponse:
    courses = list(selectors.course_list_for(actor=request.user))
    if not courses and not policy.has_capability(request.user, perms.VIEW):
        return redirect("learning:space")
    return render(request, "learning/course_list.html", {"courses": courses})


@page
def course_create(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_for_course(actor=request.user, task_id=task_id)
    form = forms.CourseForm(request.POST or None, initial={"title": task.course.name})
    return form_page(
        request,
        form,
        lambda: services.course_create(actor=request.user, task=task, **form.cleaned_data),
        done=lambda course: redirect("learning:course-detail", course_id=course.pk),
        template="learning/form_page.html",
        context=lambda: {
            "title": _("Online course of %(task)s") % {"task": task.course.name},
            "submit": _("Create the course"),
            "back": ("learning:space", None),
        },
        success=_("The online course was created."),
    )


@page
def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_get_for(actor=request.user, course_id=course_id)
    access = selectors.access_of(actor=request.user, course=course)
    context: dict[str, Any] = {
        "course": course,
        "access": access,
        "outline": selectors.outline_for(actor=request.user, course=course),
        "can_build": perms.can_build_course(request.user, set(access.teacher_ids)),
        "unit_kinds": UnitKind.choices,
        "plans": selectors.plans_of(course),
        "can_see_analytics": access.is_teacher
        or lrs_analytics.can_view_analytics(request.user, course.org),
        **live_views.course_card(request.user, course, access),
        **collab_views.course_card(request.user, course, access),
        "can_discuss": access.is_teacher or access.is_learner,
    }
    if access.can_follow:
        context["report"] = selectors.course_report(course)
        context["to_grade"] = list(selectors.attempts_to_grade(course))
        context["results"] = list(selectors.quiz_results(course))
        context["assignments"] = assignment_selectors.assignments_of_course(course)
    return render(request, "learning/course_detail.html", context)


def _builder(request: HttpRequest, course_id: int) -> Any:
    course = selectors.course_get_for(actor=request.user, course_id=course_id)
    access = selectors.access_of(actor=request.user, course=course)
    if not perms.can_build_course(request.user, set(access.teacher_ids)):
        raise PermissionDenied()
    return course


@page
def chapter_create(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _builder(request, course_id)
    form = forms.ChapterForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.chapter_add(actor=request.user, course=course, **form.cleaned_data),
        done=lambda _c: redirect("learning:course-detail", course_id=course.pk),
        template="learning/form_page.html",
        context=lambda: {
            "title": _("New chapter of %(course)s") % {"course": course.title},
            "submit": _("Add the chapter"),
            "back": ("learning:course-detail", course.pk),
        },
        success=_("The chapter was added."),
    )


@page
def unit_create(request: HttpRequest, course_id: int, chapter_id: int) -> HttpResponse:
    course = _builder(request, course_id)
    chapter = course.chapters.filter(pk=chapter_id).first()
    if chapter is None:
        raise NotFound()
    questions = list(selectors.question_list(course))
    initial = {"kind": request.GET.get("kind", UnitKind.TEXT)}
    form = forms.UnitForm(
        request.POST or None, request.FILES or None, questions=questions, initial=initial
    )

    def call() -> Any:
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if v is not None and not k.startswith("draw_")
        }
        return services.unit_add(
            actor=request.user, chapter=chapter, draws=form.draws() or None, **data
        )

    def done(unit: Any) -> HttpResponse:
        if unit.kind == UnitKind.ASSIGNMENT:  # next: its rubric
            return redirect("learning:assignment-rubric", unit_id=unit.pk)
        return redirect("learning:course-detail", course_id=course.pk)

    return form_page(
        request,
        form,
        call,
        done=done,
        template="learning/form_page.html",
        context=lambda: {
            "title": _("New unit of %(chapter)s") % {"chapter": chapter.title},
            "submit": _("Add the unit"),
            "back": ("learning:course-detail", course.pk),
            "has_questions": bool(questions),
            "questions_url": ("learning:question-list", course.pk),
        },
        success=_("The unit was added."),
    )


@page
def question_list(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _builder(request, course_id)
    form = forms.QuestionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = service_call(
            request,
            lambda: services.question_add(
                actor=request.user,
                course=course,
                kind=data["kind"],
                text=data["text"],
                choices=data["choice_list"],
                answer=data["answer_value"],
                points=data["points"],
                pool=data.get("pool") or "",
                difficulty=data.get("difficulty") or 2,
                image=data.get("image"),
            ),
            form=form,
            success=_("The question was added to the bank."),
        )
        if outcome.ok:
            return redirect("learning:question-list", course_id=course.pk)
    questions = [
        (
            q,
            [
                f"{c} = {q.answer[i] if i < len(q.answer) else ''}"
                if q.kind == QuestionKind.MATCHING
                else f"{forms.LETTERS[i]}. {c}"
                for i, c in enumerate(q.choices)
            ],
        )
        for q in selectors.question_list(course)
    ]
    return render(
        request,
        "learning/question_list.html",
        {"course": course, "form": form, "questions": questions},
        status=422 if form.errors else 200,
    )


# --- Learning a unit -------------------------------------------------------------------------


@page
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.unit_get_for(actor=request.user, unit_id=unit_id)
    access = selectors.access_of(actor=request.user, course=unit.course)
    state = selectors.state_of(actor=request.user, unit=unit)
    progress = None
    locked = False
    if access.is_learner:
        try:
            progress = services.unit_open(actor=request.user, unit=unit)
        except services.UnitLocked:
            locked = True
    context: dict[str, Any] = {
        "unit": unit,
        "course": unit.course,
        "access": access,
        "state": state,
        "locked": locked,
        "progress": progress,
        "can_discuss": access.is_teacher or access.is_learner,
    }
    status = 200
    if unit.kind == UnitKind.ASSIGNMENT and not locked:
        extra = assignment_views.unit_context(request, unit, access)
        if isinstance(extra, HttpResponse):
            return extra
        status = extra.pop("status", 200)
        context.update(extra)
    if progress is not None and unit.kind == UnitKind.VIDEO:
        intervals = [(float(a), float(b)) for a, b in progress.watched]
        context["watched_percent"] = watching.watched_percent(
            intervals, float(unit.duration_seconds)
        )
    context.update(evidence_views.unit_context(request.user, unit, access))
    if access.is_learner and not locked:
        context.update(space_selectors.unit_space(actor=request.user, unit=unit))
        context["show_note"] = True
    if unit.kind == UnitKind.QUIZ:
        context["questions"] = selectors.quiz_questions(unit)
        context["paper_size"] = papers.paper_size(unit)
        context["attempts"] = selectors.attempts_of(actor=request.user, unit=unit)
    if unit.kind in (UnitKind.SCORM, UnitKind.H5) and not locked:
        context["player"] = package_views.player_context(
            request, unit, is_learner=access.is_learner
        )
        if unit.kind == UnitKind.SCORM and access.can_follow:
            context["sco_results"] = list(selectors.sco_results(unit))
    response = render(request, "learning/unit_detail.html", context, status=status)
    origin = context.get("player", {}).get("frame_origin")
    if origin:  # packages served from their own origin (ADR 0705)
        setattr(response, "_csp_update", {"frame-src": ["'self'", origin]})  # noqa: B010
    return response


@page
@xframe_options_sameorigin
def unit_file(request: HttpRequest, unit_id: int) -> HttpResponseBase:
    """The video or PDF of a unit, with HTTP range requests for seeking; only for those who
    see the course, and for learners only once the unit is open to them."""
    unit = selectors.unit_get_for(actor=request.user, unit_id=unit_id)
    if not unit.file_name:
        raise NotFound()
    access = selectors.access_of(actor=request.user, course=unit.course)
    if access.is_learner and not selectors.state_of(actor=request.user, unit=unit).available:
        raise PermissionDenied()
    return ranged_response(
        request, storage_name=unit.file_name, size=unit.file_size, content_type=unit.mime_type
    )


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _seconds(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) < 10**7 else None  # NaN, inf


def _video_answer(unit: Any, progress: Any, status: int = 200, message: str = "") -> JsonResponse:
    intervals = [(float(a), float(b)) for a, b in progress.watched] if progress else []
    return JsonResponse(
        {
            "position": progress.position if progress else 0,
            "watched_percent": watching.watched_percent(intervals, float(unit.duration_seconds)),
            "completed": bool(progress and progress.completed_at),
            "message": message,
        },
        status=status,
    )


@page
@require_POST
def video_play(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.unit_get_for(actor=request.user, unit_id=unit_id)
    position = _seconds(_json_body(request).get("position"))
    if position is None:
        return JsonResponse({"message": _("The position is missing.")}, status=422)
    try:
        progress = services.video_play(actor=request.user, unit=unit, position=position)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        return JsonResponse({"message": str(exc.message)}, status=exc.status)
    return _video_answer(unit, progress)


@page
@require_POST
def video_heartbeat(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.unit_get_for(actor=request.user, unit_id=unit_id)
    body = _json_body(request)
    start, end = _seconds(body.get("start")), _seconds(body.get("end"))
    if start is None or end is None:
        return JsonResponse({"message": _("The stretch watched is missing.")}, status=422)
    try:
        progress = services.video_heartbeat(actor=request.user, unit=unit, start=start, end=end)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        current = selectors.progress_of(request.user, [unit]).get(unit.pk)
        return _video_answer(unit, current, status=exc.status, message=str(exc.message))
    return _video_answer(unit, progress)


# --- Quizzes ---------------------------------------------------------------------------------


@page
@require_POST
def attempt_start(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.unit_get_for(actor=request.user, unit_id=unit_id)
    outcome = service_call(request, lambda: services.attempt_start(actor=request.user, unit=unit))
    if outcome.ok and outcome.value is not None:
        return redirect("learning:attempt-detail", attempt_id=outcome.value.pk)
    return redirect("learning:unit-detail", unit_id=unit.pk)


def _responses(form: Any, questions: list[Any]) -> dict[int, Any]:
    return {q.pk: form.cleaned_data.get(f"q{q.pk}") for q in questions}


@page
def attempt_detail(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = selectors.attempt_get_for(actor=request.user, attempt_id=attempt_id)
    unit = attempt.unit
    access = selectors.access_of(actor=request.user, course=unit.course)
    questions = papers.paper_questions(attempt)
    own = attempt.user_id == request.user.pk
    status = 200
    form = None
    grade_form = None
    if own and attempt.submitted_at is None:
        form = forms.quiz_form(questions, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            outcome = service_call(
                request,
                lambda: services.attempt_submit(
                    actor=request.user, attempt=attempt, responses=_responses(form, questions)
                ),
                form=form,
                success=_("Your answers were handed in."),
            )
            if outcome.ok:
                return redirect("learning:attempt-detail", attempt_id=attempt.pk)
            status = 409 if outcome.errors else 422
    elif access.is_teacher and request.method == "POST":
        grade_form = forms.GradeForm(request.POST)
        if grade_form.is_valid():
            answer = attempt.answers.filter(pk=grade_form.cleaned_data["answer_id"]).first()
            if answer is None:
                raise NotFound()
            graded = service_call(
                request,
                lambda: services.answer_grade(
                    actor=request.user,
                    answer=answer,
                    score=Decimal(grade_form.cleaned_data["score"]),
                    comment=grade_form.cleaned_data["comment"],
                ),
                form=grade_form,
                success=_("The answer was graded."),
            )
            if graded.ok:
                return redirect("learning:attempt-detail", attempt_id=attempt.pk)
        status = 422
    answers = selectors.answers_of(attempt) if attempt.submitted_at else []
    rows = [
        {
            "answer": a,
            "question": a.question,
            "given": _given(a.question, a.response),
            "right": _given(a.question, a.question.answer),
            "options": [
                (forms.LETTERS[i], c)
                for i, c in enumerate(a.question.choices)
                if a.question.kind != QuestionKind.MATCHING
            ],
            "form": (
                grade_form
                if grade_form is not None and grade_form.data.get("answer_id") == str(a.pk)
                else forms.GradeForm(initial={"answer_id": a.pk})
            ),
        }
        for a in answers
    ]
    remaining = None
    if attempt.deadline and attempt.submitted_at is None:
        remaining = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    return render(
        request,
        "learning/attempt_detail.html",
        {
            "attempt": attempt,
            "unit": unit,
            "course": unit.course,
            "form": form,
            "rows": rows,
            "own": own,
            "can_grade": access.is_teacher,
            "remaining": remaining,
        },
        status=status,
    )


def _given(question: Any, values: list[Any]) -> str:
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return "、".join(forms.LETTERS[i] for i in values if isinstance(i, int) and i < 10)
    if question.kind == QuestionKind.MATCHING:
        return "；".join(
            f"{left} → {values[i] if i < len(values) and values[i] else '—'}"
            for i, left in enumerate(question.choices)
        )
    if question.kind == QuestionKind.TRUE_FALSE:
        if not values:
            return ""
        return str(forms.TRUE_FALSE_CHOICES[0 if values[0] else 1][1])
    return "；".join(str(v) for v in values)
