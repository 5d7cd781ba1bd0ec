"""The class sheet of graduate destinations (ADR 0628): one row a graduate, checked as a
whole. Every bad row is reported at once with its row number and nothing is written until
the whole sheet is good; then each row is recorded through ``destination_record`` (its
history and audit entry included), all in one transaction."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from openvet.core.errors import ValidationFailed
from openvet.core.models import OrgUnit
from openvet.core.policy import Actor
from openvet.core.uploads import MB, SheetLimits, UploadLimits, read_first_sheet
from openvet.industry import services
from openvet.industry.codes import Destination, Industry, SalaryBand
from openvet.industry.selectors import enterprise_list_for
from openvet.industry.selectors_destinations import graduation_year_of, roster_of

# A class sheet: a few dozen rows of nine columns.
SHEET_UPLOAD = UploadLimits(max_bytes=2 * MB, max_member_bytes=20 * MB, max_total_bytes=30 * MB)
SHEET_EXTENT = SheetLimits(max_rows=2_000, max_columns=32, max_cells=40_000)
COLUMNS = (
    "student_number",
    "destination",
    "employer",
    "employer_code",
    "region_code",
    "industry",
    "salary_band",
    "related_to_major",
    "placed_on",
)
YES = {"yes", "y", "1", "true", "是", "对口", "相关"}
NO = {"no", "n", "0", "false", "否", "不对口", "不相关"}


class SheetRefused(ValidationFailed):
    """The sheet has bad rows: ``rows`` lists each as (row number, message)."""

    code = "sheet_refused"

    def __init__(self, rows: list[tuple[int, str]]) -> None:
        message = _("%(count)s rows of the sheet need correcting; nothing was imported.") % {
            "count": len(rows)
        }
        super().__init__(message, details={"file": message})
        self.rows = rows


@dataclass(frozen=True)
class SheetRow:
    number: int
    student: Any
    values: dict[str, Any]


def _labels(choices: Any) -> dict[str, str]:
    """Code -> code, and each label in English and Chinese (lower case) -> code."""
    found = {str(value).lower(): str(value) for value in choices.values}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            found.update({str(label).strip().lower(): str(v) for v, label in choices.choices})
    return found


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    return date.fromisoformat(text.replace("/", "-")) if text else None


def _choice(cells: dict[str, str], key: str, table: dict[str, str], problem: str) -> str:
    text = cells[key]
    if text and text.lower() not in table:
        raise ValueError(problem)
    return table.get(text.lower(), "")


def _parse(cells: dict[str, str], raw_date: Any, enterprises: dict[str, OrgUnit]) -> dict[str, Any]:
    destination = _choice(
        cells, "destination", _labels(Destination), _("the destination is not one of the list")
    )
    if not destination:
        raise ValueError(_("the destination is missing"))
    related = cells["related_to_major"].lower()
    if related and related not in YES | NO:
        raise ValueError(_("say yes or no for the relevance to the major"))
    try:
        placed_on = _date(raw_date)
    except ValueError as exc:
        raise ValueError(_("the date is not a date (year-month-day)")) from exc
    code = cells["employer_code"].upper()
    return {
        "destination": destination,
        "employer": cells["employer"],
        "employer_code": code,
        "employer_unit": enterprises.get(code) if code else None,
        "region_code": cells["region_code"],
        "industry": _choice(cells, "industry", _labels(Industry), _("unknown industry")),
        "salary_band": _choice(cells, "salary_band", _labels(SalaryBand), _("unknown salary band")),
        "related_to_major": (related in YES) if related else None,
        "placed_on": placed_on,
    }


def _check(actor: Actor, klass: OrgUnit, rows: list[tuple[Any, ...]]) -> list[SheetRow]:
    by_number = {s.student_number: s for s, _found in roster_of(actor=actor, klass=klass)}
    enterprises = {e.code.upper(): e for e in enterprise_list_for(actor=actor) if e.code}
    good: list[SheetRow] = []
    bad: list[tuple[int, str]] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        cells = {k: _text(row[i]) if i < len(row) else "" for i, k in enumerate(COLUMNS)}
        if not any(cells.values()):
            continue
        student = by_number.get(cells["student_number"])
        if student is None:
            bad.append((number, _("no student of this class has this number")))
            continue
        if student.pk in seen:
            bad.append((number, _("this student has an earlier row")))
            continue
        seen.add(student.pk)
        try:
            values = _parse(cells, row[8] if len(row) > 8 else None, enterprises)
        except ValueError as exc:
            bad.append((number, str(exc)))
            continue
        problems = services.destination_problems(
            graduation_year=graduation_year_of(student), **values
        )
        if problems:
            bad.append((number, " ".join(problems.values())))
            continue
        good.append(SheetRow(number, student, values))
    if bad:
        raise SheetRefused(bad)
    return good


@transaction.atomic
def destinations_import(*, actor: Actor, klass: OrgUnit, upload: IO[bytes]) -> int:
    """Record the destinations of a class's sheet; all rows or none. Returns the rows saved."""
    rows = read_first_sheet(upload, limits=SHEET_UPLOAD, sheet_limits=SHEET_EXTENT)
    if len(rows) < 2:
        raise ValidationFailed(details={"file": _("The sheet has no row under its header.")})
    checked = _check(actor, klass, rows)
    for row in checked:
        services.destination_record(
            actor=actor,
            student=row.student,
            graduation_year=graduation_year_of(row.student),
            source="import",
            **row.values,
        )
    return len(checked)


def template_xlsx() -> bytes:
    """An empty class sheet with its header row, in the active language."""
    from io import BytesIO

    from openpyxl import Workbook

    headers = (
        _("Student number"),
        _("Destination"),
        _("Employer or school"),
        _("Unified social credit code"),
        _("Region code"),
        _("Industry"),
        _("Salary band"),
        _("Related to the major (yes/no)"),
        _("Placed on (year-month-day)"),
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 a new workbook always has one sheet
    sheet.append([str(h) for h in headers])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
