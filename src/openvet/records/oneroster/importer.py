"""Importing a OneRoster CSV bundle into one school of the org tree.

Mapping (ADR 0203, ADR 0209): the bundle's ``school`` org is the target school; ``department``
orgs become departments (or majors, when our own export marked them); ``district`` and other
region orgs are not created (the school already sits in the tree). ``homeroom`` classes become
class nodes; users with the role student / teacher become student / staff records (through the
bulk importers, so the records rules apply) and, optionally, accounts. Registered extensions
(teaching: academic sessions and courses) import their files in the same transaction. Every
kept row's sourcedId is kept on its record, per school, so a re-import updates the same
records and an export gives the identifiers back. Everything is checked first and written in
one transaction: all or nothing. The summary says, per file, what was imported, updated, left
unchanged or skipped, and why each skipped row was.
"""

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core import services as org_services
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.records.oneroster.bundle import Bundle, read_bundle
from openvet.records.oneroster.extensions import ImportContext, oneroster_extensions
from openvet.records.oneroster.identities import SYSTEM_NAME, SourcedIds
from openvet.records.oneroster.models import SourcedIdKind
from openvet.records.oneroster.people import PeopleImport
from openvet.records.oneroster.report import (
    IMPORTED,
    UNCHANGED,
    UPDATED,
    ImportSummary,
    skip_reason,
)

META = "metadata.openvet."
REGION_TYPES = ("district", "local", "state", "national")

__all__ = ["ImportSummary", "OneRosterRejected", "oneroster_import"]


class OneRosterRejected(ValidationFailed):
    """The bundle has problems; ``details`` lists each as {file, line, column, message}."""

    code = "oneroster_rejected"


def oneroster_import(
    *,
    actor: Actor,
    school: OrgUnit,
    directory: Path,
    default_major: OrgUnit | None = None,
    accounts: bool = False,
) -> ImportSummary:
    for capability in ("records.add_student", "records.add_staff", "core.add_orgunit"):
        policy.require(actor, capability, school)
    bundle = read_bundle(directory)
    if bundle.problems:
        raise OneRosterRejected(
            _("The bundle has problems; nothing was imported."), details=bundle.problems
        )
    summary = ImportSummary()
    with transaction.atomic():
        BundleWriter(actor, school, bundle, summary, default_major, accounts).run()
        audit_record(
            action=AuditAction.CREATE,
            org=school,
            actor=actor,
            object_label="import oneroster",
            changes={"counts": summary.counts},
        )
    return summary


class BundleWriter:
    def __init__(
        self,
        actor: Actor,
        school: OrgUnit,
        bundle: Bundle,
        summary: ImportSummary,
        default_major: OrgUnit | None,
        accounts: bool,
    ) -> None:
        self.actor, self.school, self.bundle, self.summary = actor, school, bundle, summary
        self.default_major, self.accounts = default_major, accounts
        self.problems: list[dict[str, Any]] = []
        self.nodes: dict[str, OrgUnit] = {}  # org or class sourcedId -> node
        self.ids = SourcedIds(school, own_bundle=bundle.source == (SYSTEM_NAME, school.code))

    def run(self) -> None:
        self._orgs()
        self._classes()
        PeopleImport(self).run()
        taken: set[str] = set()
        for extension in oneroster_extensions():
            context = ImportContext(
                actor=self.actor,
                school=self.school,
                files=self.bundle.files,
                ids=self.ids,
                summary=self.summary,
            )
            extension.import_rows(context)
            self.problems += context.problems
            taken.update(extension.files)
        for name in ("courses", "academicSessions", "userProfiles"):
            for row in self.bundle.rows(name) if name not in taken else []:
                self.summary.skip(name, row, skip_reason(name))
        self.ids.flush()
        if self.problems:
            raise OneRosterRejected(
                _("The bundle has problems; nothing was imported."), details=self.problems
            )

    def problem(self, name: str, row: dict[str, str], column: str, message: str) -> None:
        self.problems.append(
            {"file": f"{name}.csv", "line": int(row["_line"]), "column": column, "message": message}
        )

    # Orgs ---------------------------------------------------------------------------------

    def _existing(self, parent: OrgUnit, kind: str) -> dict[str, OrgUnit]:
        found = OrgUnit.objects.filter(parent=parent, kind=kind)
        return {node.code or node.name: node for node in found}

    def _known(self, kind: str, sourced_id: str) -> OrgUnit | None:
        pk = self.ids.find(kind, sourced_id)
        if pk is None:
            return None
        return OrgUnit.objects.filter(pk=pk, path__startswith=self.school.path).first()

    def _orgs(self) -> None:
        pending = []
        for row in self.bundle.rows("orgs"):
            if row.get("status") == "tobedeleted":
                self.summary.skip("orgs", row, skip_reason("tobedeleted"))
            elif row["type"] == "school" and self.school not in self.nodes.values():
                self.nodes[row["sourcedId"]] = self.school
                self.ids.keep(SourcedIdKind.ORG, row["sourcedId"], self.school.pk)
                self.summary.add("orgs.csv", UNCHANGED)
            elif row["type"] == "school":
                self.summary.skip("orgs", row, skip_reason("second_school"))
            elif row["type"] == "department":
                pending.append(row)
            else:
                self.summary.skip("orgs", row, skip_reason("region"))
        for _round in range(3):  # departments, then majors under them
            for row in list(pending):
                parent = self._parent_of(row)
                if parent is not None:
                    pending.remove(row)
                    self.nodes[row["sourcedId"]] = self._org(row, parent)
        for row in pending:
            self.summary.skip("orgs", row, skip_reason("parent"))

    def _parent_of(self, row: dict[str, str]) -> OrgUnit | None:
        parent_id = row.get("parentSourcedId", "")
        parent_row = self.bundle.by_id("orgs").get(parent_id)
        if not parent_id or (parent_row is not None and parent_row["type"] in REGION_TYPES):
            return self.school
        return self.nodes.get(parent_id)

    def _org(self, row: dict[str, str], parent: OrgUnit) -> OrgUnit:
        kind = OrgKind.MAJOR if row.get(META + "kind") == "major" else OrgKind.DEPARTMENT
        values: dict[str, Any] = {"name": row["name"], "code": row.get("identifier", "").upper()}
        node = self._known(SourcedIdKind.ORG, row["sourcedId"])
        node = node or self._existing(parent, kind).get(values["code"] or row["name"])
        node = self._save_node(node, "orgs", parent=parent, kind=kind, values=values)
        self.ids.keep(SourcedIdKind.ORG, row["sourcedId"], node.pk)
        return node

    def _save_node(
        self, node: OrgUnit | None, name: str, *, parent: OrgUnit, kind: str, values: dict[str, Any]
    ) -> OrgUnit:
        if node is None:
            self.summary.add(f"{name}.csv", IMPORTED)
            return org_services.org_create(actor=self.actor, parent=parent, kind=kind, **values)
        changes = {k: v for k, v in values.items() if getattr(node, k) != v}
        if not changes:
            self.summary.add(f"{name}.csv", UNCHANGED)
            return node
        self.summary.add(f"{name}.csv", UPDATED)
        return org_services.org_update(actor=self.actor, org=node, **changes)

    # Classes ------------------------------------------------------------------------------

    def major_for(self, row: dict[str, str]) -> OrgUnit | None:
        node = self.nodes.get(row.get(META + "majorSourcedId", ""))
        if node is not None and node.kind == OrgKind.MAJOR:
            return node
        if self.default_major is None:
            self.default_major = (
                OrgUnit.objects.filter(kind=OrgKind.MAJOR, path__startswith=self.school.path)
                .order_by("path")
                .first()
            )
        return self.default_major

    def _classes(self) -> None:
        sessions = self.bundle.by_id("academicSessions")
        for row in self.bundle.rows("classes"):
            if row.get("status") == "tobedeleted":
                self.summary.skip("classes", row, skip_reason("tobedeleted"))
                continue
            if row["classType"].lower() != "homeroom":
                self.summary.skip("classes", row, skip_reason("scheduled"))
                continue
            major = self.major_for(row)
            if major is None:
                self.problem("classes", row, "", _("The school has no major to put it in."))
                continue
            code = row.get("classCode", "")[:32].upper()
            node = self._known(SourcedIdKind.CLASS, row["sourcedId"])
            node = node or (self._existing(major, OrgKind.CLASS).get(code) if code else None)
            values = _class_values(row, node, sessions)
            node = self._save_node(node, "classes", parent=major, kind=OrgKind.CLASS, values=values)
            self.ids.keep(SourcedIdKind.CLASS, row["sourcedId"], node.pk)
            self.nodes[row["sourcedId"]] = node


def _class_values(
    row: dict[str, str], node: OrgUnit | None, sessions: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """What the bundle says of a class. A new class without a code takes its sourcedId; its
    grade year is ours from our export, else its first term's school year, else this year.
    A known class keeps its code and grade year where the bundle gives none."""
    values: dict[str, Any] = {"name": row["title"]}
    code = row.get("classCode", "")[:32].upper()
    if code or node is None:
        values["code"] = code or row["sourcedId"][:32].upper()
    terms = [sessions[t] for t in row["termSourcedIds"].split(",") if t in sessions]
    year = row.get(META + "gradeYear") or (terms[0]["schoolYear"] if terms else "")
    if row.get(META + "gradeYear") or node is None:
        values["grade_year"] = int(year) if year.isdigit() else timezone.localdate().year
    return values
