"""Honest video progress, free of Django (ADR 0702).

A player reports what it played as heartbeats: the segment ``[start, end]`` of the video (in
seconds) played since its previous heartbeat. The server keeps the time of the last accepted
heartbeat and credits a segment only if real time allowed it to be played at normal speed:
``end - start`` may not exceed the seconds elapsed on the server's clock since then (plus a
little slack for network jitter). A segment that does not start where the learner is known
to be, or is longer than a heartbeat can be, is refused. Credited segments are merged into
intervals, so seeking ahead counts nothing and watching a part twice counts it once.
"""

from dataclasses import dataclass

# Players send a heartbeat every 10 s; a segment longer than this is not a heartbeat.
MAX_SEGMENT_SECONDS = 30.0
# Network and timer jitter between two heartbeats, in seconds.
SLACK_SECONDS = 2.0
# Playback may not run faster than real time (speed 1.0); the slack above absorbs jitter.
MAX_RATE = 1.0
# Stored intervals are rounded to hundredths, so the next stretch of a continuous play starts a
# few thousandths after the stored end: stretches this close are one interval.
JOIN_SECONDS = 0.1

Interval = tuple[float, float]


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reason: str = ""  # "too_fast", "too_long", "out_of_range", "backwards", "no_start"


def judge(
    *,
    start: float,
    end: float,
    duration: float,
    elapsed: float | None,
) -> Verdict:
    """Whether a heartbeat ``[start, end]`` may be credited, ``elapsed`` seconds (server time)
    after the previous accepted heartbeat or start (None when playing was never started)."""
    if elapsed is None:
        return Verdict(False, "no_start")
    if not (0 <= start <= end <= duration + SLACK_SECONDS):
        return Verdict(False, "out_of_range" if end >= start else "backwards")
    played = end - start
    if played > MAX_SEGMENT_SECONDS:
        return Verdict(False, "too_long")
    if played > elapsed * MAX_RATE + SLACK_SECONDS:
        return Verdict(False, "too_fast")
    return Verdict(True)


def merge(intervals: list[Interval], segment: Interval) -> list[Interval]:
    """``intervals`` (sorted, disjoint) with ``segment`` added, merged where they touch (closer
    than ``JOIN_SECONDS``)."""
    merged: list[Interval] = []
    start, end = segment
    placed = False
    for a, b in sorted(intervals):
        if b + JOIN_SECONDS < start:
            merged.append((a, b))
        elif a > end + JOIN_SECONDS:
            if not placed:
                merged.append((start, end))
                placed = True
            merged.append((a, b))
        else:
            start, end = min(a, start), max(b, end)
    if not placed:
        merged.append((start, end))
    return sorted(merged)


def snap_to_edges(segment: Interval, duration: float) -> Interval:
    """``segment`` with an end closer than ``JOIN_SECONDS`` to the video's start or end moved
    onto it: a player reports its first position once playback has begun (0.01 s on a busy
    phone), and a learner who watched from the first frame to the last has watched it all."""
    start, end = segment
    if start < JOIN_SECONDS:
        start = 0.0
    if duration - JOIN_SECONDS < end < duration:
        end = duration
    return start, max(start, end)


def covered(intervals: list[Interval], duration: float) -> float:
    """Seconds of the video inside ``intervals``, at most ``duration``."""
    return sum(max(0.0, min(b, duration) - max(a, 0.0)) for a, b in intervals)


def watched_percent(intervals: list[Interval], duration: float) -> int:
    if duration <= 0:
        return 0
    return min(100, int(covered(intervals, duration) * 100 // duration))
