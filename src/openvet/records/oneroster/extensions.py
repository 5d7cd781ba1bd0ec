"""Higher apps take over files of a OneRoster bundle (ADR 0209): ``records`` may not import
``teaching``, so teaching registers what it imports and exports here, and the records import
and export call it inside the same transaction and bundle."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from openvet.core.models import OrgUnit
from openvet.core.policy import Actor
from openvet.records.oneroster.identities import SourcedIds
from openvet.records.oneroster.report import ImportSummary, outcome_of

# (kind, object id, the platform's own identifier) -> the identifier to export
SourcedIdOf = Callable[[str, int, str], str]


@dataclass(frozen=True)
class ImportContext:
    """What an extension sees of an import: the bundle's rows by file (each row a dict of its
    columns plus ``_line``), the school's kept sourcedIds, and the report."""

    actor: Actor
    school: OrgUnit
    files: dict[str, list[dict[str, str]]]
    ids: SourcedIds
    summary: ImportSummary
    problems: list[dict[str, Any]] = field(default_factory=list)

    def rows(self, name: str) -> list[dict[str, str]]:
        return self.files.get(name, [])

    def find(self, kind: str, sourced_id: str) -> int | None:
        """The primary key a sourcedId was imported as before (check it is still the school's)."""
        return self.ids.find(kind, sourced_id)

    def keep(self, kind: str, sourced_id: str, object_id: int) -> None:
        self.ids.keep(kind, sourced_id, object_id)

    def done(self, name: str, *, created: bool, changed: bool) -> None:
        """Count a written row of ``<name>.csv`` as imported, updated or unchanged."""
        self.summary.add(f"{name}.csv", outcome_of(created=created, changed=changed))

    def skip(self, name: str, row: dict[str, str], reason: str) -> None:
        self.summary.skip(name, row, reason)

    def problem(self, name: str, row: dict[str, str], column: str, message: str) -> None:
        """A row that cannot be written: the whole import is refused with it."""
        self.problems.append(
            {"file": f"{name}.csv", "line": int(row["_line"]), "column": column, "message": message}
        )


class OneRosterExtension(Protocol):
    files: tuple[str, ...]  # the bundle files it imports (and adds rows to on export)

    def import_rows(self, context: ImportContext) -> None: ...

    def export_rows(
        self, *, school: OrgUnit, sourced_id: SourcedIdOf
    ) -> dict[str, list[dict[str, Any]]]:
        """Rows to add to the export, by file; each with its ``sourcedId``."""
        ...


_EXTENSIONS: list[OneRosterExtension] = []


def oneroster_extension_register(extension: OneRosterExtension) -> None:
    """Called from an app's ``ready()``; registering the same extension twice is a no-op."""
    if extension not in _EXTENSIONS:
        _EXTENSIONS.append(extension)


def oneroster_extensions() -> list[OneRosterExtension]:
    return list(_EXTENSIONS)
