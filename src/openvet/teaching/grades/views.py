"""Pages of grades: the teacher's sheet (weights, entry, Excel, submission, make-up, changes)
and the student's transcript (HTML page and PDF download)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.view_helpers import service_call
from openvet.teaching import selectors as teaching_selectors
from openvet.teaching.grades import selectors, services
from openvet.teaching.grades.forms import AttemptForm, ChangeForm, UploadForm, WeightsForm
from openvet.teaching.grades.models import Attempt, SheetStatus
from openvet.teaching.grades.pdf import transcript_pdf
from openvet.teaching.students import student_for, task_roster
from openvet.teaching.views.common import page


@page
def grades_home(request: HttpRequest) -> HttpResponse:
    try:
        student = student_for(request.user)
    except PermissionDenied:
        student = None
    tasks = []
    for term in teaching_selectors.term_list_for(actor=request.user)[:2]:
        tasks += list(
            teaching_selectors.task_list_for(
                actor=request.user, term=term, teacher_id=request.user.pk
            ).filter(grade_sheet__isnull=True)
        )
    return render(
        request,
        "teaching/grades/home.html",
        {
            "student": student,
            "sheets": selectors.sheet_list_for(actor=request.user)[:50],
            "tasks": tasks,  # those without a grade sheet yet
        },
    )


@page
@require_POST
def sheet_open(request: HttpRequest, task_id: int) -> HttpResponse:
    task = teaching_selectors.task_get_for(actor=request.user, task_id=task_id)
    sheet = services.sheet_open(actor=request.user, task=task)
    return redirect("teaching:sheet-detail", sheet_id=sheet.pk)


def _rows_from_post(request: HttpRequest, kinds: list[str]) -> dict[int, dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        student, _sep, kind = key.removeprefix("g_").partition("_")
        if key.startswith("g_") and student.isdigit() and kind in kinds and value.strip():
            rows.setdefault(int(student), {})[kind] = value
    return rows


def _cells(
    student_id: int,
    stored: dict[str, Any],
    labels: dict[str, str],
    typed: dict[int, dict[str, Any]] | None,
    errors: dict[str, str],
) -> list[dict[str, Any]]:
    """One line's inputs: what was typed when the page comes back refused, else what is stored;
    each with its own error, if any."""
    values = typed.get(student_id, {}) if typed is not None else stored
    return [
        {
            "id": f"g_{student_id}_{kind}",
            "label": label,
            "value": values.get(kind, ""),
            "error": errors.get(f"{student_id}_{kind}", ""),
        }
        for kind, label in labels.items()
    ]


@page
def sheet_detail(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = selectors.sheet_get_for(actor=request.user, sheet_id=sheet_id)
    labels = {c.kind: c.get_kind_display() for c in sheet.components.all()}
    typed: dict[int, dict[str, Any]] | None = None
    errors: dict[str, str] = {}
    if request.method == "POST":
        typed = _rows_from_post(request, list(labels))
        outcome = service_call(
            request,
            lambda: services.grades_enter(actor=request.user, sheet=sheet, rows=typed or {}),
            success=_("The grades were saved."),
        )
        if outcome.ok:
            return redirect("teaching:sheet-detail", sheet_id=sheet.pk)
        errors = outcome.errors
    grades = {(g.student_id, g.attempt): g for g in selectors.sheet_grades(sheet)}
    lines = []
    for student in task_roster(sheet.task):
        grade = grades.get((student.pk, Attempt.REGULAR))
        stored = grade.scores if grade is not None else {}
        lines.append(
            {
                "student": student,
                "grade": grade,
                "makeup": grades.get((student.pk, Attempt.MAKEUP)),
                "retake": grades.get((student.pk, Attempt.RETAKE)),
                "cells": _cells(student.pk, stored, labels, typed, errors),
            }
        )
    return render(
        request,
        "teaching/grades/sheet_detail.html",
        {
            "sheet": sheet,
            "lines": lines,
            "components": list(sheet.components.all()),
            "can_enter": services.can_enter(request.user, sheet.task),
            "is_draft": sheet.status == SheetStatus.DRAFT,
            "weights_form": WeightsForm(
                initial={"scale": sheet.scale, **{c.kind: c.weight for c in sheet.components.all()}}
            ),
            "upload_form": UploadForm(),
            "attempt_form": AttemptForm(),
            "change_form": ChangeForm(),
            "changes": selectors.change_list_for(actor=request.user, sheet=sheet),
        },
        status=400 if errors else 200,
    )


@page
@require_POST
def sheet_weights(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = selectors.sheet_get_for(actor=request.user, sheet_id=sheet_id)
    form = WeightsForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        scale = data.pop("scale")
        weights = {k: v for k, v in data.items() if v}
        service_call(
            request,
            lambda: services.components_set(
                actor=request.user, sheet=sheet, weights=weights, scale=scale
            ),
            success=_("The components were saved."),
        )
    return redirect("teaching:sheet-detail", sheet_id=sheet.pk)


@page
@require_POST
def sheet_upload(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = selectors.sheet_get_for(actor=request.user, sheet_id=sheet_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        service_call(
            request,
            lambda: services.grades_import(
                actor=request.user, sheet=sheet, upload=form.cleaned_data["file"]
            ),
            success=_("The grades were imported."),
        )
    return redirect("teaching:sheet-detail", sheet_id=sheet.pk)


@page
@require_POST
def sheet_submit(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = selectors.sheet_get_for(actor=request.user, sheet_id=sheet_id)
    service_call(
        request,
        lambda: services.sheet_submit(actor=request.user, sheet=sheet),
        success=_("The grades were submitted for approval."),
    )
    return redirect("teaching:sheet-detail", sheet_id=sheet.pk)


@page
@require_POST
def attempt_create(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = selectors.sheet_get_for(actor=request.user, sheet_id=sheet_id)
    form = AttemptForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        service_call(
            request,
            lambda: services.attempt_record(
                actor=request.user,
                sheet=sheet,
                student_id=data["student"],
                attempt=data["attempt"],
                score=data["score"],
            ),
            success=_("The result was recorded."),
        )
    return redirect("teaching:sheet-detail", sheet_id=sheet.pk)


@page
@require_POST
def change_create(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = selectors.sheet_get_for(actor=request.user, sheet_id=sheet_id)
    form = ChangeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        grade = selectors.grade_get_for(actor=request.user, grade_id=data["grade"])
        if grade.sheet_id != sheet.pk:
            raise NotFound()
        service_call(
            request,
            lambda: services.change_request(
                actor=request.user,
                grade=grade,
                scores={data["component"]: data["score"]},
                reason=data["reason"],
            ),
            success=_("The change was sent for approval."),
        )
    return redirect("teaching:sheet-detail", sheet_id=sheet.pk)


@page
def transcript(request: HttpRequest) -> HttpResponse:
    student = student_for(request.user)
    return render(
        request,
        "teaching/grades/transcript.html",
        {
            "student": student,
            "transcript": selectors.transcript_for(student=student),
        },
    )


@page
def transcript_download(request: HttpRequest) -> HttpResponse:
    """The signed-in student's own transcript as a PDF (no id in the URL: only one's own)."""
    student = student_for(request.user)
    content = transcript_pdf(
        student=student,
        transcript=selectors.transcript_for(student=student),
        school_name=student.school.name,
        today=timezone.localdate(),
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"transcript-{student.student_number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
