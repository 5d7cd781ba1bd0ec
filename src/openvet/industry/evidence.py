"""Honest evidence: distances of check-ins and the patterns of faked check-ins and journals.

Check-in scripts of other platforms replay one coordinate with a tiny jitter, at perfectly
periodic times, from one device for many accounts, or jump between places faster than any
travel. These functions are pure (lists in, flags out) so that the school mentor's list and
the benchmark use the same tests.
"""

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from statistics import median, pstdev

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARTH_RADIUS_M = 6_371_000
# A phone's GPS scatters a fixed place by metres to tens of metres (more indoors), and an
# intern does not stand on the same square metre every morning; a replayed coordinate with
# script jitter (a few 1e-5 degrees) stays within a few metres of its centre (ADR 0609).
MIN_NATURAL_SCATTER_M = 8.0
# Real check-ins spread their time of day by more than this (seconds); a scheduled script
# fires at the same second every day.
MIN_NATURAL_SPREAD_S = 60.0
# ... or nearly every day: a script that is late once (a retry, a check-in by hand) still
# puts this share of its check-ins within PERIODIC_WINDOW_S of their median time of day.
PERIODIC_SHARE = 0.8
PERIODIC_WINDOW_S = 30
MAX_SPEED_KMH = 300.0
SHARED_DEVICE_ACCOUNTS = 3
SIMILAR_JOURNAL_RATIO = 0.9
MIN_SERIES = 5

FLAG_LABELS = {
    "fixed_place": _("Coordinates that never move"),
    "periodic": _("Perfectly periodic check-in times"),
    "teleport": _("Impossible travel speed between check-ins"),
    "shared_device": _("Device shared with other students"),
    "repeated_journal": _("Journal repeats an earlier one"),
}


@dataclass(frozen=True)
class Point:
    at: datetime
    latitude: float
    longitude: float
    device: str = ""


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def scatter_m(points: Sequence[Point]) -> float:
    lat = sum(p.latitude for p in points) / len(points)
    lon = sum(p.longitude for p in points) / len(points)
    return max(distance_m(lat, lon, p.latitude, p.longitude) for p in points)


def _seconds_of_day(points: Sequence[Point]) -> list[int]:
    local = [timezone.localtime(p.at) for p in points]
    return [t.hour * 3600 + t.minute * 60 + t.second for t in local]


def _periodic(seconds: list[int]) -> bool:
    if pstdev(seconds) < MIN_NATURAL_SPREAD_S:
        return True
    centre = median(seconds)
    near = sum(1 for s in seconds if abs(s - centre) <= PERIODIC_WINDOW_S)
    return near >= PERIODIC_SHARE * len(seconds)


def checkin_flags(points: Sequence[Point]) -> set[str]:
    """Flags of one intern's check-ins (in time order)."""
    flags: set[str] = set()
    if len(points) >= MIN_SERIES and scatter_m(points) < MIN_NATURAL_SCATTER_M:
        flags.add("fixed_place")
    if len(points) >= MIN_SERIES and _periodic(_seconds_of_day(points)):
        flags.add("periodic")
    for a, b in itertools.pairwise(points):
        hours = max((b.at - a.at).total_seconds(), 1.0) / 3600
        km = distance_m(a.latitude, a.longitude, b.latitude, b.longitude) / 1000
        if km > 1 and km / hours > MAX_SPEED_KMH:
            flags.add("teleport")
            break
    return flags


@dataclass(frozen=True)
class DevicePoint:
    """A check-in as a device made it: which placement, when and where."""

    placement_id: int
    at: datetime
    latitude: float
    longitude: float


def device_teleports(device_points: dict[str, list[DevicePoint]]) -> set[int]:
    """Placements whose check-ins came from a device that was, a moment before or after, at
    another placement's workplace too far away to travel (one phone checking in for interns
    of several workplaces). Each device's points are taken in time order."""
    found: set[int] = set()
    for device, points in device_points.items():
        if not device:
            continue
        ordered = sorted(points, key=lambda p: p.at)
        for a, b in itertools.pairwise(ordered):
            if a.placement_id == b.placement_id:
                continue
            hours = max((b.at - a.at).total_seconds(), 1.0) / 3600
            km = distance_m(a.latitude, a.longitude, b.latitude, b.longitude) / 1000
            if km > 1 and km / hours > MAX_SPEED_KMH:
                found |= {a.placement_id, b.placement_id}
    return found


def shared_devices(device_accounts: dict[str, set[int]]) -> set[str]:
    """Devices used by at least ``SHARED_DEVICE_ACCOUNTS`` different interns."""
    return {d for d, who in device_accounts.items() if d and len(who) >= SHARED_DEVICE_ACCOUNTS}


def is_repeated(text: str, earlier: Sequence[str]) -> bool:
    """True when ``text`` is (nearly) the same as one of ``earlier`` journals."""
    normalised = "".join(text.split())
    for other in earlier:
        other_n = "".join(other.split())
        if normalised == other_n:
            return True
        if SequenceMatcher(None, normalised, other_n).ratio() >= SIMILAR_JOURNAL_RATIO:
            return True
    return False
