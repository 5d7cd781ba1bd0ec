"""Domain errors: a stable machine code, a translatable message and an HTTP status.

Services raise these; pages show the message, the API renders ``{code, message, details}``.
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "invalid"
    status = 400
    default_message: str | Promise = _("The request could not be completed.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        details: Any = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.details = details
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 422
    default_message = _("Some values are not valid.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found, or not visible to you.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You are not allowed to do this.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("This conflicts with existing data.")
