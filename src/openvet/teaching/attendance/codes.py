"""Rotating sign-in codes: an HMAC of the session id and a 15-second window.

Nothing is stored per rotation: the server recomputes the codes of the last windows. A code
is accepted for 60 seconds from the start of its window (the moment it appears on the
teacher's screen), so a student who reads it just before it rotates still has time to type it.
"""

import hashlib
import hmac
from datetime import datetime
from math import asin, cos, radians, sin, sqrt

from django.conf import settings

ROTATION_SECONDS = 15
VALID_SECONDS = 60
_WINDOWS = VALID_SECONDS // ROTATION_SECONDS


def _window(now: datetime) -> int:
    return int(now.timestamp()) // ROTATION_SECONDS


def code_for(session_id: int, window: int) -> str:
    message = f"teaching.attendance:{session_id}:{window}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"{int(digest[:12], 16) % 1_000_000:06d}"


def current_code(session_id: int, now: datetime) -> tuple[str, int]:
    """The code to show now and the seconds until the next one."""
    window = _window(now)
    left = ROTATION_SECONDS - int(now.timestamp()) % ROTATION_SECONDS
    return code_for(session_id, window), left


def code_is_valid(session_id: int, code: str, now: datetime) -> bool:
    given = code.strip()
    current = _window(now)
    return any(
        hmac.compare_digest(code_for(session_id, window), given)
        for window in range(current - _WINDOWS + 1, current + 1)
    )


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine; plenty for a campus)."""
    p1, p2 = radians(lat1), radians(lat2)
    dp, dl = p2 - p1, radians(lng2 - lng1)
    a = sin(dp / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 2 * 6_371_000 * asin(sqrt(a))
