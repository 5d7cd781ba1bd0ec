"""Importing a OneRoster CSV bundle into one school of the org tree.

Mapping (ADR 0203): the bundle's ``school`` org is the target school; ``department`` orgs
become departments (or majors, when our own export marked them); ``district`` and other
region orgs are not created (the school already sits in the tree). ``homeroom`` classes become
class nodes; ``scheduled`` classes, courses and their enrollments are counted as skipped until
the teaching app exists. Users with the role student / teacher become student / staff records
(through the bulk importers, so the records rules apply) and, optionally, accounts.
Everything is checked first and written in one transaction: all or nothing.
"""

from dataclasses import dataclass, field
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
from openvet.records.bulk.people import StaffImporter, StudentImporter
from openvet.records.codes import IdType
from openvet.records.oneroster.bundle import Bundle, read_bundle, user_roles

META = "metadata.openvet."
SEX = {"male": "1", "female": "2", "other": "9", "unspecified": "0"}
GUARDIAN_ROLES = ("parent", "guardian", "relative")


class OneRosterRejected(ValidationFailed):
    """The bundle has problems; ``details`` lists each as {file, line, column, message}."""

    code = "oneroster_rejected"


@dataclass
class ImportSummary:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, file: str, imported: int = 0, skipped: int = 0) -> None:
        entry = self.counts.setdefault(file, {"imported": 0, "skipped": 0})
        entry["imported"] += imported
        entry["skipped"] += skipped


def oneroster_import(
    *,
    actor: Any,
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
        _Writer(actor, school, bundle, summary, default_major, accounts).run()
        audit_record(
            action=AuditAction.CREATE,
            org=school,
            actor=actor,
            object_label="import oneroster",
            changes={"counts": summary.counts},
        )
    return summary


class _Writer:
    def __init__(
        self,
        actor: Any,
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
        self.roles = user_roles(bundle)

    def run(self) -> None:
        self._orgs()
        self._classes()
        self._people()
        for name in ("courses", "academicSessions", "userProfiles", "roles"):
            if name in self.bundle.files:
                self.summary.add(f"{name}.csv", skipped=len(self.bundle.rows(name)))
        if self.problems:
            raise OneRosterRejected(
                _("The bundle has problems; nothing was imported."), details=self.problems
            )

    # Orgs ---------------------------------------------------------------------------------

    def _existing(self, parent: OrgUnit, kind: str) -> dict[str, OrgUnit]:
        found = OrgUnit.objects.filter(parent=parent, kind=kind)
        return {node.code or node.name: node for node in found}

    def _orgs(self) -> None:
        rows = self.bundle.rows("orgs")
        for row in rows:
            if row["type"] == "school":
                self.nodes[row["sourcedId"]] = self.school
        pending = [r for r in rows if r["type"] == "department"]
        for _round in range(3):  # departments, then majors under them
            for row in list(pending):
                parent = self.nodes.get(row.get("parentSourcedId") or "") or (
                    self.school if not row.get("parentSourcedId") else None
                )
                if parent is None:
                    continue
                pending.remove(row)
                self.nodes[row["sourcedId"]] = self._org(row, parent)
        self.summary.add("orgs.csv", imported=len(rows) - len(pending), skipped=len(pending))

    def _org(self, row: dict[str, str], parent: OrgUnit) -> OrgUnit:
        kind = OrgKind.MAJOR if row.get(META + "kind") == "major" else OrgKind.DEPARTMENT
        code = row.get("identifier", "").upper()
        existing = self._existing(parent, kind).get(code or row["name"])
        if existing is not None:
            return existing
        return org_services.org_create(
            actor=self.actor, parent=parent, kind=kind, name=row["name"], code=code
        )

    # Classes ------------------------------------------------------------------------------

    def _major_for(self, row: dict[str, str]) -> OrgUnit | None:
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
            if row["classType"].lower() != "homeroom" or row.get("status") == "tobedeleted":
                self.summary.add("classes.csv", skipped=1)
                continue
            major = self._major_for(row)
            if major is None:
                self._problem("classes", row, "", _("The school has no major to put it in."))
                continue
            terms = [sessions[t] for t in row["termSourcedIds"].split(",") if t in sessions]
            grade = row.get(META + "gradeYear") or (terms[0]["schoolYear"] if terms else "")
            code = (row.get("classCode") or row["sourcedId"])[:32].upper()
            existing = self._existing(major, OrgKind.CLASS).get(code)
            values = {"name": row["title"], "grade_year": int(grade or timezone.localdate().year)}
            if existing is None:
                existing = org_services.org_create(
                    actor=self.actor, parent=major, kind=OrgKind.CLASS, code=code, **values
                )
            self.nodes[row["sourcedId"]] = existing
            self.summary.add("classes.csv", imported=1)

    # People -------------------------------------------------------------------------------

    def _problem(self, name: str, row: dict[str, str], column: str, message: str) -> None:
        self.problems.append(
            {"file": f"{name}.csv", "line": int(row["_line"]), "column": column, "message": message}
        )

    def _people(self) -> None:
        demographics = self.bundle.by_id("demographics")
        homeroom = self._homerooms()
        users = self.bundle.by_id("users")
        students, staff, lines = [], [], {}
        for row in self.bundle.rows("users"):
            role = self.roles.get(row["sourcedId"], "")
            if role not in ("student", "teacher") or row.get("status") == "tobedeleted":
                self.summary.add("users.csv", skipped=1)
                continue
            raw = _person(row, demographics.get(row["sourcedId"], {}))
            lines[int(row["_line"])] = row
            if role == "teacher":
                raw.setdefault("post_type", "teacher")
                staff.append((int(row["_line"]), raw))
                continue
            raw |= self._placement(row, homeroom.get(row["sourcedId"]))
            raw |= _guardian(row, users, self.roles)
            students.append((int(row["_line"]), raw))
        self.summary.add("demographics.csv", imported=len(demographics))
        self._run(StudentImporter, students, lines)
        self._run(StaffImporter, staff, lines)

    def _homerooms(self) -> dict[str, OrgUnit]:
        found: dict[str, OrgUnit] = {}
        for row in self.bundle.rows("enrollments"):
            node = self.nodes.get(row["classSourcedId"])
            if node is not None and row.get("role") == "student":
                found[row["userSourcedId"]] = node
                self.summary.add("enrollments.csv", imported=1)
            else:
                self.summary.add("enrollments.csv", skipped=1)
        return found

    def _placement(self, row: dict[str, str], klass: OrgUnit | None) -> dict[str, Any]:
        major = klass.parent if klass is not None else self._major_for(row)
        if major is None:
            return {}
        values: dict[str, Any] = {"major_code": row.get(META + "majorCode") or major.code}
        if klass is not None:
            values["class_code"] = klass.code
        values["grade_year"] = (
            row.get(META + "gradeYear")
            or (klass.grade_year if klass is not None else None)
            or timezone.localdate().year
        )
        return values

    def _run(
        self,
        importer: Any,
        rows: list[tuple[int, dict[str, Any]]],
        lines: dict[int, dict[str, str]],
    ) -> None:
        if not rows:
            return
        outcome = importer(actor=self.actor, school=self.school).run(rows, all_or_nothing=True)
        for error in outcome.errors:
            self.problems.append(
                {
                    "file": "users.csv",
                    "line": error["row"],
                    "column": error["column"],
                    "message": error["message"],
                }
            )
        if outcome.errors:
            return
        self.summary.add("users.csv", imported=len(rows))
        if self.accounts:
            from openvet.records.oneroster.accounts import link_accounts

            self.problems += link_accounts(self.actor, self.school, importer.kind, rows, lines)


def _name(row: dict[str, str]) -> str:
    given, family = row.get("givenName", ""), row.get("familyName", "")
    if (given + family).isascii():
        return f"{given} {family}".strip()
    return f"{family}{given}"


def _person(row: dict[str, str], demographic: dict[str, str]) -> dict[str, Any]:
    number = row.get("identifier") or row.get("username") or row["sourcedId"]
    values: dict[str, Any] = {
        "student_number": number,
        "staff_number": number,
        "name": _name(row),
        "gender": SEX.get(demographic.get("sex", "").lower(), "0"),
    }
    if demographic.get("birthDate"):
        values["birth_date"] = demographic["birthDate"]
    for key, column in (
        ("id_type", "idType"),
        ("id_number", "idNumber"),
        ("ethnicity", "ethnicity"),
        ("political_status", "politicalStatus"),
        ("enrolment_source", "enrolmentSource"),
        ("study_form", "studyForm"),
        ("schooling_years", "schoolingYears"),
        ("household_registration", "householdRegistration"),
        ("guardian_name", "guardianName"),
        ("guardian_relation", "guardianRelation"),
        ("guardian_phone", "guardianPhone"),
        ("post_type", "postType"),
        ("title", "title"),
    ):
        if row.get(META + column):
            values[key] = row[META + column]
    if "id_type" not in values and "id_number" not in values:
        # OneRoster itself carries no identity document: without the extension's columns the
        # person's document is unknown, not a resident ID card without its number.
        values["id_type"] = IdType.OTHER
    return values


def _guardian(
    row: dict[str, str], users: dict[str, dict[str, str]], roles: dict[str, str]
) -> dict[str, Any]:
    for agent_id in (a.strip() for a in row.get("agentSourcedIds", "").split(",") if a.strip()):
        agent = users.get(agent_id)
        if agent is not None and roles.get(agent_id) in GUARDIAN_ROLES:
            return {
                "guardian_name": _name(agent),
                "guardian_relation": roles[agent_id],
                "guardian_phone": agent.get("phone") or agent.get("sms", ""),
            }
    return {}
