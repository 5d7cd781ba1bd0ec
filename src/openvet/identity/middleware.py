"""Session security: idle timeout, forced password change and administrators' 2FA."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.policy import roles_of
from openvet.core.roles import ADMIN_ROLES

Middleware = Callable[[HttpRequest], HttpResponse]
_ALWAYS_OPEN = ("/static/", "/i18n/", "/accounts/logout/", "/healthz")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


IDLE_EXPIRED_SESSION_KEY = "openvet_idle_expired"
# The last activity is written back at most this often: writing it on every request cost
# every page a session UPDATE, and a minute is far below the idle timeout's precision.
ACTIVITY_WRITE_INTERVAL_SECONDS = 60


def idle_timeout_message() -> str:
    minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
    return _(
        "Your session ended after %(minutes)d minutes without activity. Please sign in again."
    ) % {"minutes": minutes}


class IdleTimeoutMiddleware:
    """Ends a session after ``SESSION_IDLE_TIMEOUT`` without a request (等保 8.1.4.1 d)."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            last = request.session.get("last_activity")
            if (
                last is not None
                and now - float(last) > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            ):
                logout(request)
                return self._expired(request)
            if last is None or now - float(last) >= ACTIVITY_WRITE_INTERVAL_SECONDS:
                request.session["last_activity"] = now
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> HttpResponse:
        if _is_api(request):
            return JsonResponse(
                {"code": "session_expired", "message": idle_timeout_message(), "details": None},
                status=401,
            )
        # The message framework runs after this middleware, so the sign-in page shows the
        # message from a flag kept in the new (anonymous) session.
        request.session[IDLE_EXPIRED_SESSION_KEY] = True
        response = redirect(f"{reverse('identity:login')}?{urlencode({'next': request.path})}")
        if request.headers.get("HX-Request") == "true":
            response["HX-Redirect"] = response["Location"]
        return response


def needs_totp(user: object) -> bool:
    return bool(settings.REQUIRE_ADMIN_TOTP) and bool(roles_of(user) & ADMIN_ROLES)


class SecurityGateMiddleware:
    """Sends a signed-in user to change an initial password, or to 2FA for admin roles."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(_ALWAYS_OPEN):
            return self.get_response(request)
        if needs_totp(user) and not user.is_verified():
            return self._gate(
                request, "identity:two-factor", _("Administrators must confirm a one-time code.")
            )
        if user.must_change_password:
            return self._gate(
                request,
                "identity:password-change",
                _("You must change your initial password first."),
            )
        return self.get_response(request)

    def _gate(self, request: HttpRequest, url_name: str, message: str) -> HttpResponse:
        target = reverse(url_name)
        if request.path == target:
            return self.get_response(request)
        if _is_api(request):
            return JsonResponse(
                {"code": "action_required", "message": message, "details": {"url": target}},
                status=403,
            )
        return redirect(target)
