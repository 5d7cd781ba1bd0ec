"""The refusals of the xAPI protocol, each with its HTTP status."""


class XapiError(Exception):
    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class XapiInvalid(XapiError):
    """A statement, document or parameter breaks a rule of the specification (400)."""


class NotFound(XapiError):
    status = 404


class Conflict(XapiError):
    status = 409


class PreconditionFailed(XapiError):
    status = 412


class Unauthorized(XapiError):
    status = 401


class Forbidden(XapiError):
    status = 403
