"""Write the demo's base data: student and staff records for the demo accounts, intake plans,
and a few status changes in different states.

The ~3,300 records are bulk-inserted in the caller's transaction with the fields the records
services compute (encrypted ID number and guardian phone, keyed digest, birth date from the ID
number, ``org``), one history line per student and one summary audit entry per school; the
services' one-by-one validation and audit would take minutes. Intake plans and the status
changes go through the real services, as their actors would: the student applies, the
counsellor, department head and academic affairs decide.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from openvet.core import codes
from openvet.core.audit import AuditAction, audit_record
from openvet.core.models import OrgUnit
from openvet.core.pii import digest
from openvet.core.roles import Role
from openvet.demo.plan import GRADES, DemoPlan, PersonSpec
from openvet.demo.plan_records import (
    SCHOOLING_YEARS,
    ChangeSpec,
    StaffRecordSpec,
    StudentRecordSpec,
)
from openvet.records import services as records
from openvet.records.codes import EmploymentStatus, IdType, StudentStatus, StudyForm
from openvet.records.models import (
    EnterprisePractice,
    Qualification,
    Staff,
    StatusChange,
    Student,
    StudentHistory,
    TrainingRecord,
)
from openvet.workflow import services as workflow

_BATCH = 500
# Intake plans leave room for a few more students than each grade of a major has.
_INTAKE_HEADROOM = 5


@dataclass(frozen=True)
class RecordCounts:
    students: int
    staff: int
    changes: int


def seed_records(plan: DemoPlan, orgs: dict[str, OrgUnit], users: dict[str, Any]) -> RecordCounts:
    """Records for every demo account, then the status changes. Runs inside the caller's
    transaction; ``orgs`` maps the plan's org keys and ``users`` its usernames to rows."""
    people = {p.username: p for p in plan.people}
    parents = {o.key: o.parent_key or "" for o in plan.orgs}
    admins = _school_admins(plan, users)
    students = _bulk_students(plan.records.students, people, parents, orgs, users)
    staff = _bulk_staff(plan.records.staff, people, orgs, users)
    _history(students, admins, orgs)
    _summaries(orgs, admins, students, staff)
    _intake_plans(plan, parents, orgs, admins)
    by_user = {s.user_id: s for s in students}
    for spec in plan.records.changes:
        _status_change(spec, orgs, users, by_user)
    return RecordCounts(len(students), len(staff), len(plan.records.changes))


def _fresh(user: Any) -> Any:
    """The account re-read, so that its grants are loaded from the database."""
    return get_user_model().objects.get(pk=user.pk)


def _school_admins(plan: DemoPlan, users: dict[str, Any]) -> dict[str, Any]:
    """The first school administrator of each school, by school key: the records' creator."""
    admins: dict[str, Any] = {}
    for person in plan.people:
        if person.role == Role.SCHOOL_ADMIN and person.home_key not in admins:
            admins[person.home_key] = _fresh(users[person.username])
    return admins


def _bulk_students(
    specs: list[StudentRecordSpec],
    people: dict[str, PersonSpec],
    parents: dict[str, str],
    orgs: dict[str, OrgUnit],
    users: dict[str, Any],
) -> list[Student]:
    rows = []
    for spec in specs:
        person = people[spec.username]
        # A class sits in a major, in a department, in a school.
        major_key = parents[spec.class_key]
        department_key = parents[major_key]
        klass, major = orgs[spec.class_key], orgs[major_key]
        department, school = orgs[department_key], orgs[parents[department_key]]
        rows.append(
            Student(
                school=school,
                department=department,
                major=major,
                class_unit=klass,
                org=klass,
                student_number=person.person_number,
                name=person.full_name,
                gender=person.gender,
                id_type=IdType.RESIDENT_ID,
                id_number=person.id_number,
                id_number_digest=digest(person.id_number),
                birth_date=codes.id_number_birth_date(person.id_number),
                ethnicity=spec.ethnicity,
                political_status=spec.political_status,
                household_registration=spec.household_registration,
                enrolment_source=spec.enrolment_source,
                grade_year=klass.grade_year or 0,
                schooling_years=SCHOOLING_YEARS,
                study_form=StudyForm.FULL_TIME,
                # Last year's class has graduated (``plan.GRADUATED_GRADE``).
                status=(
                    StudentStatus.GRADUATED
                    if (klass.grade_year or 0) < GRADES[0]
                    else StudentStatus.ENROLLED
                ),
                guardian_name=spec.guardian_name,
                guardian_relation=spec.guardian_relation,
                guardian_phone=spec.guardian_phone,
                user=users[spec.username],
            )
        )
    return Student.objects.bulk_create(rows, batch_size=_BATCH)


def _history(students: list[Student], admins: dict[str, Any], orgs: dict[str, OrgUnit]) -> None:
    admin_of_school = {orgs[key].pk: admin for key, admin in admins.items()}
    StudentHistory.objects.bulk_create(
        [
            StudentHistory(
                student=student,
                kind=StudentHistory.Kind.CREATED,
                actor=admin_of_school.get(student.school_id),
                changes={"source": [None, "demo"]},
            )
            for student in students
        ],
        batch_size=_BATCH,
    )


def _bulk_staff(
    specs: list[StaffRecordSpec],
    people: dict[str, PersonSpec],
    orgs: dict[str, OrgUnit],
    users: dict[str, Any],
) -> list[Staff]:
    rows = []
    for spec in specs:
        person = people[spec.username]
        department = orgs[spec.department_key] if spec.department_key else None
        rows.append(
            Staff(
                school=orgs[spec.school_key],
                department=department,
                org=department or orgs[spec.school_key],
                staff_number=person.person_number,
                name=person.full_name,
                gender=person.gender,
                id_type=IdType.RESIDENT_ID,
                id_number=person.id_number,
                id_number_digest=digest(person.id_number),
                birth_date=codes.id_number_birth_date(person.id_number),
                post_type=spec.post_type,
                title=spec.title,
                title_date=spec.title_date,
                education=spec.education,
                degree=spec.degree,
                field_code=spec.field_code,
                employment_status=EmploymentStatus.ACTIVE,
                enterprise=orgs[spec.enterprise_key] if spec.enterprise_key else None,
                user=users[spec.username],
            )
        )
    staff = Staff.objects.bulk_create(rows, batch_size=_BATCH)
    _staff_details(specs, staff, orgs)
    _recognise_dual(staff, specs)
    return staff


def _staff_details(
    specs: list[StaffRecordSpec], staff: list[Staff], orgs: dict[str, OrgUnit]
) -> None:
    qualifications, practices, trainings = [], [], []
    for spec, member in zip(specs, staff, strict=True):
        qualifications += [
            Qualification(
                staff=member,
                kind=q.kind,
                name=q.name,
                field_code=q.field_code,
                level=q.level,
                number=q.number,
                issued_on=q.issued_on,
            )
            for q in spec.qualifications
        ]
        practices += [
            EnterprisePractice(
                staff=member,
                enterprise=orgs[p.enterprise_key],
                enterprise_name=orgs[p.enterprise_key].name,
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                content=p.content,
            )
            for p in spec.practices
        ]
        trainings += [
            TrainingRecord(staff=member, year=t.year, title=t.title, hours=Decimal(t.hours))
            for t in spec.trainings
        ]
    Qualification.objects.bulk_create(qualifications, batch_size=_BATCH)
    EnterprisePractice.objects.bulk_create(practices, batch_size=_BATCH)
    TrainingRecord.objects.bulk_create(trainings, batch_size=_BATCH)


def _recognise_dual(staff: list[Staff], specs: list[StaffRecordSpec]) -> None:
    """The dual-qualified flag as the records service would set it, by the school's rule."""
    today = timezone.localdate()
    recognised = []
    for member, spec in zip(staff, specs, strict=True):
        if not (spec.practices or any(q.kind == "vocational" for q in spec.qualifications)):
            continue
        if records.dual_qualification_reasons(member, today=today):
            member.is_dual_qualified, member.dual_qualified_on = True, today
            recognised.append(member)
    Staff.objects.bulk_update(recognised, ["is_dual_qualified", "dual_qualified_on"])


def _summaries(
    orgs: dict[str, OrgUnit],
    admins: dict[str, Any],
    students: list[Student],
    staff: list[Staff],
) -> None:
    """One audit entry per school for its bulk-created records (so its audit admin sees it)."""
    student_counts = Counter(s.school_id for s in students)
    staff_counts = Counter(s.school_id for s in staff)
    dual_counts = Counter(s.school_id for s in staff if s.is_dual_qualified)
    for key, admin in admins.items():
        school = orgs[key]
        audit_record(
            action=AuditAction.CREATE,
            org=school,
            actor=admin,
            object_label="demo records",
            changes={
                "students": student_counts[school.pk],
                "staff": staff_counts[school.pk],
                "dual_qualified": dual_counts[school.pk],
            },
        )


def _intake_plans(
    plan: DemoPlan, parents: dict[str, str], orgs: dict[str, OrgUnit], admins: dict[str, Any]
) -> None:
    """An intake plan for each major and grade: changes of major check their capacity."""
    counts = Counter(
        (parents[spec.class_key], orgs[spec.class_key].grade_year) for spec in plan.records.students
    )
    for (major_key, grade), count in sorted(counts.items()):
        school_key = parents[parents[major_key]]
        records.intake_plan_set(
            actor=admins[school_key],
            major=orgs[major_key],
            grade_year=int(grade or 0),
            capacity=(count + _INTAKE_HEADROOM + 4) // 5 * 5,
        )


def _details(spec: ChangeSpec, orgs: dict[str, OrgUnit]) -> dict[str, Any]:
    if spec.return_after_days is not None:
        returns = timezone.localdate() + timedelta(days=spec.return_after_days)
        return {"planned_return_date": returns.isoformat()}
    if spec.target_class_key is not None:
        klass = orgs[spec.target_class_key]
        return {"target_major_id": klass.parent_id, "target_class_id": klass.pk}
    if spec.extra_years is not None:
        return {"extra_years": spec.extra_years}
    return {}


def _status_change(
    spec: ChangeSpec,
    orgs: dict[str, OrgUnit],
    users: dict[str, Any],
    students_by_user: dict[int | None, Student],
) -> StatusChange:
    applicant = _fresh(users[spec.student])
    change = records.status_change_apply(
        actor=applicant,
        student=students_by_user[applicant.pk],
        change_type=spec.change_type,
        reason=spec.reason,
        note=spec.note,
        details=_details(spec, orgs),
    )
    for decision in spec.decisions:
        decider = _fresh(users[decision.username])
        # Re-read: each decision moves the approval on (step, round, status).
        instance = StatusChange.objects.select_related("process").get(pk=change.pk).process
        assert instance is not None  # noqa: S101 status_change_apply always starts one
        task = workflow.decidable_task_of(actor=decider, instance=instance)
        workflow.task_decide(
            actor=decider, task=task, decision=decision.decision, comment=decision.comment
        )
    return change
