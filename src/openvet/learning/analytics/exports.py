"""The tables of the analytics pages as xlsx (through ``core.exports``) (ADR 0413).

Each table is a title, its headers and its rows exactly as the page shows them; the export
view picks one by its key. Personal data: names and student numbers only, which the reader
already sees on the page; no ID number or phone is ever part of them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from openvet.core.models import OrgKind
from openvet.learning.analytics.course import BANDS, CourseDashboard
from openvet.learning.analytics.org import Figures, OrgDashboard


@dataclass(frozen=True)
class Table:
    title: str
    headers: Sequence[str]
    rows: list[list[Any]]


def _percent(value: Any) -> Any:
    return "" if value is None else value


def _band_label(low: int, high: int) -> str:
    return _("Below 60") if low == 0 else f"{low}–{min(high, 100)}"


def course_learners(board: CourseDashboard) -> Table:
    return Table(
        _("Learners"),
        [
            _("Student number"),
            _("Student's name"),
            _("Class"),
            _("Learning records"),
            _("Active weeks"),
            _("Attendance rate (%)"),
            _("Units completed"),
            _("Grade"),
            _("Open warnings"),
            _("Started"),
        ],
        [
            [
                line.number,
                line.name,
                line.class_name,
                line.statements,
                line.active_weeks,
                _percent(line.attendance),
                line.completed,
                _percent(line.grade),
                line.warnings,
                _("Yes") if line.started else _("No"),
            ]
            for line in board.learners
        ],
    )


def course_weeks(board: CourseDashboard) -> Table:
    return Table(
        _("Activity by week"),
        [_("Week of"), _("Active learners"), _("Learning records")],
        [[w.week, w.active, w.statements] for w in board.weeks],
    )


def course_scores(board: CourseDashboard) -> Table:
    return Table(
        _("Score distribution"),
        [_("Score band"), _("Grades"), _("Quiz scores")],
        [
            [_band_label(low, high), board.grade_bands[n], board.quiz_bands[n]]
            for n, (low, high) in enumerate(BANDS)
        ],
    )


COURSE_TABLES: dict[str, Callable[[CourseDashboard], Table]] = {
    "learners": course_learners,
    "weeks": course_weeks,
    "scores": course_scores,
}


def _figure_row(row: Figures) -> list[Any]:
    return [
        row.label,
        row.learners,
        row.active,
        _percent(row.active_percent),
        row.statements,
        _percent(row.completion),
        _percent(row.attendance),
        row.warnings,
    ]


def _figure_headers(first: str) -> list[str]:
    return [
        first,
        _("Learners"),
        _("Active in the last 2 weeks"),
        _("Active share (%)"),
        _("Learning records in the last 2 weeks"),
        _("Online completion (%)"),
        _("Attendance rate (%)"),
        _("Open warnings"),
    ]


def org_rows(board: OrgDashboard) -> Table:
    return Table(
        board.org.name,
        _figure_headers(str(OrgKind(board.row_kind).label)),
        [_figure_row(row) for row in [*board.rows, board.total]],
    )


def org_courses(board: OrgDashboard) -> Table:
    return Table(
        _("Courses this term"),
        _figure_headers(_("Course")),
        [_figure_row(row) for row in board.courses],
    )


def org_weeks(board: OrgDashboard) -> Table:
    return Table(
        _("Activity by week"),
        [_("Week of"), _("Active learners"), _("Learning records")],
        [[monday, active, statements] for monday, active, statements in board.weeks],
    )


ORG_TABLES: dict[str, Callable[[OrgDashboard], Table]] = {
    "rows": org_rows,
    "courses": org_courses,
    "weeks": org_weeks,
}
