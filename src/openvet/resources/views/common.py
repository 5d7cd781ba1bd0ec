"""Shared by the resource pages."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBase

from openvet.core.view_helpers import domain_errors

View = Callable[..., HttpResponseBase]


def page(view: View) -> View:
    """A signed-in page (or file stream) whose domain refusals become the 404 and 403 pages."""
    return login_required(domain_errors(view))
