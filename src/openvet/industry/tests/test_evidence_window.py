"""The check-in flags judge a bounded window of check-ins (ADR 0625): within it they answer as
the pure evidence functions do over the whole history; older check-ins are not read."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openvet.industry import evidence, selectors
from openvet.industry.models import CheckIn
from openvet.industry.tests.conftest import World

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 6, 30)
LAT, LON = 30.274085, 120.155070


def _row(
    placement: Any, day: date, lat: float, lon: float, device: str, at: datetime | None = None
) -> Any:
    at = at or datetime(day.year, day.month, day.day, 8, (day.day * 7) % 60, tzinfo=TZ)
    return CheckIn(
        placement=placement,
        at=at,
        day=day,
        latitude=Decimal(f"{lat:.6f}"),
        longitude=Decimal(f"{lon:.6f}"),
        distance_m=0,
        device=device,
    )


def _whole_history_flags(placements: list[Any]) -> dict[int, set[str]]:
    """The flags as the work list judged them before ADR 0625: every check-in ever made."""
    rows = list(CheckIn.objects.order_by("at"))
    flags: dict[int, set[str]] = {}
    for placement in placements:
        mine = [r for r in rows if r.placement_id == placement.pk]
        points = [evidence.Point(r.at, float(r.latitude), float(r.longitude)) for r in mine]
        flags[placement.pk] = evidence.checkin_flags(points)
    accounts: dict[str, set[int]] = {}
    by_device: dict[str, list[evidence.DevicePoint]] = {}
    for r in rows:
        accounts.setdefault(r.device, set()).add(r.placement_id)
        by_device.setdefault(r.device, []).append(
            evidence.DevicePoint(r.placement_id, r.at, float(r.latitude), float(r.longitude))
        )
    shared = evidence.shared_devices(accounts)
    for placement_id in evidence.device_teleports(by_device):
        flags[placement_id].add("teleport")
    for r in rows:
        if r.device in shared:
            flags[r.placement_id].add("shared_device")
    return flags


@pytest.fixture
def three(world: World, other_world: World) -> list[Any]:
    third = World("School C", body="MA0000033")
    return [world.place(), other_world.place(), third.place()]


def _flags(placements: list[Any]) -> dict[int, set[str]]:
    return {w.placement.pk: w.flags for w in selectors.work_list(placements, today=TODAY)}


def test_within_the_window_the_flags_are_the_whole_historys(three: list[Any]) -> None:
    script, honest, teleported = three
    rows = []
    for back in range(1, 10):
        day = TODAY - timedelta(days=back)
        eight = datetime(day.year, day.month, day.day, 8, tzinfo=TZ)
        # A script: one spot with a tiny jitter, 08:00:00 every day, one phone.
        rows.append(_row(script, day, LAT + 1e-6 * (back % 2), LON, "script-phone", eight))
        # An honest intern: tens of metres of GPS scatter, arriving over an hour.
        arrival = eight - timedelta(minutes=(back * 13) % 70)
        near = (LAT + 3e-4 * (back % 3), LON - 2e-4 * (back % 2))
        rows.append(_row(honest, day, *near, "own-phone", arrival))
        # The script phone checks in, seconds later, for an intern 100 km away.
        far = eight + timedelta(seconds=20)
        rows.append(_row(teleported, day, LAT + 0.9, LON, "script-phone", far))
    CheckIn.objects.bulk_create(rows)

    found = _flags(three)

    assert found == _whole_history_flags(three)
    assert found[script.pk] == {"fixed_place", "periodic", "teleport"}
    assert found[honest.pk] == set()
    assert "teleport" in found[teleported.pk]


def test_a_script_started_after_honest_weeks_is_seen(world: World) -> None:
    placement = world.place()
    rows = [
        _row(placement, TODAY - timedelta(days=back), LAT + 3e-4 * (back % 5), LON, "p")
        for back in range(60, 30, -1)
    ]
    rows += [
        _row(placement, TODAY - timedelta(days=back), LAT, LON, "p") for back in range(8, 0, -1)
    ]
    CheckIn.objects.bulk_create(rows)

    assert "fixed_place" in _flags([placement])[placement.pk]
    # The whole history's scatter hid it.
    assert "fixed_place" not in _whole_history_flags([placement])[placement.pk]


def test_an_old_last_check_in_is_still_shown_and_counts_for_the_silent_alert(
    world: World,
) -> None:
    placement = world.place()
    old = _row(placement, TODAY - timedelta(days=45), LAT, LON, "p")
    CheckIn.objects.bulk_create([old])

    watch = selectors.work_list([placement], today=TODAY)[0]

    assert watch.last_checkin == old.at
    assert watch.alerts == ["silent"]
    assert watch.flags == set()


def test_the_reads_do_not_grow_with_the_history(world: World) -> None:
    placement = world.place()
    CheckIn.objects.bulk_create(
        _row(placement, TODAY - timedelta(days=back), LAT, LON, "p") for back in range(1, 150)
    )
    with CaptureQueriesContext(connection) as read:
        selectors.work_list([placement], today=TODAY)
    checkin_reads = [q["sql"] for q in read.captured_queries if "industry_checkin" in q["sql"]]
    assert len(checkin_reads) == 2
    assert all('"day" >=' in sql for sql in checkin_reads)
