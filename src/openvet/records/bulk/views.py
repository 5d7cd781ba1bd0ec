"""Pages of bulk import and export: parse, call a selector or service, render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from openvet.core.errors import DomainError, NotFound
from openvet.core.pii import Disclosure
from openvet.core.view_helpers import domain_errors
from openvet.records import selectors as records_selectors
from openvet.records.bulk import export, services
from openvet.records.bulk.forms import ImportForm
from openvet.records.bulk.models import ImportKind
from openvet.records.bulk.selectors import (
    import_job_get_for,
    import_job_students_for,
    schools_for,
)
from openvet.records.bulk.workbook import error_workbook, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8"}
STUDENTS_PAGE_SIZE = 50
IMPORT_CAPABILITIES = tuple(sorted(set(services.IMPORT_CAPABILITY.values())))


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@domain_errors
def import_start(request: HttpRequest) -> HttpResponse:
    schools = schools_for(actor=request.user, capabilities=IMPORT_CAPABILITIES)
    if not schools:
        raise NotFound()
    form = ImportForm(request.POST or None, request.FILES or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        school = next(s for s in schools if s.pk == form.cleaned_data["school"])
        try:
            job = services.import_job_create(
                actor=request.user,
                school=school,
                kind=form.cleaned_data["kind"],
                mode=form.cleaned_data["mode"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            details = exc.details if isinstance(exc.details, dict) else {}
            for message in details.values():
                form.add_error(None, str(message))
        else:
            return redirect("records-bulk:job-detail", job.pk)
    kinds = ImportKind.choices
    return render(request, "records/bulk/import_form.html", {"form": form, "kinds": kinds})


@login_required
@domain_errors
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = import_job_get_for(actor=request.user, job_id=job_id)
    return render(request, "records/bulk/job_detail.html", {"job": job})


@login_required
@domain_errors
@require_GET
def job_students(request: HttpRequest, job_id: int) -> HttpResponse:
    job = import_job_get_for(actor=request.user, job_id=job_id)
    students = import_job_students_for(actor=request.user, job=job)
    page = Paginator(students, STUDENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "records/bulk/job_students.html", {"job": job, "page": page})


@login_required
@domain_errors
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    job = import_job_get_for(actor=request.user, job_id=job_id)
    template = "records/bulk/partials/_job_progress.html"
    if job.is_finished and request.headers.get("HX-Request"):
        # Reload the whole page so the result and the error list appear.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, template, {"job": job})


@login_required
@domain_errors
def job_error_file(request: HttpRequest, job_id: int) -> HttpResponse:
    job = import_job_get_for(actor=request.user, job_id=job_id)
    if not job.has_error_file:
        raise NotFound()
    try:
        with job.file.open("rb") as handle:
            content = error_workbook(handle, job.errors)
    except Exception as exc:
        raise NotFound() from exc
    return _download(content, f"errors-{job.pk}.xlsx", XLSX)


@login_required
@domain_errors
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ImportKind.values:
        raise NotFound()
    return _download(template_workbook(kind), f"openvet-{kind}-template.xlsx", XLSX)


def _filters(request: HttpRequest, keys: tuple[str, ...]) -> dict[str, str]:
    return {k: request.GET[k] for k in keys if request.GET.get(k)}


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@domain_errors
@require_GET
def export_students(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in export.FORMATS:
        raise NotFound()
    filters = _filters(request, ("q", "status", "major", "class", "grade_year"))
    queryset = records_selectors.student_list_for(
        actor=request.user,
        search=filters.get("q", ""),
        status=filters.get("status", ""),
        major_id=_int(filters.get("major")),
        class_id=_int(filters.get("class")),
        grade_year=_int(filters.get("grade_year")),
    )
    content = export.export_list(
        disclosure=Disclosure.for_request(request, purpose="export student"),
        kind="student",
        queryset=queryset,
        fmt=fmt,
        filters=filters,
    )
    return _download(content, f"students.{fmt}", CONTENT_TYPES[fmt])


@login_required
@domain_errors
@require_GET
def export_staff(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in export.FORMATS:
        raise NotFound()
    filters = _filters(request, ("q", "post_type", "department", "dual"))
    queryset = records_selectors.staff_list_for(
        actor=request.user,
        search=filters.get("q", ""),
        post_type=filters.get("post_type", ""),
        department_id=_int(filters.get("department")),
        dual_only=filters.get("dual") in ("1", "on", "true"),
    )
    content = export.export_list(
        disclosure=Disclosure.for_request(request, purpose="export staff"),
        kind="staff",
        queryset=queryset,
        fmt=fmt,
        filters=filters,
    )
    return _download(content, f"staff.{fmt}", CONTENT_TYPES[fmt])
