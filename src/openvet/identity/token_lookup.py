"""Bearer-token authentication in raw SQL on PostgreSQL, for lean ASGI paths.

The burst path of course selection (ADR 0303) answers before Django's middleware stack, so
it cannot use ``TokenAuth``. It authenticates with the same rules as
``tokens.token_authenticate`` and ``TokenAuth``: the SHA-256 digest of the secret, not
revoked, not expired, an active user, the scopes (``scopes_allow``, as ``token_allows``),
and ``last_used_at`` refreshed at most once a minute. ``USABLE_TOKEN`` is a query the caller
embeds in its own statement (ADR 0314: the whole read of a click is one statement);
``holder_of`` and ``touch_if_stale`` apply the rest of the rules to its row.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from psycopg import AsyncConnection

from openvet.identity.models import ApiToken, User
from openvet.identity.tokens import _TOUCH_INTERVAL, TOKEN_PREFIX, scopes_allow, token_digest

_TOKENS = ApiToken._meta.db_table
_USERS = User._meta.db_table
_USERNAME = User._meta.get_field(User.USERNAME_FIELD).column  # type: ignore[union-attr]

# The usable token whose digest is the named parameter ``%(digest)s``: columns token_id,
# scopes, last_used_at, user_id, username (in that order).
USABLE_TOKEN = (
    "SELECT t.id AS token_id, t.scopes, t.last_used_at, u.id AS user_id, "  # noqa: S608
    f"u.{_USERNAME} AS username FROM {_TOKENS} t JOIN {_USERS} u ON u.id = t.user_id "
    "WHERE t.digest = %(digest)s AND t.revoked_at IS NULL "
    "AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.is_active"
)
_TOUCH = f"UPDATE {_TOKENS} SET last_used_at = %s WHERE id = %s"  # noqa: S608 - model names


@dataclass(frozen=True)
class TokenHolder:
    """Who a usable token belongs to, and whether its scopes cover the request's method."""

    token_id: int
    user_id: int
    username: str
    allowed: bool
    last_used_at: datetime | None


def digest_of(secret: str) -> str | None:
    """The digest to look ``secret`` up by, or None when it cannot be one of our tokens."""
    return token_digest(secret) if secret.startswith(TOKEN_PREFIX) else None


def holder_of(row: tuple[Any, ...], *, method: str) -> TokenHolder:
    """The holder from a row of ``USABLE_TOKEN``'s columns."""
    token_id, scopes, last_used_at, user_id, username = row
    allowed = scopes_allow(scopes or [], method)
    return TokenHolder(int(token_id), int(user_id), str(username), allowed, last_used_at)


async def touch_if_stale(conn: AsyncConnection[Any], holder: TokenHolder) -> None:
    """Refresh ``last_used_at`` at most once a minute, as ``token_authenticate`` does."""
    now = timezone.now()
    if holder.last_used_at is None or now - holder.last_used_at > _TOUCH_INTERVAL:
        await conn.execute(_TOUCH, [now, holder.token_id])
