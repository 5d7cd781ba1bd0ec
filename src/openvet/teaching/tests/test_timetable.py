from datetime import date

import pytest
from django.utils import translation

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.models import OrgKind
from openvet.core.tests.factories import OrgUnitFactory, department
from openvet.teaching import selectors, services
from openvet.teaching.models import TeachingTask, TimetableEntry
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import (
    EntryFactory,
    RoomFactory,
    TeachingTaskFactory,
    klass,
)

pytestmark = pytest.mark.django_db


def task(campus: Campus, klass: object = None, teacher: object = None) -> TeachingTask:
    klass = klass or campus.class_a
    return TeachingTaskFactory(
        term=campus.term, org=klass, classes=[klass], teachers=[teacher or campus.teacher]
    )


def test_entry_create_saves_with_the_task_weeks(campus: Campus) -> None:
    t = task(campus)
    entry = services.entry_create(
        actor=campus.admin,
        task=t,
        weekday=2,
        period_start=3,
        length=2,
        room=RoomFactory(org=campus.school),
    )
    assert (entry.week_start, entry.week_end, entry.week_parity, entry.period_end) == (
        1,
        18,
        "all",
        4,
    )


def test_teacher_double_booking_is_refused_with_a_message(campus: Campus) -> None:
    first = task(campus)
    EntryFactory(task=first, weekday=1, period_start=1, length=2)
    with translation.override("en"), pytest.raises(Conflict) as exc:
        services.entry_create(
            actor=campus.admin,
            task=task(campus, campus.class_b),
            weekday=1,
            period_start=2,
            length=2,
        )
    assert exc.value.code == "timetable_clash"
    assert str(exc.value.message) == (
        f"teacher {campus.teacher.full_name} is already booked for {first.course.name} on that "
        "day and period (weeks 1, 2, 3, 4, 5, 6)."
    )
    assert TimetableEntry.objects.count() == 1


def test_class_double_booking_is_refused(campus: Campus) -> None:
    EntryFactory(task=task(campus), weekday=1, period_start=1)
    with pytest.raises(Conflict):
        services.entry_create(
            actor=campus.admin,
            task=task(campus, teacher=campus.teacher2),
            weekday=1,
            period_start=1,
            length=1,
        )


def test_room_double_booking_is_refused(campus: Campus) -> None:
    room = RoomFactory(org=campus.school)
    EntryFactory(task=task(campus), room=room)
    with pytest.raises(Conflict):
        services.entry_create(
            actor=campus.admin,
            task=task(campus, campus.class_b, campus.teacher2),
            weekday=1,
            period_start=1,
            length=2,
            room=room,
        )


def test_odd_and_even_week_lectures_share_a_slot(campus: Campus) -> None:
    EntryFactory(task=task(campus), week_parity="odd")
    services.entry_create(
        actor=campus.admin,
        task=task(campus),
        weekday=1,
        period_start=1,
        length=2,
        week_parity="even",
    )
    assert TimetableEntry.objects.count() == 2


def test_moving_an_entry_does_not_clash_with_itself(campus: Campus) -> None:
    entry = EntryFactory(task=task(campus))
    services.entry_update(actor=campus.admin, entry=entry, period_start=2)
    entry.refresh_from_db()
    assert entry.period_start == 2


def test_entry_beyond_the_bell_schedule_is_refused(campus: Campus) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.entry_create(
            actor=campus.admin, task=task(campus), weekday=1, period_start=8, length=2
        )
    assert list(exc.value.details) == ["period_start"]


def test_entry_on_a_non_teaching_day_is_refused(campus: Campus) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.entry_create(actor=campus.admin, task=task(campus), weekday=6, period_start=1)
    assert list(exc.value.details) == ["weekday"]


def test_room_of_another_school_is_refused(campus: Campus, other: Campus) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.entry_create(
            actor=campus.admin,
            task=task(campus),
            weekday=1,
            period_start=1,
            room=RoomFactory(org=other.school),
        )
    assert list(exc.value.details) == ["room"]


def test_admin_of_another_school_cannot_edit_the_timetable(campus: Campus, other: Campus) -> None:
    entry = EntryFactory(task=task(campus))
    with pytest.raises(PermissionDenied):
        services.entry_update(actor=other.admin, entry=entry, period_start=3)
    with pytest.raises(PermissionDenied):
        services.entry_delete(actor=other.admin, entry=entry)
    entry.refresh_from_db()
    assert entry.period_start == 1


def test_term_clashes_lists_clashing_entries(campus: Campus) -> None:
    a = EntryFactory(task=task(campus))
    b = EntryFactory(task=task(campus, campus.class_b))
    EntryFactory(task=task(campus, campus.class_b, campus.teacher2), weekday=3)
    assert selectors.clashing_entry_ids(selectors.term_clashes(campus.term)) == {a.pk, b.pk}


def test_occurrences_honour_holidays_and_makeup_days(campus: Campus) -> None:
    entry = EntryFactory(task=task(campus), weekday=5, week_start=5, week_end=6)
    services.calendar_day_set(
        actor=campus.admin, term=campus.term, day=date(2025, 10, 3), kind="holiday"
    )
    services.calendar_day_set(
        actor=campus.admin,
        term=campus.term,
        day=date(2025, 10, 11),
        kind="workday",
        follows_date=date(2025, 10, 3),
    )
    found = selectors.occurrences(campus.term, [entry])
    assert [(o.date, o.kind) for o in found] == [
        (date(2025, 10, 10), "normal"),
        (date(2025, 10, 11), "moved"),
    ]


def test_entries_for_a_class_use_few_queries(
    campus: Campus, django_assert_num_queries: object
) -> None:
    for weekday in range(1, 6):
        EntryFactory(task=task(campus), weekday=weekday)
    with django_assert_num_queries(3):  # type: ignore[operator]
        entries = selectors.entries_for(term=campus.term, class_id=campus.class_a.pk)
        names = [
            (
                e.task.course.name,
                [c.name for c in e.task.classes.all()],
                [t.pk for t in e.task.teachers.all()],
            )
            for e in entries
        ]
    assert len(names) == 5


def test_task_list_uses_few_queries(campus: Campus, django_assert_num_queries: object) -> None:
    for _ in range(4):
        task(campus)
    with django_assert_num_queries(4):  # type: ignore[operator]
        rows = [
            (t.course.name, list(t.classes.all()), list(t.teachers.all()))
            for t in selectors.task_list_for(actor=campus.admin, term=campus.term)
        ]
    assert len(rows) == 4


def test_teacher_sees_own_tasks_in_another_department(campus: Campus) -> None:
    other_dept = department(campus.school, name="Other")
    major = OrgUnitFactory(kind=OrgKind.MAJOR, parent=other_dept, name="M2", code="510202")
    elsewhere = klass(major, 2025, "Elsewhere")
    mine = task(campus, elsewhere)
    task(campus, elsewhere, campus.teacher2)
    assert list(
        selectors.task_list_for(actor=campus.teacher, term=campus.term).filter(org=elsewhere)
    ) == [mine]


def test_student_sees_no_tasks_list(campus: Campus) -> None:
    task(campus)
    assert list(selectors.task_list_for(actor=campus.student, term=campus.term)) == []


def test_school_admin_sees_only_own_school_terms(campus: Campus, other: Campus) -> None:
    assert list(selectors.term_list_for(actor=campus.admin)) == [campus.term]
    assert list(selectors.term_list_for(actor=campus.teacher)) == [campus.term]
    assert list(selectors.term_list_for(actor=campus.student)) == [campus.term]
