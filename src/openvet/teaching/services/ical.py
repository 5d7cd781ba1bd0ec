"""iCalendar feeds (RFC 5545): a person's dated lectures, reached by a secret URL token."""

import secrets
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from openvet.core.audit import AuditAction, audit_record
from openvet.core.policy import Actor
from openvet.teaching import selectors
from openvet.teaching.calendar import Occurrence
from openvet.teaching.models import BellPeriod, FeedToken, Room, Term, TimetableEntry


def feed_token_for(*, user: Any) -> FeedToken:
    token, _created = FeedToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token


@transaction.atomic
def feed_token_reset(*, actor: Actor) -> FeedToken:
    """A new secret: the old feed URL stops working."""
    FeedToken.objects.update_or_create(user=actor, defaults={"token": secrets.token_urlsafe(32)})
    token = FeedToken.objects.get(user=actor.pk)
    audit_record(
        action=AuditAction.SECURITY,
        obj=token,
        actor=actor,
        changes={"feed_token": ["reset", "reset"]},
    )
    return token


def user_of_token(token: str) -> Any | None:
    found = FeedToken.objects.filter(token=token).select_related("user").first()
    if found is None or not found.user.is_active:
        return None
    return found.user


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 74:
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(day: date, at: time) -> str:
    local = datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(
    o: Occurrence,
    courses: dict[int, str],
    rooms: dict[int, Room],
    bells: dict[int, BellPeriod],
    stamp: str,
) -> list[str]:
    first, last = bells.get(o.period_start), bells.get(o.period_start + o.length - 1)
    if first is None or last is None:
        return []
    room = rooms.get(o.room_id or 0)
    return [
        "BEGIN:VEVENT",
        f"UID:teaching-{o.task_id}-{o.date:%Y%m%d}-{o.period_start}@openvet",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(o.date, first.starts_at)}",
        f"DTEND:{_utc(o.date, last.ends_at)}",
        f"SUMMARY:{_escape(courses.get(o.task_id, ''))}",
        *([f"LOCATION:{_escape(str(room))}"] if room is not None else []),
        "END:VEVENT",
    ]


def _entries_of(user: Any, term: Term) -> list[TimetableEntry]:
    return selectors.my_entries_for(user=user, term=term)


def calendar_feed(*, user: Any, terms: list[Term]) -> str:
    """The VCALENDAR of ``user``'s lectures in ``terms`` (taught or attended)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//OpenVET//Teaching//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for term in terms:
        entries = _entries_of(user, term)
        if not entries:
            continue
        bells = {b.number: b for b in selectors.bell_periods(term.org)}
        rooms = {r.pk: r for r in Room.objects.filter(org=term.org)}
        courses = {e.task_id: e.task.course.name for e in entries}
        for o in selectors.occurrences(term, entries):
            lines += _event(o, courses, rooms, bells, stamp)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
