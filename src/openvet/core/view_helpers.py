"""Helpers for page views of every app."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse

from openvet.core.errors import NotFound, PermissionDenied

View = Callable[..., HttpResponse]


def domain_errors(view: View) -> View:
    """The domain's not-found and permission errors become the 404 and 403 pages."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except PermissionDenied as exc:
            raise HttpForbidden(str(exc.message)) from exc

    return wrapper
