"""Export of a filtered student or staff list to .xlsx or CSV, in the import template's
columns (so an export with personal data can be edited and imported back). ID numbers,
guardian phones and household registrations are masked unless the export asks for them
(``reveal=pii``) and the viewer's role may reveal them (``core.pii.Disclosure``); cells are
written inert (``core.exports``). Every export is audited, and a reveal also names its
fields, subjects and row count."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import ValidationFailed
from openvet.core.exports import csv_bytes, xlsx_bytes
from openvet.core.pii import Disclosure, PiiKind
from openvet.records.bulk.columns import Column, code_options, columns_of, option_text

FORMATS = ("xlsx", "csv")
CHUNK = 1000


def _labels() -> dict[str, dict[str, str]]:
    tables = {c.codes for kind in ("student", "staff") for c in columns_of(kind) if c.codes}
    return {table: dict(code_options(table)) for table in tables}


_PII_COLUMNS = {
    "id_number": PiiKind.ID_NUMBER,
    "guardian_phone": PiiKind.MOBILE,
    "household_registration": PiiKind.ADDRESS,
}


def _value(
    obj: Any, column: Column, labels: dict[str, dict[str, str]], disclosure: Disclosure
) -> Any:
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
    if key in _PII_COLUMNS:
        subject = f"{obj._meta.model_name}:{obj.pk}"
        kind = _PII_COLUMNS[key]
        return disclosure.show(value, kind=kind, org=obj.org, subject=subject, field=key)
    if column.codes and value not in (None, ""):
        label = labels[column.codes].get(str(value))
        return option_text(str(value), label) if label else value
    return value if value is not None else ""


def export_rows(
    *, disclosure: Disclosure, kind: str, queryset: QuerySet[Any]
) -> tuple[list[str], Iterator[list[Any]]]:
    """Headers and rows (lazily, in chunks) of ``queryset``, personal data as ``disclosure``
    allows."""
    columns = columns_of(kind)
    labels = _labels()

    def rows() -> Iterator[list[Any]]:
        for obj in queryset.select_related("org").iterator(chunk_size=CHUNK):
            yield [_value(obj, column, labels, disclosure) for column in columns]

    return [column.header() for column in columns], rows()


def render(fmt: str, headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    """The file; cells go through ``core.exports`` so none is a live formula."""
    if fmt not in FORMATS:
        raise ValidationFailed(details={"format": "xlsx, csv"})
    if fmt == "csv":
        return csv_bytes(headers, rows)
    return xlsx_bytes(headers, rows)


@transaction.atomic
def export_list(
    *,
    disclosure: Disclosure,
    kind: str,
    queryset: QuerySet[Any],
    fmt: str,
    filters: dict[str, Any],
) -> bytes:
    """The file, after one audit entry naming the filters and the row count (and one more
    naming what went out in clear, if anything did)."""
    headers, rows = export_rows(disclosure=disclosure, kind=kind, queryset=queryset)
    materialised = list(rows)
    content = render(fmt, headers, materialised)
    first = queryset.select_related("school").first()
    school = first.school if first is not None else None
    audit_record(
        action=AuditAction.EXPORT,
        org=school,
        actor=disclosure.actor,
        object_label=f"export {kind} {fmt}",
        changes={
            "rows": len(materialised),
            "filters": {k: str(v) for k, v in filters.items()},
            "revealed": disclosure.revealed,
        },
    )
    disclosure.audit(org=school)
    return content


__all__ = ["FORMATS", "export_list", "export_rows", "render"]
