"""One error shape for the whole API: ``{code, message, details}``, message translated."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import AuthorizationError as NinjaAuthorizationError

from openvet.core.errors import DomainError


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details}


def _validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    details = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        details.append({"field": ".".join(location), "message": _field_message(error)})
    return details


def _field_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("string_too_long", "too_long"):
        return _("At most %(limit)s characters.") % {"limit": context.get("max_length", "?")}
    if kind in ("string_too_short", "too_short"):
        return _("At least %(limit)s characters.") % {"limit": context.get("min_length", "?")}
    if kind.startswith(("int_", "float_", "decimal_")):
        return _("Enter a number.")
    if kind.startswith(("greater_than", "less_than")):
        return _("The number is out of range.")
    if kind.startswith(("datetime_", "date_")):
        return _("Enter a valid date.")
    if kind in ("json_invalid", "model_attributes_type", "dict_type"):
        return _("The request body is not valid JSON of the expected shape.")
    if kind == "enum" or kind == "literal_error":
        return _("Choose one of the allowed values.")
    return _("This value is not valid.")


def install_error_handlers(api: NinjaAPI) -> None:
    def reply(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return reply(request, exc.status, error_body(exc.code, str(exc.message), exc.details))

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        body = error_body("validation_failed", _("Some values are not valid."),
                          _validation_details(list(exc.errors)))
        return reply(request, 422, body)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 401, error_body("not_authenticated", _("Sign in or send a token.")))

    @api.exception_handler(NinjaAuthorizationError)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 403, error_body("permission_denied",
                                              _("You are not allowed to do this.")))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 404, error_body("not_found", _("Not found, or not visible to you.")))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {413: "payload_too_large", 429: "rate_limited"}.get(exc.status_code, "bad_request")
        return reply(request, exc.status_code, error_body(code, str(exc)))
