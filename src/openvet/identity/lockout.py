"""Sign-in lockout (django-axes): which account a failure counts against, and what a
locked-out client sees.

Failures are counted per resolved account, whichever identifier was typed (username,
student/staff number or mobile), so that a lock earned under one identifier holds under the
others (GB/T 22239-2019 8.1.4.1 b, 登录失败处理). The separate lock per client address stays.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The name django-axes counts, checks and resets failures under (``AXES_USERNAME_CALLABLE``).

    The username of the one account the typed identifier names; the typed identifier itself
    (trimmed) when it names no account, so that guesses at unknown names still count.
    """
    from openvet.identity.backends import find_user_by_identifier

    if credentials is not None:
        typed = credentials.get("username")
    else:
        typed = request.POST.get("username") if request is not None else None
    identifier = str(typed or "").strip()
    user = find_user_by_identifier(identifier)
    return user.get_username() if user is not None else identifier


def lockout_clear_for(*, username: str) -> int:
    """Forget the failed sign-ins counted against one account (after it signed in).

    Only that account's rows: a success must not clear failures earned by other accounts from
    the same address, or one good sign-in between guesses would reset the count.
    """
    from axes.models import AccessAttempt

    deleted, _rows = AccessAttempt.objects.filter(username=username).delete()
    return int(deleted)


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d minutes; "
        "try again later or ask the security administrator to unlock it."
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"code": "locked_out", "message": lockout_message(), "details": None}
        return JsonResponse(body, status=429)
    return render(
        request,
        "identity/locked_out.html",
        {"message": lockout_message(), "show_public_header": True},
        status=429,
    )
