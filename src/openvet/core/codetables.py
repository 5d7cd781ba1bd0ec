"""National code tables: read from the CSV files under ``core/data/codes/`` into ``CodeItem``.

Each file is one table (table name = file stem) with the header ``code,name,name_en,parent_code``;
``data/codes/README.md`` names the standard and edition each file comes from. Loading is
idempotent: it adds new codes and updates changed ones in one transaction, and never deletes a
code (records may still refer to a retired one). ``openvet migrate`` loads the tables through
the ``post_migrate`` handler below, so a fresh install has them; ``openvet load_codes`` reloads.
"""

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router, transaction

CODES_DIR = Path(__file__).resolve().parent / "data" / "codes"
HEADER = ("code", "name", "name_en", "parent_code")
NATION_FILE = CODES_DIR.parent / "nation.json"


class CodeTableError(ValueError):
    """A data file is malformed: the message names the file and line."""


@dataclass(frozen=True)
class CodeRow:
    code: str
    name: str
    name_en: str
    parent_code: str
    sort: int


@dataclass(frozen=True)
class LoadResult:
    table: str
    created: int
    updated: int
    unchanged: int


def table_names() -> list[str]:
    return sorted(path.stem for path in CODES_DIR.glob("*.csv"))


def table_path(table: str) -> Path:
    path = CODES_DIR / f"{table}.csv"
    if not path.is_file():
        raise CodeTableError(f"no code table named {table!r}")
    return path


def read_table(path: Path) -> list[CodeRow]:
    """The rows of one file, checked: header, non-empty unique codes, parents present."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader, ()))
        if header != HEADER:
            raise CodeTableError(f"{path.name}: header must be {','.join(HEADER)}")
        rows = [_row(path, number, values) for number, values in enumerate(reader, start=2)]
    codes = [row.code for row in rows]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise CodeTableError(f"{path.name}: duplicate codes {', '.join(duplicates)}")
    known = set(codes)
    for row in rows:
        if row.parent_code and row.parent_code not in known:
            raise CodeTableError(f"{path.name}: parent {row.parent_code} of {row.code} missing")
    return rows


def _row(path: Path, number: int, values: list[str]) -> CodeRow:
    if len(values) != len(HEADER):
        raise CodeTableError(f"{path.name}:{number}: expected {len(HEADER)} columns")
    code, name, name_en, parent_code = (value.strip() for value in values)
    if not code or not name:
        raise CodeTableError(f"{path.name}:{number}: code and name are required")
    return CodeRow(code, name, name_en, parent_code, sort=number - 1)


@cache
def file_rows(table: str) -> tuple[CodeRow, ...]:
    """The rows of a table straight from its file (no database), e.g. for demo data."""
    return tuple(read_table(table_path(table)))


def file_name(table: str, code: str) -> str:
    """The name of ``code`` in a table file; KeyError when absent."""
    for row in file_rows(table):
        if row.code == code:
            return row.name
    raise KeyError(f"{table}:{code}")


def nation_defaults() -> dict[str, str]:
    """Code and names of the root of the org tree (``data/nation.json``)."""
    data = json.loads(NATION_FILE.read_text(encoding="utf-8"))
    return {
        "code": str(data["code"]),
        "name": str(data["name"]),
        "name_en": str(data.get("name_en", "")),
    }


def load_code_tables(
    *, tables: list[str] | None = None, model: Any = None, using: str = DEFAULT_DB_ALIAS
) -> list[LoadResult]:
    """Load the given tables (default: every file) into ``CodeItem`` in one transaction.

    ``model`` lets the ``post_migrate`` handler pass the historical model of the migration
    state; callers elsewhere leave it out.
    """
    code_item = model or global_apps.get_model("core", "CodeItem")
    names = tables if tables is not None else table_names()
    parsed = {name: read_table(table_path(name)) for name in names}
    with transaction.atomic(using=using):
        return [_load_one(code_item, name, rows, using) for name, rows in parsed.items()]


_FIELDS = ("name", "name_en", "parent_code", "sort")


def _load_one(code_item: Any, table: str, rows: list[CodeRow], using: str) -> LoadResult:
    manager = code_item._default_manager.using(using)
    existing = {item.code: item for item in manager.filter(table=table)}
    new, changed = [], []
    for row in rows:
        item = existing.get(row.code)
        if item is None:
            new.append(
                code_item(
                    table=table, code=row.code, **{field: getattr(row, field) for field in _FIELDS}
                )
            )
        elif any(getattr(item, field) != getattr(row, field) for field in _FIELDS):
            for field in _FIELDS:
                setattr(item, field, getattr(row, field))
            changed.append(item)
    manager.bulk_create(new)
    if changed:
        manager.bulk_update(changed, list(_FIELDS))
    return LoadResult(table, len(new), len(changed), len(rows) - len(new) - len(changed))


def load_after_migrate(
    sender: Any, *, using: str = DEFAULT_DB_ALIAS, apps: Any = None, **kwargs: Any
) -> None:
    """``post_migrate`` handler: a fresh (or flushed) database gets the code tables."""
    registry = apps or global_apps
    try:
        code_item = registry.get_model("core", "CodeItem")
    except LookupError:  # migrated only part of the way: the table does not exist yet
        return
    if not router.allow_migrate_model(using, code_item):
        return
    load_code_tables(model=code_item, using=using)
