"""The people of a OneRoster bundle: students and teachers, their homeroom enrollments,
demographics and roles, written through the records bulk importers (ADR 0203, ADR 0209)."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from openvet.core.models import OrgUnit
from openvet.records.bulk.people import StaffImporter, StudentImporter
from openvet.records.codes import IdType
from openvet.records.models import Staff, Student
from openvet.records.oneroster.bundle import user_roles
from openvet.records.oneroster.models import SourcedIdKind
from openvet.records.oneroster.report import outcome_of, role_skip_reason, skip_reason

if TYPE_CHECKING:
    from openvet.records.oneroster.importer import BundleWriter

META = "metadata.openvet."
SEX = {"male": "1", "female": "2", "other": "9", "unspecified": "0"}
GUARDIAN_ROLES = ("parent", "guardian", "relative")


@dataclass
class _Kind:
    """Students or staff: their model, importer, number field and sourcedId kinds."""

    model: Any
    importer: Any
    number_field: str
    kind: str
    role_kind: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    sourced: dict[str, str] = field(default_factory=dict)  # sourcedId -> number
    before: dict[str, dict[str, Any]] = field(default_factory=dict)
    after: dict[str, dict[str, Any]] = field(default_factory=dict)

    def snapshot(self, school: OrgUnit) -> dict[str, dict[str, Any]]:
        """Every stored value of the school's records with the bundle's numbers, by number."""
        names = [f.attname for f in self.model._meta.concrete_fields if f.attname != "updated_at"]
        found = self.model.objects.filter(
            school=school, **{f"{self.number_field}__in": list(self.sourced.values())}
        ).values(*names)
        return {values[self.number_field]: values for values in found}


class PeopleImport:
    def __init__(self, writer: "BundleWriter") -> None:
        self.writer, self.summary, self.ids = writer, writer.summary, writer.ids
        self.bundle, self.school = writer.bundle, writer.school
        self.roles = user_roles(self.bundle)
        self.kinds = {
            "student": _Kind(
                Student,
                StudentImporter,
                "student_number",
                SourcedIdKind.STUDENT,
                SourcedIdKind.STUDENT_ROLE,
            ),
            "teacher": _Kind(
                Staff, StaffImporter, "staff_number", SourcedIdKind.STAFF, SourcedIdKind.STAFF_ROLE
            ),
        }
        self.outcomes: dict[str, str] = {}  # user sourcedId -> outcome

    def run(self) -> None:
        homerooms = self._homerooms()
        lines = self._users(homerooms)
        for kind in self.kinds.values():
            kind.before = kind.snapshot(self.school)
            if not self._run(kind, lines):
                return
            kind.after = kind.snapshot(self.school)
        self._keep_users()
        self._keep_enrollments(homerooms)
        self._demographics()
        self._roles()

    def _homerooms(self) -> dict[str, tuple[OrgUnit, dict[str, str]]]:
        found: dict[str, tuple[OrgUnit, dict[str, str]]] = {}
        for row in self.bundle.rows("enrollments"):
            node = self.writer.nodes.get(row["classSourcedId"])
            if row.get("status") == "tobedeleted":
                self.summary.skip("enrollments", row, skip_reason("tobedeleted"))
            elif node is None:
                self.summary.skip("enrollments", row, skip_reason("class_missing"))
            elif row.get("role") != "student":
                self.summary.skip("enrollments", row, skip_reason("not_student"))
            elif row["userSourcedId"] in found:
                self.summary.skip("enrollments", row, skip_reason("second_homeroom"))
            else:
                found[row["userSourcedId"]] = (node, row)
        return found

    def _users(
        self, homerooms: dict[str, tuple[OrgUnit, dict[str, str]]]
    ) -> dict[int, dict[str, str]]:
        demographics = self.bundle.by_id("demographics")
        users = self.bundle.by_id("users")
        numbers = self._known_numbers()
        lines: dict[int, dict[str, str]] = {}
        for row in self.bundle.rows("users"):
            role = self.roles.get(row["sourcedId"], "")
            if row.get("status") == "tobedeleted":
                self.summary.skip("users", row, skip_reason("tobedeleted"))
                continue
            if role not in self.kinds:
                self.summary.skip("users", row, role_skip_reason(role))
                continue
            kind = self.kinds[role]
            raw = person_values(row, demographics.get(row["sourcedId"], {}))
            raw["student_number"] = raw["staff_number"] = numbers.get(
                (kind.kind, row["sourcedId"]), raw["student_number"]
            )
            if role == "teacher":
                raw.setdefault("post_type", "teacher")
            else:
                placement = homerooms.get(row["sourcedId"])
                raw |= self._placement(row, placement[0] if placement else None)
                raw |= guardian_values(row, users, self.roles)
            kind.sourced[row["sourcedId"]] = raw[kind.number_field]
            kind.rows.append((int(row["_line"]), raw))
            lines[int(row["_line"])] = row
        return lines

    def _known_numbers(self) -> dict[tuple[str, str], str]:
        """The current number of each record a sourcedId of the bundle was imported as."""
        found: dict[tuple[str, str], str] = {}
        for kind in self.kinds.values():
            wanted = {
                pk: row["sourcedId"]
                for row in self.bundle.rows("users")
                if (pk := self.ids.find(kind.kind, row["sourcedId"])) is not None
            }
            for pk, number in kind.model.objects.filter(
                school=self.school, pk__in=list(wanted)
            ).values_list("pk", kind.number_field):
                found[(kind.kind, wanted[pk])] = number
        return found

    def _placement(self, row: dict[str, str], klass: OrgUnit | None) -> dict[str, Any]:
        major = klass.parent if klass is not None else self.writer.major_for(row)
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

    def _run(self, kind: _Kind, lines: dict[int, dict[str, str]]) -> bool:
        if not kind.rows:
            return True
        importer = kind.importer(actor=self.writer.actor, school=self.school)
        outcome = importer.run(kind.rows, all_or_nothing=True)
        for error in outcome.errors:
            self.writer.problems.append(
                {
                    "file": "users.csv",
                    "line": error["row"],
                    "column": error["column"],
                    "message": error["message"],
                }
            )
        if outcome.errors:
            return False
        if self.writer.accounts:
            from openvet.records.oneroster.accounts import link_accounts

            self.writer.problems += link_accounts(
                self.writer.actor, self.school, importer.kind, kind.rows, lines
            )
        return True

    def _keep_users(self) -> None:
        for row in self.bundle.rows("users"):
            kind = self.kinds.get(self.roles.get(row["sourcedId"], ""))
            if kind is None or row["sourcedId"] not in kind.sourced:
                continue
            number = kind.sourced[row["sourcedId"]]
            after, before = kind.after[number], kind.before.get(number)
            outcome = outcome_of(created=before is None, changed=before != after)
            self.ids.keep(kind.kind, row["sourcedId"], after["id"])
            self.outcomes[row["sourcedId"]] = outcome
            self.summary.add("users.csv", outcome)

    def _student_pk(self, sourced_id: str) -> int | None:
        kind = self.kinds["student"]
        number = kind.sourced.get(sourced_id)
        return kind.after[number]["id"] if number in kind.after else None

    def _keep_enrollments(self, homerooms: dict[str, tuple[OrgUnit, dict[str, str]]]) -> None:
        kind = self.kinds["student"]
        for user_id, (node, row) in homerooms.items():
            pk = self._student_pk(user_id)
            if pk is None:
                self.summary.skip("enrollments", row, skip_reason("user_missing"))
                continue
            before = kind.before.get(kind.sourced[user_id])
            changed = before is not None and before["class_unit_id"] != node.pk
            self.ids.keep(SourcedIdKind.ENROLLMENT, row["sourcedId"], pk)
            self.summary.add("enrollments.csv", outcome_of(created=before is None, changed=changed))

    def _demographics(self) -> None:
        for row in self.bundle.rows("demographics"):
            outcome = self.outcomes.get(row["sourcedId"])
            if outcome is None:
                self.summary.skip("demographics", row, skip_reason("user_missing"))
            else:
                self.summary.add("demographics.csv", outcome)

    def _roles(self) -> None:
        chosen: dict[str, str] = {}  # user sourcedId -> its primary role's sourcedId
        for row in self.bundle.rows("roles"):
            if row.get("roleType") == "primary" or row["userSourcedId"] not in chosen:
                chosen[row["userSourcedId"]] = row["sourcedId"]
        for row in self.bundle.rows("roles"):
            user_id = row["userSourcedId"]
            kind = self.kinds.get(row.get("role", ""))
            if kind is None or user_id not in kind.sourced or chosen[user_id] != row["sourcedId"]:
                self.summary.skip("roles", row, skip_reason("secondary_role"))
                continue
            pk = kind.after[kind.sourced[user_id]]["id"]
            is_new = self.ids.keep(kind.role_kind, row["sourcedId"], pk)
            self.summary.add("roles.csv", outcome_of(created=is_new, changed=False))


def _name(row: dict[str, str]) -> str:
    given, family = row.get("givenName", ""), row.get("familyName", "")
    if (given + family).isascii():
        return f"{given} {family}".strip()
    return f"{family}{given}"


def person_values(row: dict[str, str], demographic: dict[str, str]) -> dict[str, Any]:
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


def guardian_values(
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
