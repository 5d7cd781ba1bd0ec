"""The sourcedIds a school's records were imported with (ADR 0209).

Loaded once per import or export; the import keeps each bundle row's sourcedId on the record it
became, so that a re-import updates that record and an export gives the identifier back.
"""

from typing import TypeVar

from openvet.core.models import OrgUnit
from openvet.records.oneroster.models import SourcedId, SourcedIdKind

# The identifiers our export gives records that were not imported: prefix + primary key.
OWN_PREFIXES: dict[str, str] = {
    SourcedIdKind.ORG: "org-",
    SourcedIdKind.CLASS: "org-",
    SourcedIdKind.STUDENT: "student-",
    SourcedIdKind.STAFF: "staff-",
    SourcedIdKind.ENROLLMENT: "enrollment-",
    SourcedIdKind.TERM: "term-",
    SourcedIdKind.COURSE: "catalogue-",
}
SYSTEM_NAME = "OpenVET"
BATCH = 500
T = TypeVar("T")


class SourcedIds:
    """``own_bundle``: the bundle is this school's own export, so identifiers without a kept
    sourcedId are the platform's ``<prefix><pk>`` ones (callers check the record is the
    school's)."""

    def __init__(self, school: OrgUnit, *, own_bundle: bool = False) -> None:
        self.school, self.own_bundle = school, own_bundle
        self.by_source: dict[tuple[str, str], int] = {}
        self.by_object: dict[tuple[str, int], str] = {}
        self.touched: dict[str, tuple[set[str], set[int]]] = {}  # kind -> kept since flush
        rows = SourcedId.objects.filter(school=school).values_list(
            "kind", "sourced_id", "object_id"
        )
        for kind, sourced_id, object_id in rows:
            self.by_source[(kind, sourced_id)] = object_id
            self.by_object[(kind, object_id)] = sourced_id

    def find(self, kind: str, sourced_id: str) -> int | None:
        """The local record's primary key, if this sourcedId was imported before."""
        found = self.by_source.get((kind, sourced_id))
        prefix = OWN_PREFIXES.get(kind, "")
        if found is None and self.own_bundle and prefix and sourced_id.startswith(prefix):
            number = sourced_id.removeprefix(prefix)
            return int(number) if number.isdigit() else None
        return found

    def of(self, kind: str, object_id: int, default: str) -> str:
        """The identifier to export: the imported one, else the platform's own."""
        return self.by_object.get((kind, object_id), default)

    def keep(self, kind: str, sourced_id: str, object_id: int) -> bool:
        """Remember that ``sourced_id`` is this record; returns whether that is new. The
        platform's own identifier of the record is not stored: the export gives it anyway.
        Written by ``flush()``, in a few queries for the whole import."""
        if self.by_source.get((kind, sourced_id)) == object_id:
            return False
        prefix = OWN_PREFIXES.get(kind)
        if prefix is not None and sourced_id == f"{prefix}{object_id}":
            return False
        old_source = self.by_object.pop((kind, object_id), None)
        if old_source is not None:
            self.by_source.pop((kind, old_source), None)
        old_object = self.by_source.pop((kind, sourced_id), None)
        if old_object is not None:
            self.by_object.pop((kind, old_object), None)
        self.by_source[(kind, sourced_id)] = object_id
        self.by_object[(kind, object_id)] = sourced_id
        sources, objects = self.touched.setdefault(kind, (set(), set()))
        sources.add(sourced_id)
        objects.add(object_id)
        return True

    def flush(self) -> None:
        """Replace the stored rows of every sourcedId and record kept since the last flush."""
        for kind, (sources, objects) in self.touched.items():
            for source_chunk in _chunks(sorted(sources)):
                SourcedId.objects.filter(
                    school=self.school, kind=kind, sourced_id__in=source_chunk
                ).delete()
            for object_chunk in _chunks(sorted(objects)):
                SourcedId.objects.filter(
                    school=self.school, kind=kind, object_id__in=object_chunk
                ).delete()
            SourcedId.objects.bulk_create(
                [
                    SourcedId(
                        school=self.school,
                        kind=kind,
                        sourced_id=sourced_id,
                        object_id=self.by_source[(kind, sourced_id)],
                    )
                    for sourced_id in sorted(sources)
                    if (kind, sourced_id) in self.by_source
                ],
                batch_size=BATCH,
            )
        self.touched.clear()


def _chunks(values: list[T]) -> list[list[T]]:
    return [values[start : start + BATCH] for start in range(0, len(values), BATCH)]
