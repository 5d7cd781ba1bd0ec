from typing import Any

from django.conf import settings
from django.http import HttpRequest

from openvet.core.shell import nav_groups_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "nav_groups": nav_groups_for(user) if signed_in else [],
        "demo_mode": settings.DEMO_MODE,
    }
