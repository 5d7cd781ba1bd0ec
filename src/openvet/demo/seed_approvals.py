"""Requests of the demo's first college in every approval state, made through the services.

Leave requests (students), grade changes on locked grades of an earlier term and timetable
adjustments (teachers), and the status changes that ``seed_records`` does not already show
(rejected, withdrawn), each applied by its applicant and then decided by a holder of the role
that the open approval step asks for, as the approvals page would: approved at every step,
rejected or returned at the first, left pending, or withdrawn by the applicant. Reasons come
from ``data/approvals.json``. Seeded once: a school with a leave request under approval has them.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from openvet.core.models import OrgUnit
from openvet.demo import sources
from openvet.identity.selectors import users_holding_role_over
from openvet.records import services as records
from openvet.records.codes import StudentStatus
from openvet.records.models import StatusChange, Student
from openvet.teaching import selectors
from openvet.teaching.attendance import services as attendance
from openvet.teaching.attendance.models import LeaveRequest
from openvet.teaching.grades import services as grades
from openvet.teaching.grades.models import Attempt, Grade, SheetStatus
from openvet.teaching.models import AdjustmentKind, TeachingTask, Term
from openvet.teaching.services import adjustments
from openvet.workflow import services as workflow
from openvet.workflow.models import Decision, InstanceStatus, ProcessInstance, Task, TaskStatus

# The outcome of the n-th request of each kind.
OUTCOMES = ("approved", "rejected", "returned", "pending", "withdrawn")
_SUSPENSION = "11"  # 休学 among the records app's change types
_REASON_OTHER, _REASON_ILLNESS = "99", "10"


@dataclass(frozen=True)
class ApprovalCounts:
    leave: int = 0
    grade_changes: int = 0
    adjustments: int = 0
    status_changes: int = 0


def seed_approvals(*, school: OrgUnit, term: Term, today: date) -> ApprovalCounts:
    """Five requests of each kind, one per outcome; nothing when the school has them."""
    if LeaveRequest.objects.filter(
        org__path__startswith=school.path, process_id__isnull=False
    ).exists():
        return ApprovalCounts()
    texts = sources.read_data("approvals.json")
    with transaction.atomic():
        students = _students(school)
        leave = _leave_requests(students, texts, today)
        changes = _grade_changes(school, term, texts)
        moved = _adjustments(term, texts, today)
        status = _status_changes(students, texts, today)
    return ApprovalCounts(leave, changes, moved, status)


def _fresh(user: Any) -> Any:
    """The account re-read, so that its grants are loaded from the database."""
    return get_user_model().objects.get(pk=user.pk)


def _students(school: OrgUnit) -> list[Student]:
    """Enrolled students with an account and no status change, by student number."""
    busy = StatusChange.objects.values("student_id")
    return list(
        Student.objects.filter(school=school, status=StudentStatus.ENROLLED, user__isnull=False)
        .exclude(pk__in=busy)
        .select_related("user")
        .order_by("student_number")
    )


def _decide(instance_id: int, decision: str, comment: str = "") -> None:
    """One decision on the open step, by the first holder of the step's role over its org."""
    instance = ProcessInstance.objects.get(pk=instance_id)
    task = (
        Task.objects.filter(instance=instance, status=TaskStatus.OPEN, round=instance.round)
        .order_by("step_order", "pk")
        .first()
    )
    if task is None:
        return
    holder = users_holding_role_over(role=task.role, org_path=task.org_path).order_by("pk").first()
    if holder is None:
        return
    decider = _fresh(holder)
    task = workflow.decidable_task_of(actor=decider, instance=instance)
    workflow.task_decide(actor=decider, task=task, decision=decision, comment=comment)


def _drive(instance_id: int | None, outcome: str, applicant: Any, texts: dict[str, Any]) -> None:
    """Take a request just applied for to ``outcome`` (with the comment the engine asks of a
    rejection or a return)."""
    if instance_id is None or outcome == "pending":
        return
    if outcome == "withdrawn":
        instance = ProcessInstance.objects.get(pk=instance_id)
        workflow.instance_withdraw(actor=_fresh(applicant), instance=instance)
        return
    if outcome in ("rejected", "returned"):
        rejected = outcome == "rejected"
        decision = Decision.REJECT if rejected else Decision.RETURN
        _decide(instance_id, decision, texts["reject_comment" if rejected else "return_comment"])
        return
    for _step in range(10):  # approve every step until the request is decided
        if ProcessInstance.objects.get(pk=instance_id).status != InstanceStatus.PENDING:
            return
        _decide(instance_id, Decision.APPROVE)


def _leave_requests(students: list[Student], texts: dict[str, Any], today: date) -> int:
    made = 0
    for number, (student, outcome) in enumerate(zip(students[::7], OUTCOMES, strict=False)):
        day = today + timedelta(days=2 + number)
        leave = attendance.leave_request(
            actor=_fresh(student.user), date_from=day, date_to=day, reason=texts["leave"][number]
        )
        _drive(leave.process_id, outcome, student.user, texts)
        made += 1
    return made


def _grade_changes(school: OrgUnit, term: Term, texts: dict[str, Any]) -> int:
    """Changes of locked regular grades of the term before ``term``, on five sheets."""
    earlier = (
        Term.objects.filter(org=school, start_date__lt=term.start_date)
        .order_by("-start_date")
        .first()
    )
    if earlier is None:
        return 0
    made = 0
    sheets_done: set[int] = set()
    passed = (
        Grade.objects.filter(
            sheet__task__term=earlier,
            sheet__status=SheetStatus.LOCKED,
            attempt=Attempt.REGULAR,
            total__gte=60,
            total__lt=85,
        )
        .select_related("sheet__task", "student")
        .order_by("sheet__task__course__code", "student__student_number")
    )
    for grade in passed:
        if made == len(OUTCOMES):
            break
        teacher = grade.sheet.task.teachers.order_by("pk").first()
        if grade.sheet_id in sheets_done or teacher is None or "usual" not in grade.scores:
            continue
        usual = min(Decimal(100), Decimal(str(grade.scores["usual"])) + 5)
        change = grades.change_request(
            actor=_fresh(teacher),
            grade=grade,
            scores={"usual": str(usual)},
            reason=texts["grade_change"][made],
        )
        change.refresh_from_db()
        _drive(change.process_id, OUTCOMES[made], teacher, texts)
        sheets_done.add(grade.sheet_id)
        made += 1
    return made


def _adjustments(term: Term, texts: dict[str, Any], today: date) -> int:
    """Cancellations of lectures in the two weeks after ``today``, one task each."""
    tasks = {
        t.pk: t
        for t in TeachingTask.objects.filter(term=term, entries__isnull=False)
        .prefetch_related("teachers")
        .select_related("course")
        .distinct()
    }
    lectures = sorted(
        (
            o
            for o in selectors.occurrences(term, selectors.entries_for(term=term))
            if today + timedelta(days=3) <= o.date <= today + timedelta(days=14)
        ),
        key=lambda o: (tasks[o.task_id].course.code, o.date, o.period_start, o.task_id),
    )
    made = 0
    seen: set[int] = set()
    for lecture in lectures:
        task = tasks[lecture.task_id]
        teacher = min(task.teachers.all(), key=lambda t: t.pk, default=None)
        if made == len(OUTCOMES) or task.pk in seen or teacher is None:
            continue
        adjustment = adjustments.adjustment_request(
            actor=_fresh(teacher),
            task=task,
            kind=AdjustmentKind.CANCEL,
            reason=texts["adjustment"][made],
            original_date=lecture.date,
            original_period_start=lecture.period_start,
        )
        _drive(adjustment.process_id, OUTCOMES[made], teacher, texts)
        seen.add(task.pk)
        made += 1
    return made


def _status_changes(students: list[Student], texts: dict[str, Any], today: date) -> int:
    """The two states that the records demo lacks: a rejected and a withdrawn suspension."""
    made = 0
    pairs = (("rejected", _REASON_OTHER), ("withdrawn", _REASON_ILLNESS))
    for student, (outcome, reason) in zip(students[3::11], pairs, strict=False):
        change = records.status_change_apply(
            actor=_fresh(student.user),
            student=student,
            change_type=_SUSPENSION,
            reason=reason,
            note=texts["status_change"][outcome],
            details={"planned_return_date": (today + timedelta(days=180)).isoformat()},
        )
        _drive(change.process_id, outcome, student.user, texts)
        made += 1
    return made
