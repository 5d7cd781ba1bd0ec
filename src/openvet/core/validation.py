"""Checks of free-text names and phone numbers, with messages in the user's language that
name the field. API schemas, forms and services all call these, so page, API and import
refuse the same values with the same words."""

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from openvet.core import codes


def name_error(value: str, *, label: str | Promise, required: bool = True) -> str | None:
    """Why ``value`` cannot be stored as the name called ``label``, or None.

    An empty optional name is fine; ``value`` is checked as given (normalise it first with
    ``codes.name_normalise`` to check what will be stored)."""
    if not value and not required:
        return None
    problem = codes.name_problem(value)
    if problem is None:
        return None
    field = str(label)
    if problem == "control":
        return _("%(field)s must not contain control characters or line breaks.") % {"field": field}
    if problem == "bidi":
        return _("%(field)s must not contain text-direction control characters.") % {"field": field}
    if not value.strip() and not required:
        return _("%(field)s is only spaces; leave it empty or enter it.") % {"field": field}
    return _("%(field)s must contain visible characters.") % {"field": field}


def phone_error(value: str, *, label: str | Promise) -> str | None:
    """Why ``value`` is not a mobile number or a landline with area code; empty is fine."""
    if not value.strip() or codes.phone_problem(value) is None:
        return None
    return _(
        "%(field)s: enter an 11-digit mobile number, or a landline with its area code "
        "such as 0571-87654321."
    ) % {"field": str(label)}


def mobile_error(value: str, *, label: str | Promise) -> str | None:
    """Why ``value`` is not an 11-digit mainland mobile number; empty is fine."""
    if not value.strip() or codes.mobile_problem(value) is None:
        return None
    return _("%(field)s: enter an 11-digit mainland mobile number.") % {"field": str(label)}
