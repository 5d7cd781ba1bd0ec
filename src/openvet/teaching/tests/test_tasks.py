import pytest

from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.teaching import services
from openvet.teaching.models import Programme, TeachingTask, TrainingWeek
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import (
    CourseFactory,
    ProgrammeCourseFactory,
    ProgrammeFactory,
    TeachingTaskFactory,
)

pytestmark = pytest.mark.django_db


def programme(campus: Campus, intake_year: int, version: int) -> Programme:
    return ProgrammeFactory(org=campus.major, intake_year=intake_year, version=version)


def test_generation_creates_tasks_for_each_cohort_semester(campus: Campus) -> None:
    p2025, p2024 = programme(campus, 2025, 2), programme(campus, 2024, 1)
    first = ProgrammeCourseFactory(
        programme=p2025,
        course=CourseFactory(org=campus.school),
        semester=1,
        weekly_hours=4,
        block=2,
    )
    ProgrammeCourseFactory(programme=p2025, course=CourseFactory(org=campus.school), semester=2)
    third = ProgrammeCourseFactory(
        programme=p2024, course=CourseFactory(org=campus.school), semester=3
    )
    result = services.teaching_tasks_generate(actor=campus.admin, term=campus.term)
    assert (result.created, result.skipped) == (2, 0)
    rows = {
        (
            t.source_id,
            tuple(t.classes.values_list("pk", flat=True)),
            t.weekly_hours,
            t.block,
            t.week_end,
            t.org_id,
        )
        for t in TeachingTask.objects.all()
    }
    assert rows == {
        (first.pk, (campus.class_a.pk,), 4, 2, 18, campus.class_a.pk),
        (third.pk, (campus.class_b.pk,), 4, 1, 18, campus.class_b.pk),
    }


def test_generation_counts_the_students_of_the_class(campus: Campus) -> None:
    user_with_role(Role.STUDENT, campus.class_a)
    ProgrammeCourseFactory(
        programme=programme(campus, 2025, 1), course=CourseFactory(org=campus.school)
    )
    services.teaching_tasks_generate(actor=campus.admin, term=campus.term)
    assert TeachingTask.objects.get().student_count == 2


def test_generation_twice_keeps_existing_tasks(campus: Campus) -> None:
    ProgrammeCourseFactory(
        programme=programme(campus, 2025, 1), course=CourseFactory(org=campus.school)
    )
    services.teaching_tasks_generate(actor=campus.admin, term=campus.term)
    result = services.teaching_tasks_generate(actor=campus.admin, term=campus.term)
    assert (result.created, result.skipped, TeachingTask.objects.count()) == (0, 1, 1)


def test_cohort_without_its_own_programme_uses_the_latest_earlier_one(campus: Campus) -> None:
    p2024 = programme(campus, 2024, 1)
    pc = ProgrammeCourseFactory(
        programme=p2024, course=CourseFactory(org=campus.school), semester=1
    )
    services.teaching_tasks_generate(actor=campus.admin, term=campus.term)
    task = TeachingTask.objects.get()
    assert (task.source_id, list(task.classes.all())) == (pc.pk, [campus.class_a])


def test_class_without_any_programme_is_reported(campus: Campus) -> None:
    result = services.teaching_tasks_generate(actor=campus.admin, term=campus.term)
    assert result.classes_without_programme == (campus.class_a.name, campus.class_b.name)


def test_training_weeks_are_put_at_the_end_of_the_term(campus: Campus) -> None:
    ProgrammeCourseFactory(
        programme=programme(campus, 2025, 1),
        course=CourseFactory(org=campus.school),
        weekly_hours=0,
        training_weeks=2,
    )
    services.teaching_tasks_generate(actor=campus.admin, term=campus.term)
    assert list(TrainingWeek.objects.values_list("class_unit_id", "week")) == [
        (campus.class_a.pk, 17),
        (campus.class_a.pk, 18),
    ]


def test_head_of_another_school_cannot_generate(campus: Campus, other: Campus) -> None:
    with pytest.raises(PermissionDenied):
        services.teaching_tasks_generate(actor=other.admin, term=campus.term)


def test_task_create_combines_classes(campus: Campus) -> None:
    task = services.task_create(
        actor=campus.head,
        term=campus.term,
        course=CourseFactory(org=campus.school),
        classes=[campus.class_a, campus.class_b],
        teachers=[campus.teacher],
        weekly_hours=2,
    )
    assert (task.org, task.student_count, task.week_end) == (campus.major, 1, 18)


def test_task_update_refuses_a_teacher_of_another_school(campus: Campus, other: Campus) -> None:
    task = TeachingTaskFactory(term=campus.term, org=campus.class_a, classes=[campus.class_a])
    with pytest.raises(ValidationFailed) as exc:
        services.task_update(actor=campus.admin, task=task, teachers=[other.teacher])
    assert list(exc.value.details) == ["teachers"]
    assert list(task.teachers.all()) == []


def test_task_update_refuses_weeks_outside_the_term(campus: Campus) -> None:
    task = TeachingTaskFactory(term=campus.term, org=campus.class_a, classes=[campus.class_a])
    with pytest.raises(ValidationFailed) as exc:
        services.task_update(actor=campus.admin, task=task, week_end=19)
    assert list(exc.value.details) == ["week_end"]
    task.refresh_from_db()
    assert task.week_end == 18


def test_task_update_changes_teachers_and_hours(campus: Campus) -> None:
    task = TeachingTaskFactory(term=campus.term, org=campus.class_a, classes=[campus.class_a])
    services.task_update(
        actor=campus.head, task=task, teachers=[campus.teacher], weekly_hours=4, week_parity="odd"
    )
    task.refresh_from_db()
    assert (list(task.teachers.all()), task.weekly_hours, task.week_parity) == (
        [campus.teacher],
        4,
        "odd",
    )


def test_teacher_cannot_edit_a_task(campus: Campus) -> None:
    task = TeachingTaskFactory(
        term=campus.term, org=campus.class_a, classes=[campus.class_a], teachers=[campus.teacher]
    )
    with pytest.raises(PermissionDenied):
        services.task_update(actor=campus.teacher, task=task, weekly_hours=6)


def test_training_week_set_and_unset(campus: Campus) -> None:
    services.training_week_set(
        actor=campus.admin, term=campus.term, class_unit=campus.class_a, week=5
    )
    assert list(TrainingWeek.objects.values_list("week", flat=True)) == [5]
    services.training_week_set(
        actor=campus.admin, term=campus.term, class_unit=campus.class_a, week=5, is_training=False
    )
    assert not TrainingWeek.objects.exists()
