"""Shared by the resource pages."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponseBase

from openvet.core.errors import NotFound, PermissionDenied

View = Callable[..., HttpResponseBase]


def _domain_errors(view: View) -> View:
    """As ``core.view_helpers.domain_errors``, for views that also stream (files)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except PermissionDenied as exc:
            raise HttpForbidden(str(exc.message)) from exc

    return wrapper


def page(view: View) -> View:
    return login_required(_domain_errors(view))
