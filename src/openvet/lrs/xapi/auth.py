"""HTTP Basic credentials of xAPI clients, verified once and remembered (ADR 0404).

A client secret is 32 random bytes, stored as its SHA-256: no password hash is needed for a
secret nobody chose, and checking it costs microseconds. The answer for a given Authorization
header is also kept for ``TTL`` seconds, so a burst of statements costs no query for it; a
deactivated client is refused at most ``TTL`` seconds later.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from openvet.lrs.models import Client

TTL = 60.0
_MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class ClientCredentials:
    id: int
    key: str
    name: str
    school_id: int
    can_read: bool
    can_write: bool
    xapi_version: str = "2.0.0"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_key_and_secret() -> tuple[str, str]:
    return secrets.token_hex(16), secrets.token_urlsafe(32)


_remembered: dict[str, tuple[float, ClientCredentials | None]] = {}


def forget() -> None:
    """Drop every remembered answer (after a client changes; tests)."""
    _remembered.clear()


def _verify(header: str) -> ClientCredentials | None:
    scheme, _space, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    key, _colon, secret = decoded.partition(":")
    client = Client.objects.filter(key=key, is_active=True).first()
    if client is None or not hmac.compare_digest(client.secret_digest, digest(secret)):
        return None
    return ClientCredentials(
        client.pk,
        client.key,
        client.name,
        client.school_id,
        client.can_read,
        client.can_write,
        client.xapi_version,
    )


def client_of(header: str) -> ClientCredentials | None:
    """The client whose key and secret the Basic ``header`` carries, or None."""
    if not header:
        return None
    now = time.monotonic()
    remembered_as = hashlib.sha256(header.encode()).hexdigest()  # no secret kept in memory
    found = _remembered.get(remembered_as)
    if found is not None and found[0] > now:
        return found[1]
    client = _verify(header)
    if len(_remembered) >= _MAX_ENTRIES:
        _remembered.clear()
    _remembered[remembered_as] = (now + TTL, client)
    return client
