"""The data-quality pages: figures per school, and the records behind each figure."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openvet.core.errors import NotFound
from openvet.core.view_helpers import domain_errors
from openvet.records.quality.checks import CHECKS, GROUPS
from openvet.records.quality.selectors import (
    quality_figures_for,
    quality_offending_for,
    quality_schools_for,
)

PAGE_SIZE = 25


def _groups() -> list[tuple[str, object, list[object]]]:
    return [(key, label, [c for c in CHECKS if c.group == key]) for key, label in GROUPS.items()]


@login_required
@domain_errors
def quality_overview(request: HttpRequest) -> HttpResponse:
    schools = quality_schools_for(actor=request.user)
    if not schools:
        raise NotFound()
    if len(schools) == 1:
        return redirect("records-bulk:quality-school", schools[0].pk)
    figures = quality_figures_for(actor=request.user)
    rows = [(school, figures.get(school.pk, {})) for school in schools]
    return render(request, "records/quality/overview.html", {"rows": rows, "checks": CHECKS})


@login_required
@domain_errors
def quality_school(request: HttpRequest, school_id: int) -> HttpResponse:
    figures = quality_figures_for(actor=request.user, school_id=school_id)
    school = next(s for s in quality_schools_for(actor=request.user) if s.pk == school_id)
    counts = figures.get(school_id, {"total": 0})
    return render(
        request,
        "records/quality/school.html",
        {"school": school, "counts": counts, "groups": _groups()},
    )


@login_required
@domain_errors
def quality_records(request: HttpRequest, school_id: int, check: str) -> HttpResponse:
    school, found, students = quality_offending_for(
        actor=request.user, school_id=school_id, check_key=check
    )
    page = Paginator(students, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "records/quality/records.html",
        {
            "school": school,
            "check": found,
            "page": page,
        },
    )
