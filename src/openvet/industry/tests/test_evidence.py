"""Check-ins, journals, co-signing, evaluations and the flags of faked evidence."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.industry import evidence, selectors, services
from openvet.industry.models import CheckIn, InternshipGrade
from openvet.industry.tests.conftest import World
from openvet.lrs.models import Statement

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 16, 8, 30, tzinfo=TZ)
LAT, LON = 30.274085, 120.155070


def check_in(
    world: World, at: datetime, lat: float = LAT, lon: float = LON, device: str = ""
) -> Any:
    return services.checkin_record(
        actor=world.student_user,
        student=world.student,
        latitude=lat,
        longitude=lon,
        device=device,
        at=at,
    )


def test_a_check_in_records_the_distance_to_the_workplace(world: World) -> None:
    world.place()
    checkin = check_in(world, MONDAY, lat=LAT + 0.001)
    assert 100 <= checkin.distance_m <= 120  # a thousandth of a degree of latitude is ~111 m


def test_a_far_away_check_in_is_refused(world: World) -> None:
    world.place()
    with pytest.raises(ValidationFailed) as caught:
        check_in(world, MONDAY, lat=LAT + 0.1)
    assert caught.value.code == "far_checkin"
    assert not CheckIn.objects.exists()
    assert not Statement.objects.exists()


def test_a_check_in_is_a_learning_record_of_the_interns_school(world: World) -> None:
    placement = world.place()
    check_in(world, MONDAY)
    record = Statement.objects.get()
    assert record.verb_id == "http://adlnet.gov/expapi/verbs/attended"
    assert record.body["actor"]["account"]["name"] == str(world.student_user.pk)
    assert record.body["object"]["id"].endswith(f"/industry.placement/{placement.pk}")


def test_one_check_in_a_day(world: World) -> None:
    world.place()
    check_in(world, MONDAY)
    with pytest.raises(Conflict):
        check_in(world, MONDAY + timedelta(hours=2))


def test_no_check_in_without_an_internship_in_progress(world: World) -> None:
    with pytest.raises(ValidationFailed):
        check_in(world, MONDAY)


def test_another_user_cannot_check_in_for_a_student(world: World) -> None:
    world.place()
    with pytest.raises(PermissionDenied):
        services.checkin_record(
            actor=world.teacher, student=world.student, latitude=LAT, longitude=LON, at=MONDAY
        )


def test_journal_outside_the_period_is_refused(world: World) -> None:
    placement = world.place()
    with time_machine.travel(MONDAY), pytest.raises(ValidationFailed) as caught:
        services.journal_submit(
            actor=world.student_user,
            placement=placement,
            week_start=date(2026, 9, 7),
            text="x" * 40,
        )
    assert "week_start" in caught.value.details


def test_mentors_cosign_and_evaluate_into_a_grade(world: World) -> None:
    placement = world.place()
    with pytest.raises(ValidationFailed):  # no process record yet
        services.evaluation_record(actor=world.teacher, placement=placement, score=90, comment="ok")
    with time_machine.travel(MONDAY):
        journal = services.journal_submit(
            actor=world.student_user,
            placement=placement,
            week_start=date(2026, 3, 18),
            text="Learned to calibrate the torque tools on line 3.",
        )
    assert journal.week_start == date(2026, 3, 16)
    with pytest.raises(PermissionDenied):
        services.journal_cosign(actor=world.teacher, journal=journal)
    services.journal_cosign(actor=world.mentor, journal=journal)
    with pytest.raises(Conflict):
        services.journal_cosign(actor=world.mentor, journal=journal)
    services.evaluation_record(actor=world.teacher, placement=placement, score=92, comment="Good")
    services.evaluation_record(actor=world.mentor, placement=placement, score=84, comment="Solid")
    placement.refresh_from_db()
    assert placement.grade == InternshipGrade.GOOD  # (92 + 84) / 2 = 88


def _series(start: datetime, *, jitter: float, spread_s: int, n: int = 6) -> list[evidence.Point]:
    return [
        evidence.Point(
            start + timedelta(days=i, seconds=(i * 37 % 5) * spread_s),
            LAT + jitter * (i % 3),
            LON - jitter * (i % 2),
        )
        for i in range(n)
    ]


def test_replayed_coordinates_at_periodic_times_are_flagged() -> None:
    flags = evidence.checkin_flags(_series(MONDAY, jitter=0.000001, spread_s=0))
    assert flags == {"fixed_place", "periodic"}


def test_an_honest_intern_is_not_flagged() -> None:
    assert evidence.checkin_flags(_series(MONDAY, jitter=0.0001, spread_s=300)) == set()


def test_teleporting_is_flagged() -> None:
    points = [
        evidence.Point(MONDAY, LAT, LON),
        evidence.Point(MONDAY + timedelta(hours=1), 39.9, 116.4),
    ]
    assert "teleport" in evidence.checkin_flags(points)


def test_shared_devices_and_repeated_journals_reach_the_work_list(
    world: World, other_world: World
) -> None:
    placement = world.place()
    for day in range(2):
        check_in(world, MONDAY + timedelta(days=day), device="phone-1")
    with time_machine.travel(MONDAY + timedelta(days=8)):
        text = "Week spent on the assembly line learning the torque tools and quality checks."
        services.journal_submit(
            actor=world.student_user, placement=placement, week_start=date(2026, 3, 16), text=text
        )
        services.journal_submit(
            actor=world.student_user,
            placement=placement,
            week_start=date(2026, 3, 23),
            text=text + " ",
        )
    watch = selectors.work_list([placement], today=date(2026, 3, 30))[0]
    assert "repeated_journal" in watch.flags
    assert watch.alerts == ["silent"]
    assert "shared_device" not in watch.flags


def test_other_school_cannot_see_placements(world: World, other_world: World) -> None:
    placement = world.place()
    actor: Actor = other_world.admin
    assert not selectors.placement_list_for(actor=actor).filter(pk=placement.pk).exists()
    assert selectors.placement_list_for(actor=world.admin).filter(pk=placement.pk).exists()
    assert selectors.placement_list_for(actor=world.mentor).filter(pk=placement.pk).exists()
    assert not selectors.placement_list_for(actor=other_world.mentor).exists()


def test_a_script_late_once_is_still_periodic() -> None:
    points = [
        evidence.Point(MONDAY + timedelta(days=i), LAT + 0.0003 * (i % 3), LON) for i in range(9)
    ]
    points.append(evidence.Point(MONDAY + timedelta(days=9, hours=3), LAT, LON + 0.0003))
    assert evidence.checkin_flags(points) == {"periodic"}


def test_jittered_fixed_coordinates_are_flagged() -> None:
    jitter = [(0.00004, -0.00003), (-0.00002, 0.00004), (0.00001, 0.0), (-0.00004, -0.00004)]
    points = [
        evidence.Point(
            MONDAY + timedelta(days=i, minutes=7 * i),
            LAT + jitter[i % 4][0],
            LON + jitter[i % 4][1],
        )
        for i in range(8)
    ]
    assert evidence.checkin_flags(points) == {"fixed_place"}


def test_one_device_at_two_far_workplaces_at_once_teleports() -> None:
    near = evidence.DevicePoint(1, MONDAY, LAT, LON)
    far = evidence.DevicePoint(2, MONDAY + timedelta(seconds=20), LAT + 0.2, LON)
    later = evidence.DevicePoint(3, MONDAY + timedelta(hours=5), LAT + 0.2, LON + 0.01)
    assert evidence.device_teleports({"phone": [far, near, later]}) == {1, 2}
