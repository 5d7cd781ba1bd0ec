"""What a locked-out client sees (django-axes calls this)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


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
