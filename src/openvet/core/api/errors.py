"""One error shape for the whole API: ``{code, message, details}``, message translated.

The message is in the request's language (``LocaleMiddleware`` reads Accept-Language).
Validation failures carry ``details`` as ``{field: message}``, like ``ValidationFailed``.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.errors import AuthorizationError as NinjaAuthorizationError

from openvet.core.api.schemas import FIELD_INVALID
from openvet.core.errors import DomainError

# Parts of a pydantic error location that name where a value came from, not which field.
_LOCATION_SOURCES = frozenset({"body", "payload", "query", "path", "header", "cookie", "form"})


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details}


def validation_details(errors: list[dict[str, Any]]) -> dict[str, str]:
    """``{field: message}`` with the first problem of each field; nested fields dotted."""
    details: dict[str, str] = {}
    for error in errors:
        location = [
            str(part) for part in error.get("loc", ()) if str(part) not in _LOCATION_SOURCES
        ]
        # A check of the whole schema names its field in the context.
        named = (error.get("ctx") or {}).get("field")
        field = ".".join(location) or str(named or "__all__")
        details.setdefault(field, _field_message(error))
    return details


def _field_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == FIELD_INVALID:
        # Written by the schema's own check, already in the request's language.
        return str(context.get("message", ""))
    if kind in ("string_too_long", "too_long"):
        return _("At most %(limit)s characters.") % {"limit": context.get("max_length", "?")}
    if kind in ("string_too_short", "too_short"):
        return _("At least %(limit)s characters.") % {"limit": context.get("min_length", "?")}
    if kind.startswith(("int_", "float_", "decimal_")):
        return _("Enter a number.")
    if kind.startswith("bool_"):
        return _("Enter true or false.")
    if kind == "string_type":
        return _("Enter text.")
    if kind == "list_type":
        return _("Enter a list.")
    if kind.startswith(("greater_than", "less_than")):
        return _("The number is out of range.")
    if kind.startswith(("datetime_", "date_", "timezone_")):
        return _("Enter a valid date and time with its time zone.")
    if kind in ("json_invalid", "model_attributes_type", "dict_type"):
        return _("The request body is not valid JSON of the expected shape.")
    if kind in ("enum", "literal_error"):
        return _("Choose one of the allowed values.")
    return _("This value is not valid.")


def _too_large(request: HttpRequest) -> dict[str, Any]:
    limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    message = _("The request body is too large (at most %(limit)d bytes).") % {"limit": limit}
    return error_body("payload_too_large", message, {"max_bytes": limit})


def install_error_handlers(api: NinjaAPI) -> None:
    def reply(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return reply(request, exc.status, error_body(exc.code, str(exc.message), exc.details))

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        body = error_body(
            "validation_failed",
            _("Some values are not valid."),
            validation_details(list(exc.errors)),
        )
        return reply(request, 422, body)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 401, error_body("not_authenticated", _("Sign in or send a token.")))

    @api.exception_handler(NinjaAuthorizationError)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = _("You are not allowed to do this.")
        return reply(request, 403, error_body("permission_denied", message))

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        message = _("Too many requests. Wait a moment and try again.")
        wait = int(exc.wait) + 1 if exc.wait is not None else None
        return reply(request, 429, error_body("rate_limited", message, {"retry_after": wait}))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 413, _too_large(request))

    @api.exception_handler(ProtectedError)
    def still_in_use(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = _("This is still in use by other records and cannot be deleted.")
        return reply(request, 409, error_body("conflict", message))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 404, error_body("not_found", _("Not found, or not visible to you.")))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja wraps any failure to read the body (bad JSON, or a body over the size limit)
        # in a 400; tell the two apart by the cause.
        if isinstance(exc.__cause__, RequestDataTooBig):
            return reply(request, 413, _too_large(request))
        if exc.status_code == 400:
            message = _("The request body is not valid JSON.")
            return reply(request, 400, error_body("malformed_json", message))
        return reply(request, exc.status_code, error_body("http_error", str(exc)))
