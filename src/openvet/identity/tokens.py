"""Personal access tokens for the API: create (secret shown once), list, revoke, authenticate.

A token is ``ovt_`` plus 43 random URL-safe characters. Only its SHA-256 digest is stored,
beside a short prefix kept in clear so that a person can tell their tokens apart. Scopes:
``read`` (safe methods), ``write`` (everything else; implies ``read``) and ``pii`` (clear
personal data on an explicit ``?reveal=pii``, for roles that may reveal it; ``core.pii``).
"""

import hashlib
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import NotFound, ValidationFailed
from openvet.core.pii import TOKEN_SCOPE
from openvet.core.policy import Actor
from openvet.identity.models import ApiToken, User

TOKEN_PREFIX = "ovt_"  # noqa: S105 - a public marker, not a secret
SCOPE_READ = "read"
SCOPE_WRITE = "write"
SCOPE_PII = TOKEN_SCOPE
SCOPES = (SCOPE_READ, SCOPE_WRITE, SCOPE_PII)
_CLEAR_PREFIX_LENGTH = 12
# last_used_at is refreshed at most this often, so that reads do not each cost a write.
_TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _normalise_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ValidationFailed(
            details={"scopes": _("Choose the scopes among read, write and pii.")}
        )
    chosen = set(scopes) | {SCOPE_READ}
    return [scope for scope in SCOPES if scope in chosen]


@transaction.atomic
def token_create(
    *,
    actor: Actor,
    user: User,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
) -> IssuedToken:
    """Issue a token to ``user`` (who must be the actor: tokens are personal)."""
    if actor is None or actor.pk != user.pk:
        raise NotFound()
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("A name is required.")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry date must be in the future.")
    if errors:
        raise ValidationFailed(details=errors)
    chosen = _normalise_scopes(scopes)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=secret[:_CLEAR_PREFIX_LENGTH],
        digest=token_digest(secret),
        scopes=chosen,
        expires_at=expires_at,
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=token,
        org=user.home_org,
        actor=actor,
        changes={
            "name": token.name,
            "scopes": chosen,
            "expires_at": expires_at.isoformat() if expires_at else "",
        },
    )
    return IssuedToken(token=token, secret=secret)


def token_list_for(*, actor: Actor) -> QuerySet[ApiToken]:
    """The actor's own tokens, newest first, revoked ones included."""
    return ApiToken.objects.filter(user_id=actor.pk).order_by("-created_at", "-id")


def token_get_for(*, actor: Actor, token_id: int) -> ApiToken:
    token = token_list_for(actor=actor).filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    return token


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's tokens. Revoking twice keeps the first time."""
    if actor is None or token.user_id != actor.pk:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditAction.SECURITY,
            obj=token,
            org=getattr(actor, "home_org", None),
            actor=actor,
            changes={"token": "revoked"},
        )
    return token


def token_authenticate(*, secret: str) -> ApiToken | None:
    """The usable token of an active user that ``secret`` names, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_allows(token: ApiToken, method: str) -> bool:
    """Whether the token's scopes cover an HTTP method."""
    return scopes_allow(token.scopes, method)


def scopes_allow(scopes: Collection[str], method: str) -> bool:
    """Whether ``scopes`` cover an HTTP method: read for safe methods, write for the others."""
    if method.upper() in ("GET", "HEAD", "OPTIONS"):
        return SCOPE_READ in scopes
    return SCOPE_WRITE in scopes
