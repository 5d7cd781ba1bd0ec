"""Imports, templates, exports and data-quality figures over the API."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from openvet.core.api.pagination import PageIn, paginate
from openvet.core.api.schemas import PageOut, error_responses
from openvet.core.api.types import IdParam
from openvet.core.errors import NotFound
from openvet.core.pii import Disclosure
from openvet.records import selectors as records_selectors
from openvet.records.api.schemas import (
    ExportFilterIn,
    ImportJobCreateIn,
    ImportJobOut,
    QualityFilterIn,
    QualityOut,
)
from openvet.records.bulk import export, services
from openvet.records.bulk.models import ImportJob, ImportKind
from openvet.records.bulk.selectors import import_job_get_for, school_get_for
from openvet.records.bulk.workbook import template_workbook
from openvet.records.quality.selectors import quality_figures_for

router = Router(tags=["records-import"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _out(job: ImportJob) -> dict[str, Any]:
    return {field: getattr(job, field) for field in ImportJobOut.model_fields}


@router.post(
    "/imports",
    response={201: ImportJobOut, **error_responses(400, 401, 403, 404, 413, 422)},
    operation_id="records_import_create",
    summary="Import an Excel workbook of students, staff, classes or majors",
)
def import_create(
    request: HttpRequest, payload: Form[ImportJobCreateIn], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """Small files are processed before the answer (status ``done`` or ``rejected``, with
    every bad row in ``errors``); large ones answer ``pending``: poll the job."""
    capability = services.IMPORT_CAPABILITY.get(payload.kind, "records.add_student")
    school = school_get_for(
        actor=request.user, school_id=payload.school_id, capabilities=(capability,)
    )
    job = services.import_job_create(
        actor=request.user, school=school, kind=payload.kind, mode=payload.mode, upload=file
    )
    return Status(201, _out(job))


@router.get(
    "/imports/{job_id}",
    response={200: ImportJobOut, **error_responses(401, 404, 422)},
    operation_id="records_import_get",
    summary="An import job with its progress and problems",
)
def import_get(request: HttpRequest, job_id: IdParam) -> dict[str, Any]:
    return _out(import_job_get_for(actor=request.user, job_id=job_id))


@router.get(
    "/import-templates/{kind}",
    response={200: None, **error_responses(401, 404, 422)},
    operation_id="records_import_template",
    summary="The Excel template for a kind of import",
)
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ImportKind.values:
        raise NotFound()
    return HttpResponse(template_workbook(kind), content_type=XLSX)


@router.get(
    "/exports/{kind}",
    response={200: None, **error_responses(401, 404, 422)},
    operation_id="records_export",
    summary="Export the students or staff you may see, as xlsx or csv",
)
def export_list(request: HttpRequest, kind: str, filters: Query[ExportFilterIn]) -> HttpResponse:
    """ID numbers and guardian phones are masked; ``reveal=pii`` writes them in clear for a
    role that may reveal personal data (with a token: the pii scope), audited with the fields,
    subjects and row count. Cells that would start a formula are written as text."""
    search, format = filters.search, filters.format
    if kind == "students":
        queryset: Any = records_selectors.student_list_for(actor=request.user, search=search)
    elif kind == "staff":
        queryset = records_selectors.staff_list_for(actor=request.user, search=search)
    else:
        raise NotFound()
    content = export.export_list(
        disclosure=Disclosure.for_request(request, purpose=f"export {kind}"),
        kind="student" if kind == "students" else "staff",
        queryset=queryset,
        fmt=format,
        filters={"search": search},
    )
    content_type = XLSX if format == "xlsx" else "text/csv; charset=utf-8"
    return HttpResponse(content, content_type=content_type)


@router.get(
    "/quality-reports",
    response={200: PageOut[QualityOut], **error_responses(401, 404, 422)},
    operation_id="records_quality_report_list",
    summary="Data-quality figures per school you may see",
)
def quality_report_list(
    request: HttpRequest, filters: Query[QualityFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    figures = quality_figures_for(actor=request.user, school_id=filters.school_id)
    rows = [{"school_id": pk, "counts": counts} for pk, counts in sorted(figures.items())]
    return paginate(rows, page)
