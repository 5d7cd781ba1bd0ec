"""The sourcedIds a school's records were imported with (ADR 0208).

Loaded once per import or export; the import keeps each bundle row's sourcedId on the record it
became, so that a re-import updates that record and an export gives the identifier back.
"""

from django.db.models import Q

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


class SourcedIds:
    """``own_bundle``: the bundle is this school's own export, so identifiers without a kept
    sourcedId are the platform's ``<prefix><pk>`` ones (callers check the record is the
    school's)."""

    def __init__(self, school: OrgUnit, *, own_bundle: bool = False) -> None:
        self.school, self.own_bundle = school, own_bundle
        self.by_source: dict[tuple[str, str], int] = {}
        self.by_object: dict[tuple[str, int], str] = {}
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
        platform's own identifier of the record is not stored: the export gives it anyway."""
        if self.by_source.get((kind, sourced_id)) == object_id:
            return False
        prefix = OWN_PREFIXES.get(kind)
        if prefix is not None and sourced_id == f"{prefix}{object_id}":
            return False
        stale = Q(sourced_id=sourced_id) | Q(object_id=object_id)
        SourcedId.objects.filter(stale, school=self.school, kind=kind).delete()
        self.by_source.pop((kind, self.by_object.pop((kind, object_id), "")), None)
        self.by_object.pop((kind, self.by_source.pop((kind, sourced_id), 0)), None)
        SourcedId.objects.create(
            school=self.school, kind=kind, sourced_id=sourced_id, object_id=object_id
        )
        self.by_source[(kind, sourced_id)] = object_id
        self.by_object[(kind, object_id)] = sourced_id
        return True
