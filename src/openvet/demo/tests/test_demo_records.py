"""The demo's base data: a record per account, consistent with it, clean, and a few status
changes waiting for the right approvers."""

from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from openvet.core import codes
from openvet.core.models import AuditEntry, OrgKind
from openvet.core.roles import Role
from openvet.demo import seed as seed_module
from openvet.demo.plan import GRADUATED_GRADE, DemoPlan, build_plan
from openvet.demo.seed import demo_seed
from openvet.demo.seed_records import RecordCounts
from openvet.records.codes import (
    EnrolmentSource,
    PostType,
    ethnicity_names,
    political_status_names,
)
from openvet.records.models import (
    ChangeState,
    MajorIntakePlan,
    Staff,
    StatusChange,
    Student,
    StudentHistory,
)
from openvet.records.quality.checks import CHECKS, COMPLETENESS, figures
from openvet.records.services import dual_qualification_reasons
from openvet.records.services.common import age_on
from openvet.workflow.selectors import task_list_for

SMALL = 0.05


@pytest.fixture(scope="module")
def plan() -> DemoPlan:
    return build_plan()


@pytest.fixture
def seeded(db: None) -> None:
    demo_seed(scale=SMALL)


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _students_with_accounts() -> list[Student]:
    return list(Student.objects.select_related("user", "major", "department", "class_unit"))


# The plan ------------------------------------------------------------------------------------


def test_records_plan_is_the_same_for_the_same_seed() -> None:
    assert build_plan(scale=SMALL).records == build_plan(scale=SMALL).records


def test_records_do_not_change_the_accounts_of_the_plan(plan: DemoPlan) -> None:
    # The records come from their own random stream: student1 is who it always was.
    student1 = next(p for p in plan.people if p.username == "student1")

    assert (student1.person_number, student1.id_number[:6]) == ("2024101101", "330105")


def test_every_account_with_a_number_has_one_record_in_the_plan(plan: DemoPlan) -> None:
    numbered = sorted(p.username for p in plan.people if p.person_number)
    planned = sorted(s.username for s in (*plan.records.students, *plan.records.staff))

    assert planned == numbered


def test_codes_of_student_records_are_in_their_tables(plan: DemoPlan) -> None:
    students = plan.records.students

    assert {s.ethnicity for s in students} - set(ethnicity_names()) == set()
    assert {s.political_status for s in students} - set(political_status_names()) == set()
    assert {s.enrolment_source for s in students} - set(EnrolmentSource.values) == set()


def test_most_students_are_han_with_a_spread_of_other_ethnicities(plan: DemoPlan) -> None:
    counts = Counter(s.ethnicity for s in plan.records.students)

    assert counts["01"] / len(plan.records.students) > 0.9
    assert len(counts) >= 5


def test_most_students_are_masses_or_league_members(plan: DemoPlan) -> None:
    counts = Counter(s.political_status for s in plan.records.students)

    assert (counts["13"] + counts["03"]) / len(plan.records.students) > 0.95


def test_enterprise_teachers_name_an_enterprise(plan: DemoPlan) -> None:
    enterprise_teachers = [s for s in plan.records.staff if s.post_type == "enterprise_teacher"]

    assert len(enterprise_teachers) >= 5
    assert [s.username for s in enterprise_teachers if not s.enterprise_key] == []


# Students ------------------------------------------------------------------------------------


def test_every_demo_student_has_a_matching_record(seeded: None) -> None:
    accounts = get_user_model().objects.filter(role_assignments__role=Role.STUDENT)
    records = {s.user_id: s for s in _students_with_accounts()}

    mismatched = [
        u.username
        for u in accounts
        if u.pk not in records
        or (records[u.pk].student_number, records[u.pk].id_number, records[u.pk].gender)
        != (u.person_number, u.id_number, u.gender)
    ]

    assert accounts.count() == len(records)
    assert mismatched == []


def test_student_names_and_birth_dates_follow_the_account(seeded: None) -> None:
    wrong = [
        s.student_number
        for s in _students_with_accounts()
        if s.name != s.user.full_name or s.birth_date != codes.id_number_birth_date(s.id_number)
    ]

    assert wrong == []


def test_each_class_sits_in_the_students_major_department_and_school(seeded: None) -> None:
    wrong = [
        s.student_number
        for s in _students_with_accounts()
        if s.class_unit is None
        or s.class_unit.parent_id != s.major_id
        or s.major.parent_id != s.department_id
        or s.department.parent_id != s.school_id
        or s.org_id != s.class_unit_id
        or s.grade_year != s.class_unit.grade_year
    ]

    assert wrong == []


def test_records_sit_in_the_class_of_the_account_even_after_a_change_of_major(
    seeded: None,
) -> None:
    moved = set(
        StatusChange.objects.filter(change_type="23", state=ChangeState.APPROVED).values_list(
            "student__student_number", flat=True
        )
    )

    elsewhere = {
        s.student_number for s in _students_with_accounts() if s.class_unit_id != s.user.home_org_id
    }

    # The approved change of major moved the record and, with it, the student's account.
    assert len(moved) == 1
    assert elsewhere == set()


def test_students_are_enrolled_full_time_for_three_years(seeded: None) -> None:
    values = set(Student.objects.values_list("schooling_years", "study_form"))
    statuses = Counter(Student.objects.values_list("status", flat=True))

    graduated = Student.objects.filter(grade_year=GRADUATED_GRADE).count()
    assert values == {(3, "full_time")}
    # Last year's class has graduated; every other student is enrolled.
    assert graduated >= 12
    assert statuses == {"01": Student.objects.count() - graduated, "07": graduated}


def test_every_minor_has_a_guardian(seeded: None) -> None:
    minors = [s for s in Student.objects.all() if (age_on(s.birth_date) or 0) < 18]

    assert [s.student_number for s in minors if not (s.guardian_name and s.guardian_phone)] == []


def test_data_quality_shows_no_problem_beyond_completeness(seeded: None) -> None:
    problems = {
        (school_id, check.key): counts[check.key]
        for school_id, counts in figures(Student.objects.all()).items()
        for check in CHECKS
        if check.group != COMPLETENESS and counts[check.key]
    }

    assert problems == {}


def test_every_student_record_has_a_created_history_line(seeded: None) -> None:
    created = StudentHistory.objects.filter(kind=StudentHistory.Kind.CREATED)

    assert created.count() == Student.objects.count()


# Staff ---------------------------------------------------------------------------------------


def _staff_accounts() -> Any:
    return (
        get_user_model()
        .objects.exclude(person_number="")
        .exclude(role_assignments__role=Role.STUDENT)
    )


def test_every_staff_account_has_a_staff_record(seeded: None) -> None:
    records = {s.user_id: s.staff_number for s in Staff.objects.all()}

    assert {u.pk: u.person_number for u in _staff_accounts()} == records


def test_staff_of_a_department_belong_to_it_and_the_others_to_the_school(seeded: None) -> None:
    wrong = [
        s.staff_number
        for s in Staff.objects.select_related("user__home_org", "department")
        if (
            s.department_id != s.user.home_org_id
            if s.user.home_org.kind == OrgKind.DEPARTMENT
            else (s.department_id is not None or s.school_id != s.user.home_org_id)
        )
    ]

    assert Staff.objects.filter(department__isnull=False).exists()
    assert wrong == []


def test_post_types_follow_the_roles(seeded: None) -> None:
    posts = dict(
        Staff.objects.filter(
            user__username__in=("admin1", "head1", "teacher1", "counsellor1")
        ).values_list("user__username", "post_type")
    )

    assert posts == {
        "admin1": PostType.ADMINISTRATIVE,
        "head1": PostType.FULL_TIME_TEACHER,
        "teacher1": PostType.FULL_TIME_TEACHER,
        "counsellor1": PostType.ADMINISTRATIVE,
    }


def test_dual_qualified_teachers_are_those_the_rule_recognises(seeded: None) -> None:
    staff = list(Staff.objects.all())
    flagged = {s.pk for s in staff if s.is_dual_qualified}

    assert flagged != set()
    assert flagged == {s.pk for s in staff if dual_qualification_reasons(s)}


# Status changes ------------------------------------------------------------------------------


def _pending_types_for(username: str) -> list[str]:
    tasks = task_list_for(actor=_user(username))
    subjects = [int(t.instance.subject_id) for t in tasks]
    changes = StatusChange.objects.filter(pk__in=subjects)
    return sorted(changes.values_list("change_type", flat=True))


def test_counsellor1_has_two_leave_applications_to_decide(seeded: None) -> None:
    assert _pending_types_for("counsellor1") == ["11", "11"]


def test_head1_and_admin1_each_have_one_application_to_decide(seeded: None) -> None:
    assert (_pending_types_for("head1"), _pending_types_for("admin1")) == (["06"], ["19"])


def test_status_changes_are_in_different_states(seeded: None) -> None:
    states = sorted(StatusChange.objects.values_list("change_type", "state"))

    assert states == [
        ("06", ChangeState.PENDING),
        ("11", ChangeState.PENDING),
        ("11", ChangeState.PENDING),
        ("11", ChangeState.RETURNED),
        ("19", ChangeState.PENDING),
        ("23", ChangeState.APPROVED),
    ]


def test_student1_applied_for_leave_themself(seeded: None) -> None:
    change = StatusChange.objects.get(student__user__username="student1")

    assert (change.change_type, change.applicant.username) == ("11", "student1")


def test_the_change_of_major_took_effect_with_history(seeded: None) -> None:
    change = StatusChange.objects.select_related("student", "approved_by").get(change_type="23")
    student = change.student

    assert change.approved_by.username == "admin1"
    assert student.major_id == change.details["target_major_id"]
    assert student.class_unit_id == change.details["target_class_id"]
    assert student.major_id != change.before["major"]
    assert StudentHistory.objects.filter(
        student=student, kind=StudentHistory.Kind.STATUS_CHANGE, change=change
    ).exists()


def test_changes_of_major_respect_an_intake_plan(seeded: None) -> None:
    change = StatusChange.objects.select_related("student").get(change_type="23")
    intake = MajorIntakePlan.objects.get(
        org_id=change.student.major_id, grade_year=change.student.grade_year
    )

    assert (
        intake.capacity
        > Student.objects.filter(major_id=intake.org_id, grade_year=intake.grade_year).count()
    )


def test_the_returned_application_awaits_its_student(seeded: None) -> None:
    change = StatusChange.objects.select_related("applicant", "student").get(
        state=ChangeState.RETURNED
    )

    assert change.applicant_id == change.student.user_id


# Idempotency, audit, older demos --------------------------------------------------------------


def test_second_run_adds_no_records(seeded: None) -> None:
    counts = (Student.objects.count(), Staff.objects.count(), StatusChange.objects.count())

    result = demo_seed(scale=SMALL)

    assert (result.students, result.staff, result.status_changes) == (0, 0, 0)
    assert (
        Student.objects.count(),
        Staff.objects.count(),
        StatusChange.objects.count(),
    ) == counts


def test_each_school_audits_one_summary_of_its_records(seeded: None) -> None:
    summaries = AuditEntry.objects.filter(object_label="demo records")

    assert sorted(e.actor.username for e in summaries) == ["admin1", "admin2", "admin3"]
    assert sum(e.changes["students"] for e in summaries) == Student.objects.count()


def test_a_demo_seeded_without_records_gets_them_on_the_next_run(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        patched.setattr(seed_module, "seed_records", lambda *args: RecordCounts(0, 0, 0))
        demo_seed(scale=SMALL)

    result = demo_seed(scale=SMALL)

    assert result.created is False
    assert (result.students, result.staff) == (Student.objects.count(), Staff.objects.count())
    assert (
        result.students
        == get_user_model().objects.filter(role_assignments__role=Role.STUDENT).count()
    )
