"""Lean ASGI routes answered before Django's middleware stack (ADR 0303).

Course selection opens at an announced minute: thousands of students click in the same
second. The full stack (sixteen middleware, session and token auth, Ninja, the ORM) costs
about 15 ms of server CPU per request (measured), which caps a 2-core server near 100 a second.
``LeanRoutes`` wraps the Django application and answers the one hot request itself:

    POST /api/v1/teaching/offerings/{id}/select   with   Authorization: Bearer ovt_...

on PostgreSQL, with an async psycopg pool of its own, in two statements (ADR 0314): one read
(``hotpath.read_facts``: the token as ``identity.token_lookup`` finds it with the rules of
``TokenAuth``, the student as ``records.student_lookup``, the offering, its rounds, majors and
the timetable slots of the clash rule) and one write. It applies the rules of
``selection_create`` (shared in ``selection.rules``) in between, and answers in the API's
shapes: the ``SelectionOut`` body, or ``{code, message, details}`` in the language of
``Accept-Language``.

It answers the interns' morning check-in the same way (ADR 0619):
``POST /api/v1/industry/checkins`` with a bearer token, read and written in two statements by
``industry.checkin_hotpath``; the body is read here and replayed to Django when the API's own
validation must judge it.

Whenever it cannot answer exactly as the full stack would, it hands the request, untouched, to
Django: no bearer token (browser sessions need CSRF and the session middleware), a bad token
sent together with a session cookie, a read-only token, an account without a student record,
an offering outside the student's school, a host outside ``ALLOWED_HOSTS``, or plain HTTP when
HTTPS is required. Everything else, and every other URL, goes to Django as before.
"""

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from psycopg.conninfo import make_conninfo
from psycopg_pool import AsyncConnectionPool

from openvet.core.api.errors import error_body
from openvet.core.errors import DomainError
from openvet.core.middleware import client_ip
from openvet.identity.token_lookup import touch_if_stale
from openvet.industry import checkin_hotpath
from openvet.teaching.selection.hotpath import Taker, read_facts, take_seat

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Any], Awaitable[None]]
ASGIApp = Callable[..., Awaitable[None]]

SELECT_SEAT = re.compile(r"/api/v1/teaching/offerings/(\d{1,18})/select")
CHECK_IN = "/api/v1/industry/checkins"
_DEFAULT_POOL_SIZE = 4


class Delegate(Exception):
    """The full stack answers this request."""


def uses_postgresql() -> bool:
    return str(settings.DATABASES["default"]["ENGINE"]).endswith("postgresql")


def _conninfo() -> str:
    database = settings.DATABASES["default"]
    options = {
        key: value
        for key, value in dict(database.get("OPTIONS") or {}).items()
        if key not in ("pool", "server_side_binding", "isolation_level", "assume_role")
    }
    parts = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": str(database.get("PORT") or ""),
        **options,
        "options": f"{options.get('options', '')} {_GENERIC_PLANS}".strip(),
    }
    return make_conninfo(**{key: value for key, value in parts.items() if value})


# The click's read is one statement of many joins and subqueries (ADR 0314): planning it
# costs PostgreSQL several times more than running it. Prepared at its first run on each
# connection, with the generic plan kept (every parameter is a key looked up by an index),
# it is planned once per connection instead of once per click.
_SESSION = {"autocommit": True, "prepare_threshold": 0}
_GENERIC_PLANS = "-c plan_cache_mode=force_generic_plan"


def _pool_size() -> int:
    """Connections per process: ``OPENVET_LEAN_POOL_SIZE``, else 4 (ADR 0314). A click holds
    its connection for two short statements, so a few keep PostgreSQL's cores busy; more
    only make its backends compete for the CPU and for the sections' row locks."""
    return int(getattr(settings, "OPENVET_LEAN_POOL_SIZE", _DEFAULT_POOL_SIZE))


class LeanRoutes:
    """ASGI application: the hot request answered here, everything else by ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._pool: AsyncConnectionPool | None = None
        self._opening = asyncio.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if _is_check_in(scope):
            await self._serve_check_in(scope, receive, send)
            return
        match = _hot_request(scope)
        if match is None:
            await self.app(scope, receive, send)
            return
        try:
            status, body, language = await self._select_seat(scope, int(match.group(1)))
        except Delegate:
            await self.app(scope, receive, send)
            return
        await _send_json(send, status, body, language)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        """Open the pool at startup (its connections are made in the background, so a burst
        right after a restart does not pay for them) and close it at shutdown."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.pool()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def aclose(self) -> None:
        """Close the pool (at shutdown; tests that run each on their own event loop)."""
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def pool(self) -> AsyncConnectionPool:
        async with self._opening:
            if self._pool is None:
                pool = AsyncConnectionPool(
                    _conninfo(),
                    min_size=_pool_size(),
                    max_size=_pool_size(),
                    kwargs=_SESSION,
                    open=False,
                    name="openvet-lean",
                )
                await pool.open()
                self._pool = pool
        return self._pool

    async def _serve_check_in(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The interns' morning check-in (ADR 0619); the body is read here and replayed to
        Django when the full stack answers."""
        body, read = await _read_body(receive)
        try:
            status, answer, language = await self._check_in(scope, body)
        except Delegate:
            await self.app(scope, _replay(read, receive), send)
            return
        await _send_json(send, status, answer, language)

    async def _check_in(self, scope: Scope, body: bytes | None) -> tuple[int, Any, str]:
        request = _request_of(scope)
        language = translation.get_language_from_request(request)
        secret = _bearer(request)
        content_type = str(request.META.get("HTTP_CONTENT_TYPE", ""))
        if secret is None or body is None or not content_type.startswith("application/json"):
            raise Delegate
        parsed = checkin_hotpath.parse_body(body)
        if parsed is None:
            raise Delegate  # the API's validation answers
        pool = self._pool or await self.pool()
        with translation.override(language):
            async with pool.connection() as conn:
                at = timezone.now()
                facts = await checkin_hotpath.read_facts(
                    conn, secret=secret, today=timezone.localdate(at)
                )
                if facts is None:
                    if request.COOKIES:
                        raise Delegate  # the session may still authenticate
                    return 401, _unauthenticated(), language
                await touch_if_stale(conn, facts.holder)
                if not facts.holder.allowed or facts.student is None:
                    raise Delegate  # read-only token, or not a student: the full stack's 403
                try:
                    answer = await checkin_hotpath.check_in(conn, facts=facts, body=parsed, at=at)
                except DomainError as exc:
                    return exc.status, _domain_error(exc), language
        return 201, answer, language

    async def _select_seat(self, scope: Scope, offering_id: int) -> tuple[int, Any, str]:
        request = _request_of(scope)
        language = translation.get_language_from_request(request)
        secret = _bearer(request)
        if secret is None:
            raise Delegate
        pool = self._pool or await self.pool()
        with translation.override(language):
            async with pool.connection() as conn:
                facts = await read_facts(
                    conn, secret=secret, offering_id=offering_id, method="POST"
                )
                if facts is None:
                    if request.COOKIES:
                        raise Delegate  # the session may still authenticate
                    return 401, _unauthenticated(), language
                await touch_if_stale(conn, facts.holder)
                if not facts.holder.allowed:
                    raise Delegate  # the read-only answer comes from TokenAuth
                if facts.student is None or facts.offering is None:
                    raise Delegate  # not a student, or another school's offering (or none)
                taker = Taker(
                    user_id=facts.holder.user_id,
                    username=facts.holder.username,
                    student=facts.student,
                    ip_address=client_ip(request),
                )
                try:
                    answer = await take_seat(conn, taker=taker, facts=facts)
                except DomainError as exc:
                    return exc.status, _domain_error(exc), language
        return 200, answer, language


def lean_routes(app: ASGIApp) -> ASGIApp:
    """``app`` behind the lean routes on PostgreSQL; ``app`` itself on SQLite."""
    return LeanRoutes(app) if uses_postgresql() else app


def _hot_request(scope: Scope) -> re.Match[str] | None:
    if scope["type"] != "http" or scope.get("method") != "POST":
        return None
    return SELECT_SEAT.fullmatch(scope.get("path", ""))


def _is_check_in(scope: Scope) -> bool:
    return (
        scope["type"] == "http" and scope.get("method") == "POST" and scope.get("path") == CHECK_IN
    )


async def _read_body(receive: Receive) -> tuple[bytes | None, list[Any]]:
    """The request body and the messages read (None when it is larger than a check-in's)."""
    read: list[Any] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        read.append(message)
        if message["type"] != "http.request":
            return None, read
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if size > checkin_hotpath.MAX_BODY:
            return None, read
        if not message.get("more_body"):
            return b"".join(chunks), read


def _replay(read: list[Any], receive: Receive) -> Receive:
    """``receive`` as if nothing had been read: the messages read first, then the rest."""
    pending = list(read)

    async def again() -> Any:
        return pending.pop(0) if pending else await receive()

    return again


def _request_of(scope: Scope) -> HttpRequest:
    """A bodiless ``HttpRequest`` with the headers, enough for the helpers that read them."""
    request = HttpRequest()
    request.method = "POST"
    request.path = request.path_info = scope["path"]
    meta: dict[str, Any] = {
        "REMOTE_ADDR": (scope.get("client") or ("", 0))[0],
        "SERVER_NAME": (scope.get("server") or ("", 0))[0],
        "SERVER_PORT": str((scope.get("server") or ("", 0))[1]),
        "wsgi.url_scheme": scope.get("scheme", "http"),
    }
    for raw_name, raw_value in scope.get("headers", []):
        name = "HTTP_" + raw_name.decode("latin1").upper().replace("-", "_")
        value = raw_value.decode("latin1")
        meta[name] = f"{meta[name]},{value}" if name in meta else value
    request.META = meta
    request.COOKIES = parse_cookie(meta.get("HTTP_COOKIE", ""))
    _check_transport(request, scope)
    return request


def _check_transport(request: HttpRequest, scope: Scope) -> None:
    """Delegate what Django's security and host checks would refuse or redirect."""
    host = request.META.get("HTTP_HOST", "")
    domain, _port = split_domain_port(host)
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    if not domain or not validate_host(domain, allowed):
        raise Delegate
    if settings.SECURE_SSL_REDIRECT and not _is_secure(request, scope):
        raise Delegate


def _is_secure(request: HttpRequest, scope: Scope) -> bool:
    if scope.get("scheme") == "https":
        return True
    proxy: tuple[str, str] | None = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy is None:
        return False
    header, secure_value = proxy
    return str(request.META.get(header, "")).split(",")[0].strip() == secure_value


def _bearer(request: HttpRequest) -> str | None:
    header = str(request.META.get("HTTP_AUTHORIZATION", ""))
    scheme, _space, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def _unauthenticated() -> dict[str, Any]:
    return error_body("not_authenticated", _("Sign in or send a token."))


def _domain_error(exc: DomainError) -> dict[str, Any]:
    return error_body(exc.code, str(exc.message), exc.details)


_HEADERS = [
    (b"content-type", b"application/json; charset=utf-8"),
    (b"vary", b"Accept-Language, Cookie, Authorization"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


async def _send_json(send: Send, status: int, body: Any, language: str) -> None:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    headers = [
        *_HEADERS,
        (b"content-language", language.encode("ascii")),
        (b"content-length", str(len(content)).encode("ascii")),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})
