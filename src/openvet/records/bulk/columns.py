"""The columns of the import templates, read from ``columns.csv`` (a data file, so the
Chinese headers stay out of code), and the code tables behind the coded columns."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import TextChoices
from django.utils.translation import get_language

from openvet.core.selectors import code_items
from openvet.records import codes

# Languages whose labels a coded cell may hold, besides the uploader's.
LABEL_LANGUAGES = ("en", "zh-hans")
SPEC_FILE = Path(__file__).resolve().parent / "columns.csv"
ALIAS_FILE = Path(__file__).resolve().parent / "aliases.csv"

# Coded columns backed by the records choices (English labels, translated in the .po).
CHOICE_TABLES: dict[str, type[TextChoices]] = {
    "id_type": codes.IdType,
    "enrolment_source": codes.EnrolmentSource,
    "study_form": codes.StudyForm,
    "post_type": codes.PostType,
    "education": codes.Education,
    "degree": codes.Degree,
    "employment_status": codes.EmploymentStatus,
}
# Coded columns backed by national code tables (core.CodeItem, with the records data files
# as the fallback before ``load_codes`` ran).
CODE_ITEM_TABLES: dict[str, str] = {
    "gender": "gender",
    "ethnicity": "ethnicity",
    "political_status": "political_status",
}


@dataclass(frozen=True)
class Column:
    kind: str
    key: str
    zh: str
    en: str
    required: bool
    codes: str

    def header(self, language: str | None = None) -> str:
        language = (language or get_language() or "zh-hans").lower()
        return self.en if language.startswith("en") else self.zh


@cache
def _spec() -> tuple[Column, ...]:
    with SPEC_FILE.open(encoding="utf-8") as handle:
        return tuple(
            Column(
                kind=row["kind"],
                key=row["key"],
                zh=row["zh"],
                en=row["en"],
                required=row["required"] == "1",
                codes=row["codes"],
            )
            for row in csv.DictReader(handle)
        )


@cache
def _aliases() -> dict[str, dict[str, str]]:
    """Short forms people type for a label (``aliases.csv``: "男" for the GB/T 2261.1 label)."""
    aliases: dict[str, dict[str, str]] = {}
    with ALIAS_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            aliases.setdefault(row["table"], {})[row["alias"].lower()] = row["code"]
    return aliases


def columns_of(kind: str) -> list[Column]:
    return [column for column in _spec() if column.kind == kind]


def header_lookup(kind: str) -> dict[str, Column]:
    """Every accepted spelling of a header (Chinese, English, key), normalised."""
    lookup: dict[str, Column] = {}
    for column in columns_of(kind):
        for spelling in (column.zh, column.en, column.key):
            lookup[normalise_header(spelling)] = column
    return lookup


def normalise_header(value: object) -> str:
    text = str(value or "").strip().lower().replace(" ", "").replace("*", "")
    return text.replace("\u3000", "")


def code_options(table: str) -> list[tuple[str, str]]:
    """(code, label) pairs of a coded column, labels in the active language."""
    if table in CHOICE_TABLES:
        return [(str(v), str(label)) for v, label in CHOICE_TABLES[table].choices if v != ""]
    english = (get_language() or "").startswith("en")
    items = list(code_items(CODE_ITEM_TABLES[table]).order_by("sort", "code"))
    if items:
        return [(i.code, (i.name_en or i.name) if english else i.name) for i in items]
    return _fallback_options(table)


def _fallback_options(table: str) -> list[tuple[str, str]]:
    if table == "ethnicity":
        return list(codes.ethnicity_names().items())
    if table == "political_status":
        return list(codes.political_status_names().items())
    return [(str(v), str(label)) for v, label in codes.Gender.choices]


def option_text(code: str, label: str) -> str:
    """How a code appears in a dropdown and an export: ``"01 label"``."""
    return f"{code} {label}"


class CodeBook:
    """Every coded column's accepted spellings, built once per import (no query per row)."""

    def __init__(self) -> None:
        from django.utils import translation

        self._lookup: dict[str, dict[str, str]] = {}
        for table in (*CHOICE_TABLES, *CODE_ITEM_TABLES):
            lookup: dict[str, str] = {}
            # Labels as people type them, whatever the uploader's language: "男", "全日制",
            # "Male", "Full-time"; then the codes themselves.
            for language in (*LABEL_LANGUAGES, get_language() or "zh-hans"):
                with translation.override(language):
                    for code, label in code_options(table):
                        lookup[label.lower()] = code
            for code, _label in code_options(table):
                lookup[code.lower()] = code
            lookup.update(_aliases().get(table, {}))
            self._lookup[table] = lookup

    def parse(self, table: str, value: str) -> str | None:
        """The code meant by a cell: the code itself, ``"code label"`` or the label alone
        (in the active language or English). None when nothing matches."""
        lookup = self._lookup[table]
        text = value.strip().lower()
        if text in lookup:
            return lookup[text]
        head = text.split(" ", 1)[0]
        return lookup.get(head)
