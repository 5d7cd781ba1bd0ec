from datetime import date

from openvet.teaching.calendar import (
    Change,
    Lecture,
    WeekPattern,
    expand,
    make_calendar,
)

START = date(2025, 9, 1)  # Monday of week 1


def lecture(
    weekday: int = 1,
    parity: str = "all",
    start: int = 1,
    end: int = 4,
    classes: frozenset[int] = frozenset({10}),
) -> Lecture:
    return Lecture(
        entry_id=1,
        task_id=7,
        weekday=weekday,
        period_start=3,
        length=2,
        room_id=5,
        pattern=WeekPattern(start, end, parity),
        class_ids=classes,
    )


def dates(occurrences: list) -> list[date]:
    return [o.date for o in occurrences]


def test_every_week_gives_one_lecture_a_week() -> None:
    found = expand(make_calendar(START, 4, [], []), [lecture()])
    assert dates(found) == [
        date(2025, 9, 1),
        date(2025, 9, 8),
        date(2025, 9, 15),
        date(2025, 9, 22),
    ]


def test_odd_weeks_only() -> None:
    found = expand(make_calendar(START, 4, [], []), [lecture(parity="odd")])
    assert [o.week for o in found] == [1, 3]


def test_even_weeks_only() -> None:
    found = expand(make_calendar(START, 4, [], []), [lecture(parity="even")])
    assert [o.week for o in found] == [2, 4]


def test_weeks_beyond_the_term_are_dropped() -> None:
    found = expand(make_calendar(START, 2, [], []), [lecture(end=4)])
    assert [o.week for o in found] == [1, 2]


def test_holiday_cancels_the_lecture_of_its_date() -> None:
    calendar = make_calendar(START, 3, [date(2025, 9, 8)], [])
    assert dates(expand(calendar, [lecture(end=3)])) == [date(2025, 9, 1), date(2025, 9, 15)]


def test_makeup_working_day_holds_the_lectures_of_the_holiday() -> None:
    # National Day: Friday 3 October off, its lectures held on Saturday 11 October.
    calendar = make_calendar(
        START, 6, [date(2025, 10, 3)], [(date(2025, 10, 11), date(2025, 10, 3))]
    )
    found = expand(calendar, [lecture(weekday=5, start=5, end=6)])
    assert [(o.date, o.kind, o.week) for o in found] == [
        (date(2025, 10, 10), "normal", 6),
        (date(2025, 10, 11), "moved", 6),
    ]


def test_training_week_suspends_lectures_of_that_class() -> None:
    found = expand(make_calendar(START, 3, [], []), [lecture(end=3)], {2: frozenset({10})})
    assert [o.week for o in found] == [1, 3]


def test_training_week_of_one_class_keeps_a_combined_lecture() -> None:
    found = expand(
        make_calendar(START, 2, [], []),
        [lecture(end=2, classes=frozenset({10, 11}))],
        {2: frozenset({10})},
    )
    assert [o.week for o in found] == [1, 2]


def change(kind: str, **kwargs: object) -> Change:
    values: dict = {
        "original_date": None,
        "original_period_start": None,
        "new_date": None,
        "new_period_start": None,
        "new_length": None,
        "new_room_id": None,
    }
    values.update(kwargs)
    return Change(id=99, kind=kind, task_id=7, **values)


def test_cancellation_removes_one_lecture() -> None:
    found = expand(
        make_calendar(START, 2, [], []),
        [lecture(end=2)],
        changes=[change("cancel", original_date=date(2025, 9, 8), original_period_start=3)],
    )
    assert dates(found) == [date(2025, 9, 1)]


def test_reschedule_moves_one_lecture_and_keeps_its_room() -> None:
    found = expand(
        make_calendar(START, 2, [], []),
        [lecture(end=2)],
        changes=[
            change(
                "reschedule",
                original_date=date(2025, 9, 8),
                original_period_start=3,
                new_date=date(2025, 9, 10),
                new_period_start=5,
            )
        ],
    )
    moved = found[-1]
    assert (
        moved.date,
        moved.period_start,
        moved.length,
        moved.room_id,
        moved.kind,
        moved.adjustment_id,
    ) == (date(2025, 9, 10), 5, 2, 5, "moved", 99)
    assert dates(found) == [date(2025, 9, 1), date(2025, 9, 10)]


def test_makeup_adds_a_lecture() -> None:
    found = expand(
        make_calendar(START, 2, [], []),
        [lecture(end=1)],
        changes=[
            change(
                "makeup",
                new_date=date(2025, 9, 13),
                new_period_start=1,
                new_length=3,
                new_room_id=8,
            )
        ],
    )
    added = found[-1]
    assert (
        added.date,
        added.period_start,
        added.length,
        added.room_id,
        added.kind,
        added.week,
    ) == (date(2025, 9, 13), 1, 3, 8, "makeup", 2)


def test_week_patterns_of_opposite_parity_do_not_overlap() -> None:
    assert not WeekPattern(1, 18, "odd").overlaps(WeekPattern(1, 18, "even"))
    assert WeekPattern(1, 18, "odd").overlaps(WeekPattern(3, 3, "all"))
