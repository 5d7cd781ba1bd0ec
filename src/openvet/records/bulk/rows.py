"""Turning cell values into typed field values, with a translated reason when they fail."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from openvet.core import validation
from openvet.records.bulk.columns import CodeBook, Column, columns_of
from openvet.records.bulk.reader import cell_text
from openvet.records.bulk.xlsx import excel_date

# Columns holding a phone number: a mobile or a landline with its area code.
PHONE_KEYS = frozenset({"guardian_phone"})
_DATE = re.compile(r"^(\d{4})[-/.\u5e74]?(\d{1,2})[-/.\u6708]?(\d{1,2})\u65e5?$")


class CellError(ValueError):
    pass


@dataclass
class RowResult:
    """One data row: its number, parsed values and problems (column header → message)."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    id_digest: str = ""


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 < value < 200_000:
        return excel_date(value)  # a date cell: Excel stores days since 1899-12-30
    match = _DATE.match(cell_text(value))
    if not match:
        raise CellError(_("Enter a date as YYYY-MM-DD."))
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise CellError(_("This date does not exist.")) from exc


def parse_int(value: Any) -> int:
    text = cell_text(value)
    if not text.isdigit():
        raise CellError(_("Enter a whole number."))
    return int(text)


class RowParser:
    """Parses the raw cells of one kind of row; coded cells through one CodeBook."""

    def __init__(self, kind: str, book: CodeBook) -> None:
        self.columns = {column.key: column for column in columns_of(kind)}
        self.book = book

    def header(self, key: str) -> str:
        column = self.columns.get(key)
        return column.header() if column else key

    def parse(self, number: int, raw: dict[str, Any]) -> RowResult:
        row = RowResult(number=number)
        for key, column in self.columns.items():
            value = raw.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                if column.required:
                    row.errors[column.header()] = _("This column is required.")
                continue
            try:
                row.values[key] = self._convert(column, value)
            except CellError as exc:
                row.errors[column.header()] = str(exc)
        return row

    def _convert(self, column: Column, value: Any) -> Any:
        if column.codes:
            code = self.book.parse(column.codes, cell_text(value))
            if code is None:
                raise CellError(
                    _("“%(value)s” is not one of the choices of the dropdown.")
                    % {"value": cell_text(value)}
                )
            return code
        if column.key.endswith("_date"):
            return parse_date(value)
        if column.key in ("grade_year", "schooling_years"):
            return parse_int(value)
        text = cell_text(value)
        if column.key in PHONE_KEYS:
            problem = validation.phone_error(text, label=column.header())
            if problem:
                raise CellError(problem)
        return text.upper() if column.key == "id_number" else text
