"""Request plumbing shared by every app."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from openvet.core.audit import request_context


def client_ip(request: HttpRequest) -> str | None:
    # Behind a proxy, axes' ipware settings decide; REMOTE_ADDR is right on a direct socket.
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return str(address) if address else None


class RequestContextMiddleware:
    """Makes the acting user and client address known to services for the audit log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_context(holder=request, ip_address=client_ip(request)):
            return self.get_response(request)
