"""The ASGI application: Django, behind the lean route of course selection on PostgreSQL.

``config.lean`` answers ``POST /api/v1/teaching/offerings/{id}/select`` with a bearer token
itself (the burst of course selection, ADR 0303) and hands every other request to Django.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openvet.config.settings.base")
django_application = get_asgi_application()

from openvet.config.lean import lean_routes  # noqa: E402 - needs the apps loaded

application = lean_routes(django_application)
