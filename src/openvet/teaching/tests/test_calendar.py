import random
from datetime import date, timedelta

from openvet.teaching.calendar import (
    Change,
    Lecture,
    WeekPattern,
    expand,
    make_calendar,
)

START = date(2025, 9, 1)  # Monday of week 1
PARITIES = ("all", "odd", "even")


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


def test_a_window_holds_the_same_lectures_as_the_whole_term() -> None:
    """A week or a day is dated on its own: holidays, make-up days moving lectures across
    weeks, training weeks and changes moving lectures into or out of the window give the same
    lectures as expanding the whole term and keeping the window's dates."""
    rng = random.Random(20261207)
    weeks = 18
    for _ in range(200):
        days = [START + timedelta(days=n) for n in range(7 * weeks)]
        holidays = rng.sample(days, 6)
        workdays = [(rng.choice(days), rng.choice(holidays)) for _ in range(3)]
        calendar = make_calendar(START, weeks, holidays, workdays)
        lectures = [
            Lecture(
                entry_id=n,
                task_id=n % 4,
                weekday=rng.randint(1, 7),
                period_start=rng.randint(1, 8),
                length=rng.randint(1, 3),
                room_id=n,
                pattern=WeekPattern(rng.randint(1, 6), rng.randint(8, 20), rng.choice(PARITIES)),
                class_ids=frozenset({10 + n % 3}),
            )
            for n in range(8)
        ]
        training = {rng.randint(1, weeks): frozenset({10, 11}) for _ in range(3)}
        full = expand(calendar, lectures, training)
        changes = [
            Change(
                n,
                rng.choice(("reschedule", "cancel", "makeup")),
                held.task_id,
                held.date,
                held.period_start,
                rng.choice(days),
                rng.randint(1, 8),
                None,
                None,
            )
            for n, held in enumerate(rng.sample(full, 6))
        ]
        full = expand(calendar, lectures, training, changes)
        first = rng.choice(days)
        last = first + timedelta(days=rng.choice((0, 6)))
        windowed = expand(calendar, lectures, training, changes, between=(first, last))
        assert windowed == [o for o in full if first <= o.date <= last]
