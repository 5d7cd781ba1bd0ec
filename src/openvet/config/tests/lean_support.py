"""What the tests of the lean ASGI routes share: posting through the ASGI application with or
without the lean routes in front of Django, counting the requests that reached Django."""

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
from asgiref.sync import async_to_sync
from django.db import connection

from openvet.config.asgi import django_application
from openvet.config.lean import LeanRoutes, lean_routes
from openvet.identity.models import User
from openvet.identity.tokens import token_create

ON_POSTGRES = connection.vendor == "postgresql"


class CountingDjango:
    """Django's ASGI application, counting the HTTP requests that reach it."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.calls += 1
        await django_application(scope, receive, send)


@dataclass
class Sent:
    responses: list[httpx.Response]
    django_calls: int


def send_posts(
    requests: list[tuple[str, dict[str, str], Any]], *, together: bool, lean: bool
) -> Sent:
    """POST each ``(url, headers, JSON body or None)`` through the ASGI application, one after
    another or all at once."""

    async def run() -> Sent:
        django = CountingDjango()
        app = lean_routes(django) if lean else django
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
        try:
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver"
            ) as client:

                async def one(url: str, headers: dict[str, str], body: Any) -> httpx.Response:
                    return await client.post(url, headers=headers, json=body)

                if together:
                    responses = list(await asyncio.gather(*(one(*r) for r in requests)))
                else:
                    responses = [await one(*r) for r in requests]
        finally:
            if isinstance(app, LeanRoutes):
                await app.aclose()
        return Sent(responses, django.calls)

    return async_to_sync(run)()


def bearer(
    user: User, *, language: str = "en", scopes: tuple[str, ...] = ("read", "write")
) -> dict[str, str]:
    secret = token_create(actor=user, user=user, name="phone", scopes=list(scopes)).secret
    return {"Authorization": f"Bearer {secret}", "Accept-Language": language}


def answered_lean(sent: Sent) -> bool:
    """On PostgreSQL the lean route answered without Django; on SQLite Django answers all."""
    return not ON_POSTGRES or sent.django_calls == 0
