"""Request plumbing shared by every app."""

from collections.abc import Callable
from typing import Any

from axes.helpers import get_client_ip_address
from django.http import HttpRequest, HttpResponse

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
