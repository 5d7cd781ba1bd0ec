"""WebSocket routes of the live in-class mode, mounted by ``config.asgi``: the session cookie
authenticates (``AuthMiddlewareStack``) and the origin must be an allowed host, so another
site cannot open a socket with a learner's cookie."""

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from openvet.learning.live.consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/learning/live/<int:live_id>/", LiveConsumer.as_asgi()),
]

websocket_application = AllowedHostsOriginValidator(
    AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
)
