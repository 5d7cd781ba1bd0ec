"""Export of a filtered student or staff list to .xlsx or CSV, in the import template's
columns (so an export can be edited and imported back), ID numbers masked unless the
viewer's role may reveal them. Every export is audited."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import ValidationFailed
from openvet.core.pii import mask_id_number, mask_mobile
from openvet.core.policy import Actor
from openvet.records.bulk.columns import Column, code_options, columns_of, option_text

FORMATS = ("xlsx", "csv")
CHUNK = 1000


def _labels() -> dict[str, dict[str, str]]:
    tables = {c.codes for kind in ("student", "staff") for c in columns_of(kind) if c.codes}
    return {table: dict(code_options(table)) for table in tables}


def _value(obj: Any, column: Column, labels: dict[str, dict[str, str]], reveal: bool) -> Any:
    key = column.key
    if key == "major_code":
        return obj.major.code
    if key == "class_code":
        return obj.class_unit.code if obj.class_unit_id else ""
    if key == "department_code":
        return obj.department.code if obj.department_id else ""
    if key == "enterprise_code":
        return obj.enterprise.code if obj.enterprise_id else ""
    value = getattr(obj, key, "")
    if key == "id_number" and not reveal:
        return mask_id_number(value)
    if key == "guardian_phone" and not reveal:
        return mask_mobile(value)
    if column.codes and value not in (None, ""):
        label = labels[column.codes].get(str(value))
        return option_text(str(value), label) if label else value
    return value if value is not None else ""


def export_rows(
    *, actor: Actor, kind: str, queryset: QuerySet[Any]
) -> tuple[list[str], Iterator[list[Any]]]:
    """Headers and rows (lazily, in chunks) of ``queryset``, masked for ``actor``."""
    columns = columns_of(kind)
    labels = _labels()
    reveal_cache: dict[int, bool] = {}

    def reveal(obj: Any) -> bool:
        if obj.org_id not in reveal_cache:
            reveal_cache[obj.org_id] = policy.has_capability(actor, "identity.reveal_pii", obj.org)
        return reveal_cache[obj.org_id]

    def rows() -> Iterator[list[Any]]:
        for obj in queryset.select_related("org").iterator(chunk_size=CHUNK):
            shown = reveal(obj)
            yield [_value(obj, column, labels, shown) for column in columns]

    return [column.header() for column in columns], rows()


def render(fmt: str, headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    if fmt not in FORMATS:
        raise ValidationFailed(details={"format": "xlsx, csv"})
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(headers)
        writer.writerows(rows)
        # A byte order mark, so Excel opens the UTF-8 file with its Chinese intact.
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_list(
    *, actor: Actor, kind: str, queryset: QuerySet[Any], fmt: str, filters: dict[str, Any]
) -> bytes:
    """The file, after one audit entry naming the filters and the row count."""
    headers, rows = export_rows(actor=actor, kind=kind, queryset=queryset)
    materialised = list(rows)
    content = render(fmt, headers, materialised)
    first = queryset.select_related("school").first()
    audit_record(
        action=AuditAction.EXPORT,
        org=first.school if first is not None else None,
        actor=actor,
        object_label=f"export {kind} {fmt}",
        changes={"rows": len(materialised), "filters": {k: str(v) for k, v in filters.items()}},
    )
    return content


__all__ = ["FORMATS", "export_list", "export_rows", "render"]
