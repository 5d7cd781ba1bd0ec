"""Request plumbing shared by every app."""

from collections.abc import Callable
from typing import Any

from axes.helpers import get_client_ip_address
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from openvet.core.audit import request_context


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, the one rule for the audit log, throttling and the lean route:
    django-axes' configured rule (``AXES_CLIENT_IP_CALLABLE``, or django-ipware with
    ``AXES_IPWARE_PROXY_COUNT`` when installed) decides behind a proxy; otherwise the socket's
    ``REMOTE_ADDR``."""
    address: Any = (
        getattr(request, "axes_ip_address", None)
        or get_client_ip_address(request)
        or request.META.get("REMOTE_ADDR")
    )
    return str(address) if address else None


class RequestContextMiddleware:
    """Makes the acting user and client address known to services for the audit log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_context(holder=request, ip_address=client_ip(request)):
            return self.get_response(request)


class RefuseNulMiddleware:
    """Refuses a query parameter holding a NUL character before any view reads it.

    PostgreSQL cannot hold NUL in text, so a search for it would end in a server error; the
    API answers its 422 validation shape naming the parameter, a page answers 400.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", ""):
            named = [key for key, values in request.GET.lists() if "\x00" in key + "".join(values)]
            if named:
                return self._refuse(request, named[0].replace("\x00", ""))
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, name: str) -> HttpResponse:
        from openvet.core.api.errors import error_body

        message = _("Text may not contain a NUL character.")
        if request.path.startswith("/api/"):
            body = error_body("validation_failed", _("Some values are not valid."), {name: message})
            return JsonResponse(body, status=422)
        raise BadRequest(message)
