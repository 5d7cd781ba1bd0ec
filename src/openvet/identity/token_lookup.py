"""Bearer-token authentication on an async PostgreSQL connection, for lean ASGI paths.

The burst path of course selection (ADR 0303) answers before Django's middleware stack, so
it cannot use ``TokenAuth``. It authenticates here with the same rules as
``tokens.token_authenticate`` and ``TokenAuth``: the SHA-256 digest of the secret, not
revoked, not expired, an active user, the scopes of ``token_allows``, and ``last_used_at``
refreshed at most once a minute. One indexed query (plus the rare refresh).
"""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from psycopg import AsyncConnection

from openvet.identity.models import ApiToken, User
from openvet.identity.tokens import _TOUCH_INTERVAL, TOKEN_PREFIX, token_allows, token_digest

_TOKENS = ApiToken._meta.db_table
_USERS = User._meta.db_table
_USERNAME = User._meta.get_field(User.USERNAME_FIELD).column  # type: ignore[union-attr]

_LOOKUP = (
    f"SELECT t.id, t.scopes, t.last_used_at, u.id, u.{_USERNAME} "  # noqa: S608 - model names
    f"FROM {_TOKENS} t JOIN {_USERS} u ON u.id = t.user_id "
    "WHERE t.digest = %s AND t.revoked_at IS NULL "
    "AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.is_active"
)
_TOUCH = f"UPDATE {_TOKENS} SET last_used_at = %s WHERE id = %s"  # noqa: S608 - model names


@dataclass(frozen=True)
class TokenHolder:
    """Who a usable token belongs to, and whether its scopes cover the request's method."""

    user_id: int
    username: str
    allowed: bool


async def token_holder(
    conn: AsyncConnection[Any], *, secret: str, method: str
) -> TokenHolder | None:
    """The holder of the usable token ``secret`` names, or None (autocommit connection)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    cursor = await conn.execute(_LOOKUP, [token_digest(secret)])
    row = await cursor.fetchone()
    if row is None:
        return None
    token_id, scopes, last_used_at, user_id, username = row
    now = timezone.now()
    if last_used_at is None or now - last_used_at > _TOUCH_INTERVAL:
        await conn.execute(_TOUCH, [now, token_id])
    allowed = token_allows(ApiToken(scopes=list(scopes or [])), method)
    return TokenHolder(user_id=int(user_id), username=str(username), allowed=allowed)
