"""Helpers for page views of every app."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.functional import Promise

from openvet.core.errors import DomainError, NotFound, PermissionDenied

View = Callable[..., HttpResponse]
AnyView = TypeVar("AnyView", bound=Callable[..., HttpResponseBase])  # pages and file streams


def domain_errors(view: AnyView) -> AnyView:
    """The domain's not-found and permission errors become the 404 and 403 pages."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except PermissionDenied as exc:
            raise HttpForbidden(str(exc.message)) from exc

    return cast("AnyView", wrapper)


def page(view: AnyView) -> AnyView:
    """A page (or file stream) for signed-in users; domain refusals become the 404 and 403."""
    return login_required(domain_errors(view))


T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a page learns from ``service_call``: whether the service succeeded, its result,
    and on refusal the messages by field ("" for the whole form)."""

    ok: bool
    value: T | None = None
    errors: dict[str, str] = field(default_factory=dict)


def refusal_text(exc: DomainError) -> str:
    """One line for a refusal: its message, or its field messages when the message is only the
    generic one of its class."""
    details = exc.details if isinstance(exc.details, dict) else {}
    if details and str(exc.message) == str(type(exc).default_message):
        return " ".join(str(v) for v in details.values())
    return str(exc.message)


def service_call(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    form: forms.BaseForm | None = None,
    field: str | None = None,
    success: str | Promise = "",
    show: bool = True,
) -> Outcome[T]:
    """Run a service for a page. Not-found and permission errors propagate (the 404 and 403
    pages, see ``domain_errors``); another refusal is shown on ``form`` (its message on ``field``
    when given, else each detail on its field, else the message on the whole form) or, without
    a form, as an error message; ``show=False`` leaves the showing to the page. ``success``
    becomes a message."""
    try:
        value = call()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        details = {str(k): str(v) for k, v in dict(exc.details or {}).items()}
        errors = {field: str(exc.message)} if field else details or {"": str(exc.message)}
        if form is not None:
            for name, message in errors.items():
                form.add_error(name if name in form.fields else None, message)
        elif show:
            messages.error(request, refusal_text(exc))
        return Outcome(ok=False, errors=errors)
    if success:
        messages.success(request, str(success))
    return Outcome(ok=True, value=value)


def form_page(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[], Any],
    *,
    done: Callable[[Any], HttpResponse],
    template: str,
    context: Callable[[], dict[str, Any]],
    success: str = "",
) -> HttpResponse:
    """The shape of a page with one form: a valid POST runs ``call`` (a service) and, when it
    succeeds, shows ``success`` and answers ``done(result)``; otherwise the page is rendered
    with the form and its errors (422 when there are errors)."""
    if request.method == "POST" and form.is_valid():
        outcome = service_call(request, call, form=form, success=success)
        if outcome.ok:
            return done(outcome.value)
    return render(
        request, template, {**context(), "form": form}, status=422 if form.errors else 200
    )
