"""The xAPI resources as an ASGI layer in front of Django (ADR 0403).

Statements arrive in bursts from content, apps and simulations; the full Django stack costs
about 15 ms of CPU per request here (ADR 0303), which would cap single-statement POSTs near
a hundred a second. ``XapiRoutes`` answers every request under ``/xapi`` itself: it reads the
body, runs ``protocol.handle`` (validation and the ORM, in a worker thread so that the event
loop keeps accepting requests) and sends the answer. Everything else goes to ``app``.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.db import close_old_connections

from openvet.lrs.xapi.errors import XapiError
from openvet.lrs.xapi.http import XRequest, XResponse
from openvet.lrs.xapi.protocol import MAX_BODY, PREFIX, handle, too_large

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Any], Awaitable[None]]
ASGIApp = Callable[..., Awaitable[None]]


def _handle_in_thread(request: XRequest) -> XResponse:
    """As Django around each request: connections past their age (or gone bad) are closed,
    which gives them back to the pool when one is configured."""
    close_old_connections()
    try:
        return handle(request)
    finally:
        close_old_connections()


class XapiRoutes:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.app(scope, receive, send)
            return
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope.get("headers", []):
            headers[raw_name.decode("latin-1").lower()] = raw_value.decode("latin-1")
        body = await _body(receive)
        request = XRequest.build(
            scope["method"],
            path[len(PREFIX) :],
            scope.get("query_string", b"").decode("latin-1"),
            headers,
            body if body is not None else b"",
        )
        if body is None:
            response = too_large(request)
        else:
            response = await sync_to_async(_handle_in_thread, thread_sensitive=False)(request)
        await _send(send, response)


async def _body(receive: Receive) -> bytes | None:
    chunks = bytearray()
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise XapiError("the client went away")
        chunks += message.get("body", b"")
        if len(chunks) > MAX_BODY:
            return None
        more = message.get("more_body", False)
    return bytes(chunks)


async def _send(send: Send, response: XResponse) -> None:
    headers = [
        (name.encode("latin-1"), value.encode("latin-1"))
        for name, value in response.headers.items()
    ]
    if "content-length" not in response.headers:
        headers.append((b"content-length", str(len(response.body)).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


def xapi_routes(app: ASGIApp) -> ASGIApp:
    return XapiRoutes(app)
