from openvet.teaching.calendar import WeekPattern
from openvet.teaching.clashes import Slot, all_clashes, clash_between, clashes_with


def slot(
    entry: int,
    *,
    teacher: int = 1,
    klass: int = 10,
    room: int | None = 100,
    weekday: int = 1,
    start: int = 1,
    length: int = 2,
    parity: str = "all",
    weeks: tuple[int, int] = (1, 18),
) -> Slot:
    return Slot(
        entry_id=entry,
        task_id=entry,
        weekday=weekday,
        period_start=start,
        length=length,
        room_id=room,
        pattern=WeekPattern(*weeks, parity),
        teacher_ids=frozenset({teacher}),
        class_ids=frozenset({klass}),
    )


def test_same_teacher_same_time_clashes() -> None:
    clash = clash_between(slot(1), slot(2, klass=11, room=101))
    assert clash is not None
    assert (clash.teachers, clash.classes, clash.room_id) == (frozenset({1}), frozenset(), None)


def test_same_class_clashes() -> None:
    clash = clash_between(slot(1), slot(2, teacher=2, room=101))
    assert clash is not None
    assert clash.classes == frozenset({10})


def test_same_room_clashes() -> None:
    clash = clash_between(slot(1), slot(2, teacher=2, klass=11))
    assert clash is not None
    assert clash.room_id == 100


def test_odd_and_even_weeks_share_a_slot() -> None:
    assert clash_between(slot(1, parity="odd"), slot(2, parity="even")) is None


def test_odd_week_clashes_with_a_single_odd_week() -> None:
    clash = clash_between(slot(1, parity="odd"), slot(2, weeks=(5, 6)))
    assert clash is not None
    assert clash.weeks == frozenset({5})


def test_disjoint_week_ranges_do_not_clash() -> None:
    assert clash_between(slot(1, weeks=(1, 8)), slot(2, weeks=(9, 18))) is None


def test_adjacent_periods_do_not_clash() -> None:
    assert clash_between(slot(1, start=1, length=2), slot(2, start=3)) is None


def test_overlapping_periods_clash() -> None:
    assert clash_between(slot(1, start=1, length=3), slot(2, start=3)) is not None


def test_other_weekday_does_not_clash() -> None:
    assert clash_between(slot(1), slot(2, weekday=2)) is None


def test_unrelated_lectures_do_not_clash() -> None:
    assert clash_between(slot(1), slot(2, teacher=2, klass=11, room=101)) is None


def test_no_room_never_clashes_on_room() -> None:
    assert clash_between(slot(1, room=None), slot(2, teacher=2, klass=11, room=None)) is None


def test_clashes_with_skips_the_entry_itself() -> None:
    assert clashes_with(slot(1), [slot(1)]) == []


def test_all_clashes_finds_each_pair_once() -> None:
    found = all_clashes([slot(1), slot(2), slot(3, weekday=2)])
    assert [(c.first.entry_id, c.second.entry_id) for c in found] == [(1, 2)]
