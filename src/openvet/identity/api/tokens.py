"""Personal access tokens: create (secret shown once), list and revoke your own."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import AuthenticationError

from openvet.core.api.pagination import PageIn, paginate
from openvet.core.api.schemas import PageOut, error_responses
from openvet.core.api.throttling import sign_in_throttle
from openvet.core.api.types import IdParam
from openvet.identity import tokens
from openvet.identity.api.auth import require_csrf, session_user, user_from_credentials
from openvet.identity.api.schemas import TokenCreatedOut, TokenCreateIn, TokenOut
from openvet.identity.models import User

router = Router(tags=["tokens"])


def _requester(request: HttpRequest, payload: TokenCreateIn) -> User:
    """Who asks for a token: the password's account, else the CSRF-checked session's.

    A token cannot mint tokens: that would let a leaked token outlive its own expiry.
    """
    if payload.username is not None or payload.password is not None:
        user, _device = user_from_credentials(
            request,
            username=payload.username or "",
            password=payload.password or "",
            totp_code=payload.totp_code,
        )
        return user
    session = session_user(request)
    if session is None:
        raise AuthenticationError()
    require_csrf(request)
    return session


@router.post(
    "/tokens",
    auth=None,
    throttle=[sign_in_throttle()],
    response={201: TokenCreatedOut, **error_responses(400, 401, 403, 413, 422, 429)},
    operation_id="token_create",
    summary="Create a personal access token (secret shown once)",
    openapi_extra={"security": [{"ActiveSessionAuth": []}, {}]},
)
def token_create(request: HttpRequest, payload: TokenCreateIn) -> Status[TokenCreatedOut]:
    """With the browser session (and CSRF token), or `username` + `password` in the body.

    Use the secret as `Authorization: Bearer ovt_...`. Rate-limited per client address.
    """
    user = _requester(request, payload)
    issued = tokens.token_create(
        actor=user,
        user=user,
        name=payload.name,
        scopes=list(payload.scopes),
        expires_at=payload.expires_at,
    )
    body = TokenCreatedOut(**dict(TokenOut.from_orm(issued.token)), token=issued.secret)
    return Status(201, body)


@router.get(
    "/tokens",
    response={200: PageOut[TokenOut], **error_responses(401, 422)},
    operation_id="token_list",
    summary="List your tokens (without secrets)",
)
def token_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    return paginate(tokens.token_list_for(actor=request.user), page)


@router.delete(
    "/tokens/{token_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    operation_id="token_revoke",
    summary="Revoke one of your tokens",
)
def token_revoke(request: HttpRequest, token_id: IdParam) -> Status[None]:
    token = tokens.token_get_for(actor=request.user, token_id=token_id)
    tokens.token_revoke(actor=request.user, token=token)
    return Status(204, None)
