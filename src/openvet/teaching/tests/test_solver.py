from datetime import time

import pytest
from django.db import IntegrityError
from django.utils import translation

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.teaching import selectors, services, timetabling
from openvet.teaching.models import (
    BellPeriod,
    Room,
    SolverRun,
    SolverStatus,
    TeachingTask,
    Term,
    TimetableEntry,
)
from openvet.teaching.services.demo import demo_school_admin, seed_demo_term
from openvet.teaching.services.solver import (
    PERTURBATION_WEIGHT,
    entries_from_result,
    session_starts,
)
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import (
    EntryFactory,
    RoomFactory,
    SolverRunFactory,
    TeacherTimeFactory,
    TeachingTaskFactory,
)

pytestmark = pytest.mark.django_db


def small_term(campus: Campus) -> dict[str, object]:
    """Two classes, two teachers, a computer lab: 14 periods a week to place."""
    rooms = [
        RoomFactory(org=campus.school, capacity=40),
        RoomFactory(org=campus.school, capacity=40),
        RoomFactory(org=campus.school, capacity=40, room_type="computer_lab"),
    ]
    a, b = campus.class_a, campus.class_b
    tasks = [
        TeachingTaskFactory(
            term=campus.term,
            org=a,
            classes=[a],
            teachers=[campus.teacher],
            weekly_hours=4,
            student_count=30,
        ),
        TeachingTaskFactory(
            term=campus.term,
            org=b,
            classes=[b],
            teachers=[campus.teacher],
            weekly_hours=2,
            student_count=30,
        ),
        TeachingTaskFactory(
            term=campus.term,
            org=a,
            classes=[a],
            teachers=[campus.teacher2],
            weekly_hours=4,
            block=2,
            room_type="computer_lab",
            student_count=30,
        ),
        TeachingTaskFactory(
            term=campus.term,
            org=campus.major,
            classes=[a, b],
            teachers=[campus.teacher2, campus.teacher],
            weekly_hours=2,
            student_count=35,
        ),
        TeachingTaskFactory(
            term=campus.term, org=b, classes=[b], teachers=[], weekly_hours=2, student_count=30
        ),
    ]
    return {"rooms": rooms, "tasks": tasks}


def test_problem_maps_tasks_rooms_and_classes(campus: Campus) -> None:
    data = small_term(campus)
    tasks, rooms = data["tasks"], data["rooms"]
    problem = services.problem_build(term=campus.term).problem
    assert (problem.days, problem.periods_per_day, problem.total_lectures) == (5, 8, 14)
    lab = next(c for c in problem.courses if c.name == f"T{tasks[2].pk}")
    assert (lab.room_type, lab.block, lab.teacher, lab.min_working_days) == (
        "computer_lab",
        2,
        f"U{campus.teacher2.pk}",
        2,
    )
    assert {q.name: set(q.courses) for q in problem.curricula} == {
        f"C{campus.class_a.pk}": {f"T{tasks[i].pk}" for i in (0, 2, 3)},
        f"C{campus.class_b.pk}": {f"T{tasks[i].pk}" for i in (1, 3, 4)},
        # teacher2 co-teaches the combined task (teacher, the lower id, leads it): their
        # own tasks may not overlap it
        f"U{campus.teacher2.pk}": {f"T{tasks[i].pk}" for i in (2, 3)},
    }
    assert [r.room_type for r in problem.rooms] == ["ordinary", "ordinary", "computer_lab"]
    assert rooms[0].pk == int(problem.rooms[0].name[1:])


def test_solved_small_term_has_no_hard_violation(campus: Campus) -> None:
    small_term(campus)
    TeacherTimeFactory(
        term=campus.term, teacher=campus.teacher, weekday=1, period=1, level="unavailable"
    )
    built = services.problem_build(term=campus.term)
    result = timetabling.solve(built.problem, time_limit=20, max_iterations=200_000, seed=1)
    assert result.report.total_hard == 0
    assert not any(
        a.course == f"T{next(iter(built.tasks.values())).pk}" and a.day == 0 and a.period == 0
        for a in result.assignments
    )


def test_run_publish_writes_the_timetable(campus: Campus) -> None:
    small_term(campus)
    run = services.solver_run_start(actor=campus.admin, term=campus.term, seed=3, time_limit=5)
    services.solver_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.best_hard, run.progress) == (SolverStatus.FINISHED, 0, 1.0)
    published = services.solver_run_publish(actor=campus.admin, run=run)
    entries = list(TimetableEntry.objects.filter(term=campus.term))
    assert (published.lessons, published.periods) == (len(entries), 14)
    assert sum(e.length for e in entries) == 14
    lab = next(e for e in entries if e.task.block == 2)
    assert lab.length == 2
    run.refresh_from_db()
    assert run.status == SolverStatus.PUBLISHED


def test_publish_replaces_the_previous_timetable(campus: Campus) -> None:
    data = small_term(campus)
    old = EntryFactory(task=data["tasks"][0], weekday=5, period_start=7, length=1)
    run = services.solver_run_start(actor=campus.admin, term=campus.term, time_limit=5)
    services.solver_execute(run_id=run.pk)
    services.solver_run_publish(actor=campus.admin, run=SolverRun.objects.get(pk=run.pk))
    assert not TimetableEntry.objects.filter(pk=old.pk).exists()


def test_publish_is_all_or_nothing(campus: Campus, monkeypatch: pytest.MonkeyPatch) -> None:
    data = small_term(campus)
    old = EntryFactory(task=data["tasks"][0])
    run = services.solver_run_start(actor=campus.admin, term=campus.term, time_limit=5)
    services.solver_execute(run_id=run.pk)

    def broken(*args: object, **kwargs: object) -> None:
        raise IntegrityError("disk full")

    monkeypatch.setattr(TimetableEntry.objects, "bulk_create", broken)
    with pytest.raises(IntegrityError):
        services.solver_run_publish(actor=campus.admin, run=SolverRun.objects.get(pk=run.pk))
    assert list(TimetableEntry.objects.all()) == [old]
    assert SolverRun.objects.get(pk=run.pk).status == SolverStatus.FINISHED


def test_infeasible_proposal_is_not_published(campus: Campus) -> None:
    data = small_term(campus)
    old = EntryFactory(task=data["tasks"][0])
    run = SolverRunFactory(
        term=campus.term,
        status=SolverStatus.FINISHED,
        best_hard=2,
        result=[[data["tasks"][0].pk, data["rooms"][0].pk, 1, 1]],
    )
    with pytest.raises(Conflict):
        services.solver_run_publish(actor=campus.admin, run=run)
    assert list(TimetableEntry.objects.all()) == [old]


def test_stale_proposal_is_not_published(campus: Campus) -> None:
    data = small_term(campus)
    run = SolverRunFactory(
        term=campus.term,
        status=SolverStatus.FINISHED,
        best_hard=0,
        result=[[999999, data["rooms"][0].pk, 1, 1]],
    )
    with pytest.raises(Conflict):
        services.solver_run_publish(actor=campus.admin, run=run)
    assert not TimetableEntry.objects.exists()


def test_admin_of_another_school_cannot_run_or_publish(campus: Campus, other: Campus) -> None:
    small_term(campus)
    with pytest.raises(PermissionDenied):
        services.solver_run_start(actor=other.admin, term=campus.term)
    run = SolverRunFactory(term=campus.term, status=SolverStatus.FINISHED, best_hard=0)
    with pytest.raises(PermissionDenied):
        services.solver_run_publish(actor=other.admin, run=run)
    assert SolverRun.objects.get(pk=run.pk).status == SolverStatus.FINISHED


def test_task_needing_a_missing_room_type_is_refused_before_solving(campus: Campus) -> None:
    small_term(campus)
    Room.objects.filter(room_type="computer_lab").delete()
    with pytest.raises(ValidationFailed) as exc:
        services.solver_run_start(actor=campus.admin, term=campus.term)
    assert list(exc.value.details) == ["rooms"]
    assert not SolverRun.objects.exists()


def test_locked_entries_stay_where_they_are(campus: Campus) -> None:
    data = small_term(campus)
    EntryFactory(
        task=data["tasks"][1],
        weekday=3,
        period_start=5,
        length=2,
        room=data["rooms"][1],
        is_locked=True,
    )
    run = services.solver_run_start(actor=campus.admin, term=campus.term, time_limit=5)
    services.solver_execute(run_id=run.pk)
    services.solver_run_publish(actor=campus.admin, run=SolverRun.objects.get(pk=run.pk))
    kept = TimetableEntry.objects.get(task=data["tasks"][1])
    assert (kept.weekday, kept.period_start, kept.length, kept.room_id, kept.is_locked) == (
        3,
        5,
        2,
        data["rooms"][1].pk,
        True,
    )


def test_minimal_perturbation_sets_the_reference(campus: Campus) -> None:
    data = small_term(campus)
    EntryFactory(task=data["tasks"][1], weekday=2, period_start=1, length=2, room=data["rooms"][0])
    problem = services.problem_build(term=campus.term, minimal_perturbation=True).problem
    name, room = f"T{data['tasks'][1].pk}", f"R{data['rooms'][0].pk}"
    assert problem.reference == [
        timetabling.Assignment(name, room, 1, 0),
        timetabling.Assignment(name, room, 1, 1),
    ]


def test_export_ctt_reads_back_as_the_same_problem(campus: Campus) -> None:
    small_term(campus)
    text = services.term_export_ctt(actor=campus.admin, term=campus.term)
    parsed = timetabling.parse_ctt(text)
    built = services.problem_build(term=campus.term).problem
    assert [(c.name, c.lectures, c.students) for c in parsed.courses] == [
        (c.name, c.lectures, c.students) for c in built.courses
    ]
    assert (parsed.days, parsed.periods_per_day, len(parsed.curricula)) == (5, 8, 3)


def test_imported_solution_becomes_a_run_for_review(campus: Campus) -> None:
    small_term(campus)
    built = services.problem_build(term=campus.term)
    result = timetabling.solve(built.problem, time_limit=10, max_iterations=200_000, seed=2)
    text = timetabling.format_solution(result.assignments)
    run = services.solution_import(actor=campus.admin, term=campus.term, text=text)
    assert (run.status, run.is_import, run.best_hard, len(run.result)) == (
        SolverStatus.FINISHED,
        True,
        0,
        14,
    )


def test_solution_for_another_instance_is_refused_with_its_line(campus: Campus) -> None:
    small_term(campus)
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        services.solution_import(actor=campus.admin, term=campus.term, text="X1 R1 0 0\n")
    assert str(exc.value.message) == ("Line 1: unknown course X1 (solution for another instance?)")
    assert not SolverRun.objects.exists()


def test_result_rows_merge_into_lectures() -> None:
    rows = [[1, 9, 1, 1], [1, 9, 1, 2], [1, 9, 1, 4], [2, 8, 3, 5]]
    assert entries_from_result(rows) == [(1, 9, 1, 1, 2), (1, 9, 1, 4, 1), (2, 8, 3, 5, 1)]


def test_started_run_is_queued_and_solved_after_commit(
    campus: Campus, django_capture_on_commit_callbacks: object
) -> None:
    small_term(campus)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        run = services.solver_run_start(actor=campus.admin, term=campus.term, time_limit=5)
    run.refresh_from_db()
    assert (run.status, run.best_hard, len(run.result)) == (SolverStatus.FINISHED, 0, 14)


def test_teacher_preferences_reach_the_problem(campus: Campus) -> None:
    small_term(campus)
    TeacherTimeFactory(
        term=campus.term, teacher=campus.teacher, weekday=2, period=3, level="undesired"
    )
    TeacherTimeFactory(term=campus.term, teacher=campus.teacher2, weekday=5, period=8)
    problem = services.problem_build(term=campus.term).problem
    assert problem.teacher_dislikes == {(f"U{campus.teacher.pk}", 1, 2): 1}
    assert problem.teacher_unavailable == {(f"U{campus.teacher2.pk}", 4, 7)}


def demo_term_staffed(campus: Campus) -> Term:
    """The teaching demo term on the test campus, with teachers enough for its load."""
    for _ in range(4):
        user_with_role(Role.TEACHER, campus.department)
    actor, school = demo_school_admin(campus.admin.username)
    return seed_demo_term(actor=actor, school=school).term


def _cells(run: SolverRun) -> set[tuple[int, int, int, int]]:
    return {(task, room, weekday, period) for task, room, weekday, period in run.result}


def _solved(campus: Campus, term: Term, *, seed: int, keep: bool = False) -> SolverRun:
    run = services.solver_run_start(
        actor=campus.admin, term=term, seed=seed, time_limit=3, minimal_perturbation=keep
    )
    return services.solver_execute(run_id=run.pk)


def test_resolve_moves_few_lectures_after_a_teacher_becomes_unavailable(campus: Campus) -> None:
    term = demo_term_staffed(campus)
    published = _solved(campus, term, seed=1)
    services.solver_run_publish(actor=campus.admin, run=published)
    entry = TimetableEntry.objects.filter(term=term).order_by("weekday", "period_start").first()
    assert entry is not None
    teacher = entry.task.teachers.get()
    TeacherTimeFactory(
        term=term,
        teacher=teacher,
        weekday=entry.weekday,
        period=entry.period_start,
        level="unavailable",
    )

    kept = _solved(campus, term, seed=2, keep=True)
    moved = _cells(kept) - _cells(published)
    assert kept.best_hard == 0
    # The lecture in the lost period moves (its block with it), little else does.
    assert (entry.task_id, entry.room_id, entry.weekday, entry.period_start) not in _cells(kept)
    assert 1 <= len(moved) <= 2 * entry.length + 2
    assert kept.soft["Perturbation"] == len(moved) * PERTURBATION_WEIGHT
    # Without the mode a new solve rebuilds the week: most lectures land elsewhere.
    fresh = _solved(campus, term, seed=2)
    assert len(_cells(fresh) - _cells(published)) > len(published.result) // 2


def test_blocks_stay_within_a_session_of_the_bell_schedule(campus: Campus) -> None:
    term = demo_term_staffed(campus)
    # The test bell schedule: lunch after period 4 (and no evening periods).
    assert session_starts(selectors.bell_periods(campus.school)) == {5}
    run = _solved(campus, term, seed=4)
    assert run.best_hard == 0
    services.solver_run_publish(actor=campus.admin, run=run)
    blocks = TimetableEntry.objects.filter(term=term, task__block__gt=1)
    assert sum(e.length for e in blocks) == sum(
        t.weekly_hours for t in TeachingTask.objects.filter(term=term, block__gt=1)
    )
    for entry in blocks:
        assert entry.length == entry.task.block
        assert entry.period_end <= 4 or entry.period_start >= 5, entry


def test_sessions_follow_the_meal_breaks_of_the_bell_schedule() -> None:
    def bell(number: int, starts: str, ends: str) -> BellPeriod:
        return BellPeriod(number=number, starts_at=time.fromisoformat(starts),
                          ends_at=time.fromisoformat(ends))  # fmt: skip

    bells = [
        bell(1, "08:00", "08:45"),
        bell(2, "09:15", "10:00"),  # a 30-minute recess: same session
        bell(3, "10:40", "11:25"),  # 40 minutes: a break
        bell(4, "14:00", "14:45"),
        bell(5, "19:00", "19:45"),
    ]
    assert session_starts(bells) == {3, 4, 5}
    assert entries_from_result([[1, 9, 1, 2], [1, 9, 1, 3], [1, 9, 1, 4]], {3}) == [
        (1, 9, 1, 2, 1),
        (1, 9, 1, 3, 2),
    ]


def test_a_crashing_run_is_marked_failed(campus: Campus, monkeypatch: pytest.MonkeyPatch) -> None:
    small_term(campus)
    run = services.solver_run_start(actor=campus.admin, term=campus.term, time_limit=5)

    def broken(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(timetabling, "solve", broken)
    with pytest.raises(MemoryError), translation.override("en"):
        services.solver_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.message) == (
        SolverStatus.FAILED,
        "The solver stopped on an internal error.",
    )


def test_progress_reports_the_phase_of_the_search(campus: Campus) -> None:
    from openvet.teaching.services.solver import _Progress

    run = SolverRunFactory(term=campus.term, status=SolverStatus.RUNNING, phase="preparing")
    progress = _Progress(run.pk)

    progress(0.25, 3, 40)
    run.refresh_from_db()
    assert (run.phase, run.progress, run.best_hard, run.best_soft) == ("conflicts", 0.25, 3, 40)
    progress.last = 0.0
    progress(0.5, 0, 12)
    run.refresh_from_db()
    assert (run.phase, run.progress, run.best_hard) == ("improving", 0.5, 0)
