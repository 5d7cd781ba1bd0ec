"""API authentication: the browser session (with CSRF) or a personal access token.

``Authorization: Bearer ovt_...`` names a token; only its digest is stored
(``identity.tokens``). A read-only token is refused (403) on any unsafe method. Password
sign-in for scripts and SPA clients goes through Django's ``authenticate``, so the lockout
(django-axes), the failure audit and the identifier rules are the same as on the login page.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from openvet.core.errors import DomainError, PermissionDenied
from openvet.identity import selectors
from openvet.identity.lockout import lockout_clear_for, lockout_message
from openvet.identity.middleware import needs_totp
from openvet.identity.models import User
from openvet.identity.tokens import token_allows, token_authenticate


class LockedOutError(DomainError):
    code = "locked_out"
    status = 429


class BadCredentialsError(DomainError):
    code = "invalid_credentials"
    status = 401


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ovt_...``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = token_authenticate(secret=token.strip())
        if api_token is None:
            return None
        if not token_allows(api_token, request.method or "GET"):
            raise PermissionDenied(
                _("This token is read-only; create a token with the write scope."),
                code="insufficient_scope",
            )
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class ActiveSessionAuth(SessionAuth):
    """The signed-in browser session; unsafe methods need the CSRF token."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # No session cookie: no session to forge a request with, so no CSRF check; the
        # request is unauthenticated (401), not a CSRF failure (403).
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        # Ninja's own check answers in English ("CSRF check Failed"); ours speaks the
        # request's language with the same code as sign-in and token creation.
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            require_csrf(request)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


session_or_token = [TokenAuth(), ActiveSessionAuth()]


def require_csrf(request: HttpRequest) -> None:
    """Session writes outside ``SessionAuth`` (sign-in, token creation) check CSRF too."""
    if check_csrf(request) is not None:
        raise PermissionDenied(
            _(
                "The CSRF check failed. Get a token from /api/v1/identity/csrf-tokens and send "
                "it in the X-CSRFToken header."
            ),
            code="csrf_failed",
        )


def _check_second_factor(request: HttpRequest, user: User, totp_code: str) -> Any:
    """The confirmed TOTP device that ``totp_code`` matches, for accounts that need one."""
    if not needs_totp(user):
        return None
    device = selectors.totp_device_for(user=user)
    if device is None or not device.confirmed or not device.verify_token(totp_code or ""):
        raise PermissionDenied(
            _("Administrators must also send a current one-time code (totp_code)."),
            code="totp_required",
        )
    return device


def user_from_credentials(
    request: HttpRequest, *, username: str, password: str, totp_code: str = ""
) -> tuple[User, Any]:
    """The account these credentials sign in to, and its confirmed 2FA device if any.

    Raises 401 for wrong credentials, 429 when django-axes has locked the account or
    address, 403 when a second factor or a password change is required first.
    """
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LockedOutError(lockout_message())
    if not isinstance(user, User):
        raise BadCredentialsError(
            _("The account or password is wrong. Please check and try again.")
        )
    device = _check_second_factor(request, user, totp_code)
    if user.must_change_password:
        raise PermissionDenied(
            _("You must change your initial password first."), code="action_required"
        )
    # A token is issued without Django's login signal: clear the account's failures here.
    lockout_clear_for(username=user.get_username())
    return user, device


def session_user(request: HttpRequest) -> User | None:
    """The active user of the request's session, if any (CSRF is checked by the caller)."""
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_active:
        return user
    return None
