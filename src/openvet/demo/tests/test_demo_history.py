"""The demo looks lived in: a full week for every class in school, training weeks, internship
in the last semester, and earlier terms with attendance and locked grades."""

from collections import Counter
from datetime import date, timedelta

import pytest

from openvet.core.models import OrgKind, OrgUnit
from openvet.demo.plan import GRADUATED_GRADE
from openvet.demo.seed import demo_seed
from openvet.demo.seed_history import earlier_term_days
from openvet.demo.seed_teaching import seed_teaching
from openvet.records.models import Student
from openvet.records.services.changes import SUBJECT_TYPE as STATUS_CHANGE
from openvet.teaching import selectors
from openvet.teaching.attendance.models import (
    AttendanceRecord,
    AttendanceStatus,
    LeaveRequest,
    LeaveStatus,
)
from openvet.teaching.evaluation.models import (
    EvaluationReceipt,
    EvaluationResponse,
    EvaluationWindow,
)
from openvet.teaching.grades.models import Attempt, Grade, GradeChange, GradeSheet, SheetStatus
from openvet.teaching.models import TeachingTask, Term, TrainingWeek
from openvet.workflow.models import ProcessInstance

SMALL = 0.05
AUTUMN_DAY = date(2026, 11, 25)  # week 12 of 2026-2027-1
SPRING_DAY = date(2027, 4, 14)  # week 8 of 2026-2027-2


@pytest.fixture
def seeded(db: None) -> None:
    demo_seed(scale=SMALL)


def _term_of(day: date) -> Term:
    return Term.objects.get(start_date__lte=day, start_date__gt=day - timedelta(weeks=19))


def _classes(term: Term) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(kind=OrgKind.CLASS, path__startswith=term.org.path).order_by("path")
    )


def test_the_earlier_terms_are_the_two_before_the_term_of_the_day() -> None:
    assert earlier_term_days(AUTUMN_DAY) == [date(2025, 9, 8), date(2026, 3, 2)]
    assert earlier_term_days(SPRING_DAY) == [date(2026, 3, 2), date(2026, 9, 14)]


def test_every_class_in_school_has_26_periods_a_week_in_two_period_blocks(seeded: None) -> None:
    seed_teaching(AUTUMN_DAY)
    term = _term_of(AUTUMN_DAY)

    loads = Counter[tuple[int, int, int]]()
    for klass in _classes(term):
        tasks = TeachingTask.objects.filter(term=term, classes=klass)
        if klass.grade_year == GRADUATED_GRADE:  # graduated last summer: nothing this term
            assert not tasks.exists()
            assert not TrainingWeek.objects.filter(term=term, class_unit=klass).exists()
            continue
        periods = sum(t.weekly_hours for t in tasks)
        in_blocks = sum(t.weekly_hours for t in tasks if t.block == 2)
        training = TrainingWeek.objects.filter(term=term, class_unit=klass).count()
        loads[(klass.grade_year or 0, periods, in_blocks)] += 1
        assert training == (0 if klass.grade_year == 2026 else 2)

    # 12 majors, one class per grade: semesters 1, 3 and 5 in school, all in blocks (大节)
    assert loads == {(2026, 26, 26): 12, (2025, 26, 26): 12, (2024, 26, 26): 12}


def test_in_their_last_semester_the_third_year_is_on_internship(seeded: None) -> None:
    seed_teaching(SPRING_DAY)
    term = _term_of(SPRING_DAY)
    student = Student.objects.get(user__username="student1")  # intake 2024: semester 6

    tasks = list(TeachingTask.objects.filter(term=term, classes=student.class_unit_id))

    assert [(t.course.name.endswith("岗位实习"), t.weekly_hours) for t in tasks] == [(True, 0)]
    weeks = TrainingWeek.objects.filter(term=term, class_unit=student.class_unit_id)
    assert sorted(weeks.values_list("week", flat=True)) == list(range(1, term.weeks + 1))
    assert selectors.entries_for(term=term, class_id=student.class_unit_id) == []
    second_year = TeachingTask.objects.filter(term=term, classes__grade_year=2025)
    assert sum(t.weekly_hours for t in second_year) == 12 * 26


def _history_of(student: Student) -> tuple[set[str], set[str]]:
    grades = Grade.objects.filter(student=student).select_related("sheet__task__term")
    return {str(g.sheet.task.term) for g in grades}, {g.sheet.status for g in grades}


def test_a_third_year_student_has_locked_grades_and_attendance_of_two_earlier_terms(
    seeded: None,
) -> None:
    counts = seed_teaching(AUTUMN_DAY)
    student = Student.objects.get(user__username="student1")  # intake 2024: semesters 3 and 4

    assert counts is not None
    assert counts.earlier_terms == 2
    terms, states = _history_of(student)
    assert (terms, states) == ({"2025-2026-1", "2025-2026-2"}, {SheetStatus.LOCKED})
    own_tasks = TeachingTask.objects.filter(
        term__in=Term.objects.filter(start_date__lt=date(2026, 9, 1)),
        classes=student.class_unit_id,
    )
    regular = Grade.objects.filter(student=student, attempt=Attempt.REGULAR)
    assert regular.count() == own_tasks.count() == 20  # 10 courses in semester 3, 10 in 4
    assert not regular.filter(total__isnull=True).exists()
    records = AttendanceRecord.objects.filter(student=student).select_related("session__task")
    assert records.count() > 0
    assert {str(r.session.task.term) for r in records} == {"2025-2026-1", "2025-2026-2"}
    assert all(r.session.is_closed for r in records)
    # the term in progress has no grades yet
    assert not GradeSheet.objects.filter(task__term=_term_of(AUTUMN_DAY)).exists()


def test_attendance_is_mostly_present_and_leave_is_approved(seeded: None) -> None:
    seed_teaching(AUTUMN_DAY)

    statuses = Counter(AttendanceRecord.objects.values_list("status", flat=True))
    total = sum(statuses.values())
    assert statuses[AttendanceStatus.PRESENT] > 0.85 * total
    assert all(statuses[s] > 0 for s in AttendanceStatus.values)
    for record in AttendanceRecord.objects.filter(status=AttendanceStatus.LEAVE).select_related(
        "session"
    ):
        assert LeaveRequest.objects.filter(
            student_id=record.student_id,
            status=LeaveStatus.APPROVED,
            date_from__lte=record.session.date,
            date_to__gte=record.session.date,
        ).exists()
    for record in AttendanceRecord.objects.exclude(
        status__in=[AttendanceStatus.ABSENT, AttendanceStatus.LEAVE]
    ):
        assert record.signed_at is not None


def test_a_few_failed_and_most_of_them_sat_a_makeup(seeded: None) -> None:
    seed_teaching(AUTUMN_DAY)

    regular = Grade.objects.filter(attempt=Attempt.REGULAR)
    failed = {(g.sheet_id, g.student_id) for g in regular.filter(total__lt=60)}
    makeups = {(g.sheet_id, g.student_id) for g in Grade.objects.filter(attempt=Attempt.MAKEUP)}
    assert 0 < len(failed) < 0.1 * regular.count()
    assert makeups <= failed
    assert len(makeups) >= len(failed) // 2
    passed = regular.filter(total__gte=60).count()
    assert regular.filter(total__gte=90).count() < passed / 3  # not everyone excels


def test_most_students_evaluated_the_courses_of_the_earlier_terms(seeded: None) -> None:
    seed_teaching(AUTUMN_DAY)

    windows = list(EvaluationWindow.objects.select_related("term").order_by("opens_at"))
    assert [str(w.term) for w in windows] == ["2025-2026-1", "2025-2026-2"]
    for window in windows:
        term_end = window.term.start_date + timedelta(weeks=window.term.weeks)
        assert window.closes_at.date() < term_end
        responses = EvaluationResponse.objects.filter(window=window)
        receipts = EvaluationReceipt.objects.filter(window=window)
        assert responses.count() == receipts.count() > 0
        enrolled = Grade.objects.filter(
            sheet__task__term=window.term, attempt=Attempt.REGULAR
        ).count()  # one regular grade per student and task
        assert 0.7 * enrolled < receipts.count() < enrolled
        ratings = [v for r in responses for v in r.answers.values() if isinstance(v, int)]
        assert set(ratings) <= {1, 2, 3, 4, 5}
        assert sum(ratings) / len(ratings) > 3.5


def test_requests_are_in_every_approval_state(seeded: None) -> None:
    counts = seed_teaching(AUTUMN_DAY)

    assert counts is not None
    assert counts.requests == 5 + 5 + 5 + 2
    every = ["approved", "pending", "rejected", "returned", "withdrawn"]
    for subject_type in ("teaching.leaverequest", "teaching.gradechange", "teaching.adjustment"):
        states = ProcessInstance.objects.filter(subject_type=subject_type).values_list(
            "status", flat=True
        )
        assert sorted(states) == every, subject_type
    changes = ProcessInstance.objects.filter(subject_type=STATUS_CHANGE)
    assert set(changes.values_list("status", flat=True)) == set(every)
    # the outcomes reached the requests themselves
    assert sorted(
        LeaveRequest.objects.exclude(process_id=None).values_list("status", flat=True)
    ) == ["approved", "pending", "pending", "rejected", "withdrawn"]
    approved = GradeChange.objects.get(status="approved")
    assert approved.grade.scores["usual"] == approved.new_scores["usual"]
    assert seed_teaching(AUTUMN_DAY).requests == 0  # type: ignore[union-attr]


def _history_signature() -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    grades = sorted(
        (
            str(g.sheet.task.term),
            g.sheet.task.course.code,
            g.student.student_number,
            g.attempt,
            str(g.total),
        )
        for g in Grade.objects.select_related("sheet__task__term", "sheet__task__course", "student")
    )
    attendance = sorted(
        (
            str(r.session.date),
            str(r.session.period_start),
            r.session.task.course.code,
            r.student.student_number,
            r.status,
        )
        for r in AttendanceRecord.objects.select_related("session__task__course", "student")
    )
    return grades, attendance


def test_the_history_is_the_same_for_the_same_day_and_seeded_once(seeded: None) -> None:
    seed_teaching(AUTUMN_DAY)
    before = _history_signature()

    again = seed_teaching(AUTUMN_DAY)

    assert again is not None
    assert (again.earlier_terms, again.attendance_records, again.grades) == (0, 0, 0)
    assert _history_signature() == before
    Term.objects.all().delete()
    LeaveRequest.objects.all().delete()
    seed_teaching(AUTUMN_DAY)
    assert _history_signature() == before
