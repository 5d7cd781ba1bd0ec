"""Pages of the question bank beyond adding questions: item statistics (ADR 0752), a
question's picture (ADR 0750) and importing a QTI 2.1 or 3.0 package (ADR 0753, 0765)."""

import mimetypes
from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.view_helpers import form_page, page
from openvet.learning import bank_services, forms, item_stats, papers, selectors
from openvet.learning.models import Question


@page
def question_image(request: HttpRequest, question_id: int) -> HttpResponseBase:
    """A question's picture, for whoever sees the course."""
    question = Question.objects.filter(pk=question_id).only("course_id", "image").first()
    if question is None or not question.image:
        raise NotFound()
    selectors.course_get_for(actor=request.user, course_id=question.course_id)
    content_type = mimetypes.guess_type(question.image)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(question.image, "rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _band(difficulty: Any) -> str:
    return "" if difficulty is None else str(difficulty)


@page
def question_statistics(request: HttpRequest, course_id: int) -> HttpResponse:
    """Difficulty and discrimination of each question, for the teachers and followers."""
    course = selectors.course_get_for(actor=request.user, course_id=course_id)
    access = selectors.access_of(actor=request.user, course=course)
    if not (access.is_teacher or access.can_follow):
        raise PermissionDenied()
    questions = list(selectors.question_list(course))
    graded = papers.graded_papers(course)
    stats = {
        s.question_id: s for s in item_stats.item_statistics(graded, [q.pk for q in questions])
    }
    rows = [{"question": q, "stat": stats[q.pk]} for q in questions]
    return render(
        request,
        "learning/question_statistics.html",
        {
            "course": course,
            "rows": rows,
            "papers": len(graded),
            "group": item_stats.group_size(len(graded)) if graded else 0,
        },
    )


@page
def question_import(request: HttpRequest, course_id: int) -> HttpResponse:
    """Import a QTI 2.1 or 3.0 package into the course's bank (its teachers)."""
    course = selectors.course_get_for(actor=request.user, course_id=course_id)
    if not selectors.access_of(actor=request.user, course=course).is_teacher:
        raise PermissionDenied()
    form = forms.QtiImportForm(request.POST or None, request.FILES or None)

    def call() -> int:
        return bank_services.qti_import(
            actor=request.user,
            course=course,
            upload=form.cleaned_data["file"],
            pool=form.cleaned_data.get("pool") or "",
        )

    def done(count: int) -> HttpResponse:
        messages.success(
            request,
            ngettext("%(n)s question was imported.", "%(n)s questions were imported.", count)
            % {"n": count},
        )
        return redirect("learning:question-list", course_id=course.pk)

    return form_page(
        request,
        form,
        call,
        done=done,
        template="learning/form_page.html",
        context=lambda: {
            "title": _("Import a QTI question bank"),
            "submit": _("Import"),
            "back": ("learning:question-list", course.pk),
        },
    )
