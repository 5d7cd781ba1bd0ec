import io
from decimal import Decimal

import pytest
from django.utils.translation import override
from openpyxl import Workbook

from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import AuditEntry
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.teaching.grades import selectors, services
from openvet.teaching.grades.models import Attempt, Grade, GradeChange, SheetStatus
from openvet.teaching.students import passed_course_codes
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, student_in, task_of
from openvet.workflow import selectors as workflow_selectors
from openvet.workflow import services as workflow_services

pytestmark = pytest.mark.django_db


def _sheet(campus: Campus, code: str = ""):  # type: ignore[no-untyped-def]
    task = task_of(campus, classes=[campus.class_a], code=code)
    return services.sheet_open(actor=campus.teacher, task=task)


def _approve_all(campus: Campus) -> None:
    for task in workflow_selectors.task_list_for(actor=campus.head):
        workflow_services.task_decide(actor=campus.head, task=task, decision="approve")


def _locked(campus: Campus, score: int = 80, code: str = ""):  # type: ignore[no-untyped-def]
    student = campus_student(campus)
    sheet = _sheet(campus, code=code)
    services.grades_enter(
        actor=campus.teacher, sheet=sheet, rows={student.pk: {"usual": score, "final": score}}
    )
    services.sheet_submit(actor=campus.teacher, sheet=sheet)
    _approve_all(campus)
    sheet.refresh_from_db()
    return sheet, student


def _xlsx(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def test_weighted_total_is_computed(campus: Campus) -> None:
    student = campus_student(campus)
    sheet = _sheet(campus)
    services.grades_enter(
        actor=campus.teacher, sheet=sheet, rows={student.pk: {"usual": "80", "final": "91"}}
    )
    assert Grade.objects.get(student=student).total == Decimal("87.7")


def test_score_out_of_range_is_refused_and_nothing_saved(campus: Campus) -> None:
    first = campus_student(campus)
    second = student_in(campus)
    sheet = _sheet(campus)
    with override("en"), pytest.raises(ValidationFailed) as caught:
        services.grades_enter(
            actor=campus.teacher,
            sheet=sheet,
            rows={first.pk: {"usual": 80, "final": 90}, second.pk: {"usual": 101, "final": 90}},
        )
    assert caught.value.details == {f"{second.pk}_usual": "Enter a score from 0 to 100."}
    assert not Grade.objects.exists()


def test_negative_and_text_scores_are_refused(campus: Campus) -> None:
    student = campus_student(campus)
    sheet = _sheet(campus)
    with pytest.raises(ValidationFailed) as caught:
        services.grades_enter(
            actor=campus.teacher, sheet=sheet, rows={student.pk: {"usual": -1, "final": "abc"}}
        )
    assert set(caught.value.details) == {f"{student.pk}_usual", f"{student.pk}_final"}


def test_weights_must_add_up_to_100(campus: Campus) -> None:
    sheet = _sheet(campus)
    with pytest.raises(ValidationFailed) as caught:
        services.components_set(
            actor=campus.teacher, sheet=sheet, weights={"usual": 30, "final": 60}
        )
    assert set(caught.value.details) == {"weights"}


def test_five_level_scale_takes_levels(campus: Campus) -> None:
    student = campus_student(campus)
    sheet = _sheet(campus)
    services.components_set(
        actor=campus.teacher, sheet=sheet, weights={"final": 100}, scale="five_level"
    )
    services.grades_enter(actor=campus.teacher, sheet=sheet, rows={student.pk: {"final": "good"}})
    grade = Grade.objects.get(student=student)
    assert (grade.total, grade.level) == (Decimal("85.0"), "good")


def test_other_teacher_cannot_enter_grades(campus: Campus) -> None:
    sheet = _sheet(campus)
    with pytest.raises(PermissionDenied):
        services.grades_enter(actor=campus.teacher2, sheet=sheet, rows={})


def test_student_not_on_the_roster_is_refused(campus: Campus) -> None:
    sheet = _sheet(campus)
    outsider = student_in(campus, class_unit=campus.class_b)
    with pytest.raises(ValidationFailed):
        services.grades_enter(
            actor=campus.teacher, sheet=sheet, rows={outsider.pk: {"usual": 50, "final": 50}}
        )
    assert not Grade.objects.exists()


def test_excel_import_writes_every_row(campus: Campus) -> None:
    student = campus_student(campus)
    sheet = _sheet(campus)
    upload = _xlsx([["student_number", "usual", "final"], [student.student_number, 70, 90]])
    assert services.grades_import(actor=campus.teacher, sheet=sheet, upload=upload) == 1
    assert Grade.objects.get(student=student).total == Decimal("84.0")


def test_excel_with_a_cell_far_right_is_refused_by_the_upload_guard(campus: Campus) -> None:
    student = campus_student(campus)
    sheet = _sheet(campus)
    row: list[object] = [student.student_number, 70, 90] + [None] * 16380 + ["x"]
    upload = _xlsx([["student_number", "usual", "final"], row])
    with override("en"), pytest.raises(ValidationFailed) as caught:
        services.grades_import(actor=campus.teacher, sheet=sheet, upload=upload)
    assert caught.value.details == {"file": "The sheet uses 16384 columns; at most 64 are allowed."}
    assert not Grade.objects.exists()


def test_excel_with_unknown_student_numbers_is_refused_with_rows(campus: Campus) -> None:
    student = campus_student(campus)
    sheet = _sheet(campus)
    upload = _xlsx(
        [
            ["student_number", "usual", "final"],
            [student.student_number, 70, 90],
            ["NOPE1", 60, 60],
            [student.student_number + "X", 60, 60],
        ]
    )
    with override("en"), pytest.raises(ValidationFailed) as caught:
        services.grades_import(actor=campus.teacher, sheet=sheet, upload=upload)
    assert str(caught.value.message) == (
        "Unknown student numbers in rows 3, 4; nothing was imported."
    )
    assert not Grade.objects.exists()


def test_excel_with_a_score_out_of_range_writes_nothing(campus: Campus) -> None:
    student = campus_student(campus)
    other = student_in(campus)
    sheet = _sheet(campus)
    upload = _xlsx(
        [
            ["student_number", "usual", "final"],
            [student.student_number, 70, 90],
            [other.student_number, 70, 190],
        ]
    )
    with pytest.raises(ValidationFailed):
        services.grades_import(actor=campus.teacher, sheet=sheet, upload=upload)
    assert not Grade.objects.exists()


def test_not_an_excel_file_is_refused(campus: Campus) -> None:
    sheet = _sheet(campus)
    with pytest.raises(ValidationFailed) as caught:
        services.grades_import(actor=campus.teacher, sheet=sheet, upload=io.BytesIO(b"a,b"))
    assert set(caught.value.details) == {"file"}


def test_submission_needs_every_grade(campus: Campus) -> None:
    campus_student(campus)
    sheet = _sheet(campus)
    with pytest.raises(ValidationFailed):
        services.sheet_submit(actor=campus.teacher, sheet=sheet)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT


def test_department_approval_locks_the_sheet(campus: Campus) -> None:
    sheet, _unused = _locked(campus)
    assert sheet.status == SheetStatus.LOCKED


def test_entry_after_locking_is_refused(campus: Campus) -> None:
    sheet, student = _locked(campus)
    with override("en"), pytest.raises(Conflict) as caught:
        services.grades_enter(actor=campus.teacher, sheet=sheet, rows={student.pk: {"usual": 10}})
    assert (caught.value.code, str(caught.value.message)) == (
        "locked",
        "The grades of this course are locked; request a change instead.",
    )
    assert Grade.objects.get(student=student).scores == {"usual": "80.0", "final": "80.0"}


def test_change_after_locking_needs_approval_and_is_audited(campus: Campus) -> None:
    _unused, student = _locked(campus)
    grade = Grade.objects.get(student=student)
    change = services.change_request(
        actor=campus.teacher, grade=grade, scores={"final": 90}, reason="Marking error"
    )
    grade.refresh_from_db()
    assert grade.total == Decimal("80.0")  # unchanged until approved
    _approve_all(campus)
    grade.refresh_from_db()
    change.refresh_from_db()
    audited = AuditEntry.objects.filter(object_type="teaching.grade", object_id=str(grade.pk))
    assert (grade.total, change.status, audited.count()) == (Decimal("87.0"), "approved", 1)


def test_change_out_of_range_is_refused(campus: Campus) -> None:
    _unused, student = _locked(campus)
    grade = Grade.objects.get(student=student)
    with pytest.raises(ValidationFailed):
        services.change_request(
            actor=campus.teacher, grade=grade, scores={"final": 120}, reason="x"
        )
    assert not GradeChange.objects.exists()


def test_makeup_counts_as_sixty_on_the_transcript(campus: Campus) -> None:
    sheet, student = _locked(campus, score=40)
    services.attempt_record(
        actor=campus.teacher, sheet=sheet, student_id=student.pk, attempt=Attempt.MAKEUP, score=75
    )
    transcript = selectors.transcript_for(student=student)
    assert [(r.attempt, str(r.total), str(r.grade_point)) for r in transcript.rows] == [
        ("makeup", "75.0", "1"),
        ("regular", "40.0", "0"),
    ]
    assert (transcript.credits_earned, transcript.gpa) == (Decimal(3), Decimal("1.00"))


def test_makeup_only_for_failed_students(campus: Campus) -> None:
    sheet, student = _locked(campus, score=80)
    with pytest.raises(ValidationFailed):
        services.attempt_record(
            actor=campus.teacher,
            sheet=sheet,
            student_id=student.pk,
            attempt=Attempt.MAKEUP,
            score=75,
        )


def test_gpa_and_credits(campus: Campus) -> None:
    _unused, student = _locked(campus, score=92)
    transcript = selectors.transcript_for(student=student)
    assert (transcript.credits_earned, transcript.credits_attempted, transcript.gpa) == (
        Decimal(3),
        Decimal(3),
        Decimal("4.00"),
    )


def test_passed_course_codes_feed_prerequisites(campus: Campus) -> None:
    _unused, student = _locked(campus, score=70, code="PRE01")
    assert passed_course_codes(student) == {"PRE01"}


def test_student_sees_no_sheets_and_only_own_transcript(campus: Campus) -> None:
    _locked(campus)
    other = student_in(campus)
    assert not selectors.sheet_list_for(actor=campus.student).exists()
    assert selectors.transcript_for(student=other).rows == []


def test_teacher_of_another_school_cannot_read_grades(campus: Campus, other: Campus) -> None:
    sheet, _unused = _locked(campus)
    with pytest.raises(NotFound):
        selectors.sheet_get_for(actor=other.teacher, sheet_id=sheet.pk)
    with pytest.raises(NotFound):
        selectors.sheet_get_for(actor=other.admin, sheet_id=sheet.pk)


def test_counsellor_of_the_school_reads_grades(campus: Campus) -> None:
    sheet, _unused = _locked(campus)
    counsellor = user_with_role(Role.COUNSELLOR, campus.school)
    assert selectors.sheet_get_for(actor=counsellor, sheet_id=sheet.pk) == sheet
