"""The ASGI application: Django, behind the lean route of course selection on PostgreSQL.

``config.lean`` answers ``POST /api/v1/teaching/offerings/{id}/select`` with a bearer token
itself (the burst of course selection, ADR 0303), and ``POST /api/v1/industry/checkins`` (the
interns' morning check-in, ADR 0619); ``lrs.xapi.asgi`` answers the xAPI
resources under /xapi (ADR 0403), and every other request goes to Django.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openvet.config.settings.base")
django_application = get_asgi_application()

from openvet.config.lean import lean_routes  # noqa: E402 - needs the apps loaded
from openvet.lrs.xapi.asgi import xapi_routes  # noqa: E402

application = xapi_routes(lean_routes(django_application))
