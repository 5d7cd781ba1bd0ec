"""Exporting one school as a OneRoster 1.2 CSV bundle (bulk).

Standard columns carry what OneRoster has (names, identifiers, homeroom classes, enrolments,
birth date and sex in demographics); the rest of a record travels in ``metadata.openvet.*``
columns, which the binding allows, so that our own import restores it. ID numbers, guardian
phones and household registrations are written only when the export asks for them
(``reveal``) and the exporter may reveal them (``core.pii.Disclosure``), else left empty;
cells are written inert (``core.exports``); the export and any reveal are audited.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.utils import timezone

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.exports import SafeDictWriter
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.pii import Disclosure
from openvet.core.policy import Actor
from openvet.records.models import Staff, Student
from openvet.records.oneroster.extensions import oneroster_extensions
from openvet.records.oneroster.identities import SYSTEM_NAME, SourcedIds
from openvet.records.oneroster.models import SourcedIdKind

META = "metadata.openvet."
SEX = {"1": "male", "2": "female", "9": "other", "0": "unspecified"}
ORG_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "name",
    "type",
    "identifier",
    "parentSourcedId",
    META + "kind",
]
SESSION_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "title",
    "type",
    "startDate",
    "endDate",
    "parentSourcedId",
    "schoolYear",
]
COURSE_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "schoolYearSourcedId",
    "title",
    "courseCode",
    "grades",
    "orgSourcedId",
    "subjects",
    "subjectCodes",
    META + "kind",
    META + "courseType",
    META + "assessment",
    META + "theoryHours",
    META + "practiceHours",
    META + "credits",
]
CLASS_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "title",
    "grades",
    "courseSourcedId",
    "classCode",
    "classType",
    "location",
    "schoolSourcedId",
    "termSourcedIds",
    "subjects",
    "subjectCodes",
    "periods",
    META + "majorSourcedId",
    META + "gradeYear",
]
PERSON_META = [
    "kind",
    "majorCode",
    "gradeYear",
    "idType",
    "idNumber",
    "ethnicity",
    "politicalStatus",
    "enrolmentSource",
    "studyForm",
    "schoolingYears",
    "householdRegistration",
    "guardianName",
    "guardianRelation",
    "guardianPhone",
    "postType",
    "title",
]
USER_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "userMasterIdentifier",
    "preferredGivenName",
    "preferredMiddleName",
    "preferredFamilyName",
    "primaryOrgSourcedId",
    "pronouns",
    *[META + c for c in PERSON_META],
]
ROLE_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "userSourcedId",
    "roleType",
    "role",
    "beginDate",
    "endDate",
    "orgSourcedId",
    "userProfileSourcedId",
]
ENROLLMENT_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "classSourcedId",
    "schoolSourcedId",
    "userSourcedId",
    "role",
    "primary",
    "beginDate",
    "endDate",
]
DEMOGRAPHIC_COLUMNS = ["sourcedId", "status", "dateLastModified", "birthDate", "sex"]
WRITTEN = (
    "orgs",
    "academicSessions",
    "courses",
    "classes",
    "users",
    "roles",
    "enrollments",
    "demographics",
)
ABSENT = (
    "categories",
    "classResources",
    "courseResources",
    "lineItems",
    "resources",
    "results",
    "userProfiles",
    "userResources",
    "scoreScales",
    "lineItemScoreScales",
    "resultScoreScales",
    "lineItemLearningObjectiveIds",
    "resultLearningObjectiveIds",
)


def _split_name(name: str) -> tuple[str, str]:
    """(given, family): Chinese names are family name first, one character."""
    if name.isascii():
        given, _sep, family = name.rpartition(" ")
        return (given, family) if given else (name, "")
    return name[1:], name[:1]


class _Export:
    def __init__(self, actor: Actor, school: OrgUnit, *, reveal: bool) -> None:
        self.actor, self.school = actor, school
        self.now = timezone.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")
        self.disclosure = Disclosure(actor=actor, asked=reveal, purpose="export oneroster")
        nodes = OrgUnit.objects.filter(path__startswith=school.path).order_by("path")
        self.nodes = [
            n for n in nodes if n.kind in (OrgKind.DEPARTMENT, OrgKind.MAJOR, OrgKind.CLASS)
        ]
        self.by_pk = {n.pk: n for n in self.nodes}
        self.classes = {n.pk for n in self.nodes if n.kind == OrgKind.CLASS}
        self.files: dict[str, list[dict[str, Any]]] = {name: [] for name in WRITTEN}
        self.ids = SourcedIds(school)

    def org_id(self, node_id: int | None) -> str:
        """An org's or class's sourcedId: the one it was imported with, else ``org-<pk>``."""
        if node_id is None:
            return ""
        kind = SourcedIdKind.CLASS if node_id in self.classes else SourcedIdKind.ORG
        return self.ids.of(kind, node_id, f"org-{node_id}")

    def _clear(self, record: Any, field: str) -> str:
        subject = f"{record._meta.model_name}:{record.pk}"
        value = getattr(record, field)
        return self.disclosure.clear(value, org=self.school, subject=subject, field=field) or ""

    def base(self, sourced_id: str) -> dict[str, Any]:
        return {"sourcedId": sourced_id, "status": "active", "dateLastModified": self.now}

    def build(self) -> None:
        self.files["orgs"].append(
            {
                **self.base(self.org_id(self.school.pk)),
                "name": self.school.name,
                "type": "school",
                "identifier": self.school.code,
            }
        )
        years = set()
        for node in self.nodes:
            if node.kind == OrgKind.CLASS:
                years.add(node.grade_year or timezone.localdate().year)
                self._class(node)
                continue
            self.files["orgs"].append(
                {
                    **self.base(self.org_id(node.pk)),
                    "name": node.name,
                    "type": "department",
                    "identifier": node.code,
                    "parentSourcedId": self.org_id(node.parent_id),
                    META + "kind": node.kind,
                }
            )
            if node.kind == OrgKind.MAJOR:
                self.files["courses"].append(
                    {
                        **self.base(f"course-{node.pk}"),
                        "title": node.name,
                        "courseCode": node.code,
                        "orgSourcedId": self.org_id(self.school.pk),
                        META + "kind": "major",
                    }
                )
        for year in sorted(years):
            self.files["academicSessions"].append(
                {
                    **self.base(f"year-{year}"),
                    "title": str(year),
                    "type": "schoolYear",
                    "startDate": f"{year}-09-01",
                    "endDate": f"{year + 1}-08-31",
                    "schoolYear": str(year + 1),
                }
            )
        self._students()
        self._staff()
        for extension in oneroster_extensions():
            for name, rows in extension.export_rows(
                school=self.school, sourced_id=self.ids.of
            ).items():
                self.files[name] += [{**self.base(row["sourcedId"]), **row} for row in rows]

    def _class(self, node: OrgUnit) -> None:
        self.files["classes"].append(
            {
                **self.base(self.org_id(node.pk)),
                "title": node.name,
                "courseSourcedId": f"course-{node.parent_id}",
                "classCode": node.code or "",
                "classType": "homeroom",
                "schoolSourcedId": self.org_id(self.school.pk),
                "termSourcedIds": f"year-{node.grade_year or timezone.localdate().year}",
                META + "majorSourcedId": self.org_id(node.parent_id),
                META + "gradeYear": node.grade_year,
            }
        )

    def _person(self, record: Any, role: str, meta: dict[str, Any]) -> str:
        """Write the person's user, role and demographics rows; returns their sourcedId."""
        kinds = {
            "student": (SourcedIdKind.STUDENT, SourcedIdKind.STUDENT_ROLE),
            "teacher": (SourcedIdKind.STAFF, SourcedIdKind.STAFF_ROLE),
        }
        kind, role_kind = kinds[role]
        default = f"{'student' if role == 'student' else 'staff'}-{record.pk}"
        sourced_id = self.ids.of(kind, record.pk, default)
        given, family = _split_name(record.name)
        username = record.user.username if record.user_id else ""
        self.files["users"].append(
            {
                **self.base(sourced_id),
                "enabledUser": "TRUE",
                "username": username,
                "givenName": given,
                "familyName": family,
                "identifier": getattr(record, f"{role if role == 'student' else 'staff'}_number"),
                "primaryOrgSourcedId": self.org_id(self.school.pk),
                **{META + k: v for k, v in meta.items() if v not in (None, "")},
            }
        )
        self.files["roles"].append(
            {
                **self.base(self.ids.of(role_kind, record.pk, f"role-{sourced_id}")),
                "userSourcedId": sourced_id,
                "roleType": "primary",
                "role": role,
                "orgSourcedId": self.org_id(self.school.pk),
            }
        )
        self.files["demographics"].append(
            {
                **self.base(sourced_id),
                "sex": SEX.get(record.gender, "unspecified"),
                "birthDate": record.birth_date.isoformat() if record.birth_date else "",
            }
        )
        return sourced_id

    def _students(self) -> None:
        students = Student.objects.filter(school=self.school).select_related("major", "user")
        for student in students.order_by("student_number"):
            sourced_id = self._person(
                student,
                "student",
                {
                    "kind": "student",
                    "majorCode": student.major.code,
                    "gradeYear": student.grade_year,
                    "idType": student.id_type,
                    "idNumber": self._clear(student, "id_number"),
                    "ethnicity": student.ethnicity,
                    "politicalStatus": student.political_status,
                    "enrolmentSource": student.enrolment_source,
                    "studyForm": student.study_form,
                    "schoolingYears": student.schooling_years,
                    "householdRegistration": self._clear(student, "household_registration"),
                    "guardianName": student.guardian_name,
                    "guardianRelation": student.guardian_relation,
                    "guardianPhone": self._clear(student, "guardian_phone"),
                },
            )
            if student.class_unit_id:
                self.files["enrollments"].append(
                    {
                        **self.base(
                            self.ids.of(
                                SourcedIdKind.ENROLLMENT, student.pk, f"enrollment-{student.pk}"
                            )
                        ),
                        "classSourcedId": self.org_id(student.class_unit_id),
                        "schoolSourcedId": self.org_id(self.school.pk),
                        "userSourcedId": sourced_id,
                        "role": "student",
                        "primary": "false",
                    }
                )

    def _staff(self) -> None:
        for staff in (
            Staff.objects.filter(school=self.school).select_related("user").order_by("staff_number")
        ):
            self._person(
                staff,
                "teacher",
                {
                    "kind": "staff",
                    "idType": staff.id_type,
                    "idNumber": self._clear(staff, "id_number"),
                    "postType": staff.post_type,
                    "title": staff.title,
                },
            )


def _write(path: Path, columns: list[str], rows: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeDictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})


COLUMNS = {
    "orgs": ORG_COLUMNS,
    "academicSessions": SESSION_COLUMNS,
    "courses": COURSE_COLUMNS,
    "classes": CLASS_COLUMNS,
    "users": USER_COLUMNS,
    "roles": ROLE_COLUMNS,
    "enrollments": ENROLLMENT_COLUMNS,
    "demographics": DEMOGRAPHIC_COLUMNS,
}


def oneroster_export(
    *, actor: Actor, school: OrgUnit, directory: Path, reveal: bool = False
) -> dict[str, int]:
    """Write the bundle into ``directory``; returns the row count per file. ID numbers and
    guardian phones are written only with ``reveal`` by a role that may reveal them."""
    policy.require(actor, "records.view_student", school)
    export = _Export(actor, school, reveal=reveal)
    export.build()
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in export.files.items():
        _write(directory / f"{name}.csv", COLUMNS[name], rows)
    manifest = [
        ("manifest.version", "1.0"),
        ("oneroster.version", "1.2"),
        *[(f"file.{n}", "bulk") for n in WRITTEN],
        *[(f"file.{n}", "absent") for n in ABSENT],
        ("source.systemName", SYSTEM_NAME),
        ("source.systemCode", school.code),
    ]
    _write(
        directory / "manifest.csv",
        ["propertyName", "value"],
        ({"propertyName": k, "value": v} for k, v in manifest),
    )
    counts = {f"{name}.csv": len(rows) for name, rows in export.files.items()}
    audit_record(
        action=AuditAction.EXPORT,
        org=school,
        actor=actor,
        object_label="export oneroster",
        changes={"counts": counts, "id_numbers": export.disclosure.revealed},
    )
    export.disclosure.audit(org=school)
    return counts
