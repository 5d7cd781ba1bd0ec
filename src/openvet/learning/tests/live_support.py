"""Helpers of the live-class tests: a signed-in WebSocket to the real ASGI application."""

from typing import Any

from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from openvet.learning.live.routing import websocket_application as application


def session_cookie(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def socket(
    cookie: str | None, live_id: int, *, origin: bytes = b"http://localhost"
) -> tuple[WebsocketCommunicator, bool, Any]:
    """A connection as the browser makes it: session cookie, same-origin, zh-hans. The
    timeouts only bound a hang: a loaded machine may take seconds for the first state."""
    headers = [(b"origin", origin), (b"accept-language", b"zh-hans")]
    if cookie:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    communicator = WebsocketCommunicator(
        application, f"/ws/learning/live/{live_id}/", headers=headers
    )
    connected, code = await communicator.connect(timeout=30)
    if not connected:
        # A refused consumer still waits for the client's close: send it, so that no task of
        # the application is left for the test's event loop to cancel.
        await communicator.disconnect()
    return communicator, connected, code


async def receive(communicator: WebsocketCommunicator, kind: str) -> dict[str, Any]:
    """The next message of ``kind``, skipping others (the screen also gets sign-in ticks)."""
    for _ in range(20):
        message = await communicator.receive_json_from(timeout=30)
        if message.get("type") == kind:
            return dict(message)
    raise AssertionError(f"no {kind} message")
