"""The ASGI application: Django, behind the lean route of course selection on PostgreSQL,
and the WebSockets of the live in-class mode.

``config.lean`` answers ``POST /api/v1/teaching/offerings/{id}/select`` with a bearer token
itself (the burst of course selection, ADR 0303), and ``POST /api/v1/industry/checkins`` (the
interns' morning check-in, ADR 0619); ``lrs.xapi.asgi`` answers the xAPI resources under /xapi
(ADR 0403), and every other request goes to Django. WebSockets go through Channels: the session
cookie authenticates, the origin must be an allowed host, and ``learning.live.routing`` holds the
routes (ADR 0710).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openvet.config.settings.base")
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402 - needs the apps loaded

from openvet.config.lean import lean_routes  # noqa: E402
from openvet.learning.live.routing import websocket_application  # noqa: E402
from openvet.lrs.xapi.asgi import xapi_routes  # noqa: E402

http_application = xapi_routes(lean_routes(django_application))

application = ProtocolTypeRouter(
    {
        "http": http_application,
        "lifespan": http_application,  # the lean route opens and closes its pool
        "websocket": websocket_application,
    }
)
