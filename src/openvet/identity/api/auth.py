"""API authentication: the browser session (with CSRF) or a personal access token."""

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyHeader, SessionAuth

from openvet.identity.models import ApiToken, User

TOKEN_PREFIX = "ovt_"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class TokenAuth(APIKeyHeader):
    """``Authorization: Bearer ovt_...``; only the digest is stored."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if not key or not key.startswith("Bearer "):
            return None
        secret = key.removeprefix("Bearer ").strip()
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
        if token is None or not token.is_usable or not token.user.is_active:
            return None
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request.user = token.user
        request.api_token = token  # type: ignore[attr-defined]
        return token.user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


session_or_token = [TokenAuth(), ActiveSessionAuth()]
