"""Pages of learning analytics: a course dashboard, a place's dashboard, and their exports
(xlsx of each table, JSON lines of the statements), every export audited (ADR 0413, 0414)."""

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import NotFound
from openvet.core.exports import xlsx_bytes
from openvet.core.models import OrgKind
from openvet.core.view_helpers import page
from openvet.learning.analytics import charts, exports
from openvet.learning.analytics.course import BANDS, course_dashboard, task_for_analytics
from openvet.learning.analytics.org import Figures, home_org_for, org_dashboard, org_for_analytics
from openvet.lrs import analytics as lrs
from openvet.teaching import selectors as teaching

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSONL = "application/x-ndjson; charset=utf-8"


def _chart(key: str, title: str, option: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"chart-{key}", "title": title, "option": option}


@page
def course_page(request: HttpRequest, task_id: int) -> HttpResponse:
    board = course_dashboard(actor=request.user, task_id=task_id)
    bands = [exports._band_label(low, high) for low, high in BANDS]
    chart_list = [
        _chart(
            "weeks",
            _("Active learners per week"),
            charts.weekly_chart(
                [w.week for w in board.weeks],
                [
                    (_("Active learners"), [w.active for w in board.weeks]),
                    (_("Learning records"), [w.statements for w in board.weeks]),
                ],
            ),
        ),
        _chart(
            "scores",
            _("Score distribution"),
            charts.grouped_bars(
                bands, [(_("Grades"), board.grade_bands), (_("Quiz scores"), board.quiz_bands)]
            ),
        ),
    ]
    return render(
        request,
        "learning/analytics/course.html",
        {"board": board, "task": board.task, "charts": chart_list},
    )


@page
def home(request: HttpRequest) -> HttpResponse:
    org = home_org_for(actor=request.user)
    if org is None:
        raise NotFound()
    return redirect("learning:analytics-org", org_id=org.pk)


@page
def org_page(request: HttpRequest, org_id: int) -> HttpResponse:
    board = org_dashboard(actor=request.user, org_id=org_id)
    labels = [row.label for row in board.rows]
    chart_list = [
        _chart(
            "weeks",
            _("Learning records per week"),
            charts.weekly_chart(
                [monday for monday, _a, _s in board.weeks],
                [
                    (_("Active learners"), [a for _m, a, _s in board.weeks]),
                    (_("Learning records"), [s for _m, _a, s in board.weeks]),
                ],
            ),
        ),
    ]
    if board.rows:
        chart_list.append(
            _chart(
                "active",
                _("Active share in the last 2 weeks"),
                charts.horizontal_bars(
                    labels,
                    [row.active_percent for row in board.rows],
                    series=_("Active share (%)"),
                    unit="%",
                ),
            )
        )
    ancestors = lrs.analytics_ancestors(request.user, board.org)
    return render(
        request,
        "learning/analytics/org.html",
        {
            "board": board,
            "charts": chart_list,
            "ancestors": ancestors,
            "row_kind": OrgKind(board.row_kind).label,
            "drill": board.org.kind != OrgKind.MAJOR,
            "courses_shown": courses_needing_attention(board.courses),
        },
    )


# A school runs hundreds of courses a term: the page lists those whose learners are least
# active (where a head looks first); the export holds every one.
COURSES_SHOWN = 30


def courses_needing_attention(rows: list[Figures]) -> list[Figures]:
    ordered = sorted(rows, key=lambda row: (row.active_percent or 0, row.label))
    return ordered[:COURSES_SHOWN]


def _xlsx(request: HttpRequest, table: exports.Table, name: str, label: str) -> HttpResponse:
    audit_record(action=AuditAction.EXPORT, actor=request.user, object_label=label)
    response = HttpResponse(xlsx_bytes(table.headers, table.rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@page
def course_export(request: HttpRequest, task_id: int, table: str) -> HttpResponse:
    make = exports.COURSE_TABLES.get(table)
    if make is None:
        raise NotFound()
    board = course_dashboard(actor=request.user, task_id=task_id)
    label = f"{board.task.course.name} · {make(board).title}"
    return _xlsx(request, make(board), f"course-{task_id}-{table}.xlsx", label)


@page
def org_export(request: HttpRequest, org_id: int, table: str) -> HttpResponse:
    make = exports.ORG_TABLES.get(table)
    if make is None:
        raise NotFound()
    board = org_dashboard(actor=request.user, org_id=org_id)
    label = f"{board.org.name} · {make(board).title}"
    return _xlsx(request, make(board), f"analytics-{org_id}-{table}.xlsx", label)


def _jsonl(request: HttpRequest, lines: Any, name: str, label: str) -> StreamingHttpResponse:
    audit_record(action=AuditAction.EXPORT, actor=request.user, object_label=label)
    response = StreamingHttpResponse(lines, content_type=JSONL)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@page
def course_statements(request: HttpRequest, task_id: int) -> StreamingHttpResponse:
    task = task_for_analytics(actor=request.user, task_id=task_id)
    user_ids = [s.user_id for s in teaching.task_students(task) if s.user_id is not None]
    lines = lrs.statement_lines(school_ids=[task.term.org_id], user_ids=user_ids)
    label = f"{task.course.name} · {_('Learning records')} (xAPI)"
    return _jsonl(request, lines, f"course-{task_id}-statements.jsonl", label)


@page
def org_statements(request: HttpRequest, org_id: int) -> StreamingHttpResponse:
    org = org_for_analytics(actor=request.user, org_id=org_id)
    learners = lrs.learners_under([org.path])
    lines = lrs.statement_lines(school_ids=lrs.school_ids_of(org), user_ids=list(learners))
    label = f"{org.name} · {_('Learning records')} (xAPI)"
    return _jsonl(request, lines, f"analytics-{org_id}-statements.jsonl", label)
