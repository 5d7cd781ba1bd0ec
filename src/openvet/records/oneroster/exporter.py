"""Exporting one school as a OneRoster 1.2 CSV bundle (bulk).

Standard columns carry what OneRoster has (names, identifiers, homeroom classes, enrolments,
birth date and sex in demographics); the rest of a record travels in ``metadata.openvet.*``
columns, which the binding allows, so that our own import restores it. ID numbers and
guardian phones are written only when the exporter may reveal them; the export is audited.
"""

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.utils import timezone

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.records.models import Staff, Student

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


def _org_id(node: OrgUnit) -> str:
    return f"org-{node.pk}"


def _split_name(name: str) -> tuple[str, str]:
    """(given, family): Chinese names are family name first, one character."""
    if name.isascii():
        given, _sep, family = name.rpartition(" ")
        return (given, family) if given else (name, "")
    return name[1:], name[:1]


class _Export:
    def __init__(self, actor: Actor, school: OrgUnit) -> None:
        self.actor, self.school = actor, school
        self.now = timezone.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")
        self.reveal = policy.has_capability(actor, "identity.reveal_pii", school)
        nodes = OrgUnit.objects.filter(path__startswith=school.path).order_by("path")
        self.nodes = [
            n for n in nodes if n.kind in (OrgKind.DEPARTMENT, OrgKind.MAJOR, OrgKind.CLASS)
        ]
        self.by_pk = {n.pk: n for n in self.nodes}
        self.files: dict[str, list[dict[str, Any]]] = {name: [] for name in WRITTEN}

    def base(self, sourced_id: str) -> dict[str, Any]:
        return {"sourcedId": sourced_id, "status": "active", "dateLastModified": self.now}

    def build(self) -> None:
        self.files["orgs"].append(
            {
                **self.base(_org_id(self.school)),
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
                    **self.base(_org_id(node)),
                    "name": node.name,
                    "type": "department",
                    "identifier": node.code,
                    "parentSourcedId": _org_id(node.parent) if node.parent else "",
                    META + "kind": node.kind,
                }
            )
            if node.kind == OrgKind.MAJOR:
                self.files["courses"].append(
                    {
                        **self.base(f"course-{node.pk}"),
                        "title": node.name,
                        "courseCode": node.code,
                        "orgSourcedId": _org_id(self.school),
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

    def _class(self, node: OrgUnit) -> None:
        self.files["classes"].append(
            {
                **self.base(_org_id(node)),
                "title": node.name,
                "courseSourcedId": f"course-{node.parent_id}",
                "classCode": node.code or "",
                "classType": "homeroom",
                "schoolSourcedId": _org_id(self.school),
                "termSourcedIds": f"year-{node.grade_year or timezone.localdate().year}",
                META + "majorSourcedId": f"org-{node.parent_id}",
                META + "gradeYear": node.grade_year,
            }
        )

    def _person(self, sourced_id: str, record: Any, role: str, meta: dict[str, Any]) -> None:
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
                "primaryOrgSourcedId": _org_id(self.school),
                **{META + k: v for k, v in meta.items() if v not in (None, "")},
            }
        )
        self.files["roles"].append(
            {
                **self.base(f"role-{sourced_id}"),
                "userSourcedId": sourced_id,
                "roleType": "primary",
                "role": role,
                "orgSourcedId": _org_id(self.school),
            }
        )
        self.files["demographics"].append(
            {
                **self.base(sourced_id),
                "sex": SEX.get(record.gender, "unspecified"),
                "birthDate": record.birth_date.isoformat() if record.birth_date else "",
            }
        )

    def _students(self) -> None:
        students = Student.objects.filter(school=self.school).select_related("major", "user")
        for student in students.order_by("student_number"):
            sourced_id = f"student-{student.pk}"
            self._person(
                sourced_id,
                student,
                "student",
                {
                    "kind": "student",
                    "majorCode": student.major.code,
                    "gradeYear": student.grade_year,
                    "idType": student.id_type,
                    "idNumber": student.id_number if self.reveal else "",
                    "ethnicity": student.ethnicity,
                    "politicalStatus": student.political_status,
                    "enrolmentSource": student.enrolment_source,
                    "studyForm": student.study_form,
                    "schoolingYears": student.schooling_years,
                    "householdRegistration": student.household_registration,
                    "guardianName": student.guardian_name,
                    "guardianRelation": student.guardian_relation,
                    "guardianPhone": student.guardian_phone if self.reveal else "",
                },
            )
            if student.class_unit_id:
                self.files["enrollments"].append(
                    {
                        **self.base(f"enrollment-{student.pk}"),
                        "classSourcedId": f"org-{student.class_unit_id}",
                        "schoolSourcedId": _org_id(self.school),
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
                f"staff-{staff.pk}",
                staff,
                "teacher",
                {
                    "kind": "staff",
                    "idType": staff.id_type,
                    "idNumber": staff.id_number if self.reveal else "",
                    "postType": staff.post_type,
                    "title": staff.title,
                },
            )


def _write(path: Path, columns: list[str], rows: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
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


def oneroster_export(*, actor: Actor, school: OrgUnit, directory: Path) -> dict[str, int]:
    """Write the bundle into ``directory``; returns the row count per file."""
    policy.require(actor, "records.view_student", school)
    export = _Export(actor, school)
    export.build()
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in export.files.items():
        _write(directory / f"{name}.csv", COLUMNS[name], rows)
    manifest = [
        ("manifest.version", "1.0"),
        ("oneroster.version", "1.2"),
        *[(f"file.{n}", "bulk") for n in WRITTEN],
        *[(f"file.{n}", "absent") for n in ABSENT],
        ("source.systemName", "OpenVET"),
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
        changes={"counts": counts, "id_numbers": export.reveal},
    )
    return counts
