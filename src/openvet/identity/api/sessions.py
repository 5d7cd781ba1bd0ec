"""Session sign-in for single-page and mobile clients; scripts use tokens instead.

The flow: ``GET /identity/csrf-tokens`` (sets the CSRF cookie and returns the token), then
``POST /identity/sessions`` with ``X-CSRFToken``; later unsafe requests send the same header.
``DELETE /identity/sessions/current`` ends the session. Sign-in is rate-limited per client
address and shares the login page's lockout.
"""

from typing import Any

from django.contrib.auth import login, logout
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django_otp import login as otp_login
from ninja import Router, Status

from openvet.core.api.schemas import error_responses
from openvet.core.api.throttling import sign_in_throttle
from openvet.identity import selectors
from openvet.identity.api.auth import require_csrf, user_from_credentials
from openvet.identity.api.schemas import CsrfOut, LoginIn, MeOut

router = Router(tags=["auth"])


@router.get(
    "/csrf-tokens",
    auth=None,
    response={200: CsrfOut},
    operation_id="auth_csrf",
    summary="Get a CSRF token for session requests",
)
def auth_csrf(request: HttpRequest) -> dict[str, str]:
    return {"csrf_token": get_token(request)}


@router.post(
    "/sessions",
    auth=None,
    throttle=[sign_in_throttle()],
    response={200: MeOut, **error_responses(400, 401, 403, 413, 422, 429)},
    operation_id="auth_login",
    summary="Sign in and start a session",
)
def auth_login(request: HttpRequest, payload: LoginIn) -> dict[str, Any]:
    """Needs the CSRF token. Administrators also send `totp_code`."""
    require_csrf(request)
    user, device = user_from_credentials(
        request,
        username=payload.username,
        password=payload.password,
        totp_code=payload.totp_code,
    )
    login(request, user)
    if device is not None:
        otp_login(request, device)
    return {"user": user, "roles": list(selectors.assignments_of(user=user))}


@router.delete(
    "/sessions/current",
    response={204: None, **error_responses(401, 403)},
    operation_id="auth_logout",
    summary="End the session",
)
def auth_logout(request: HttpRequest) -> Status[None]:
    logout(request)
    return Status(204, None)
