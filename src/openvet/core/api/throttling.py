"""Rate limits for the sign-in and token endpoints, keyed on the client address."""

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from openvet.core.middleware import client_ip


class ClientAddressThrottle(SimpleRateThrottle):
    """At most ``settings.<setting>`` requests per client address (e.g. ``"10/m"``).

    The rate is read on every request rather than at import, so a deployment (or a test) can
    change it without rebuilding the API. Counts live in the default cache: with Redis they
    are shared by every web node.
    """

    cache_format = "openvet:throttle:%(scope)s:%(ident)s"

    def __init__(self, scope: str, setting: str) -> None:
        self.scope = scope
        self.setting = setting
        super().__init__(rate=self.get_rate())

    def get_rate(self) -> str:
        return str(getattr(settings, self.setting))

    def get_cache_key(self, request: HttpRequest) -> str:
        ident = client_ip(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


def sign_in_throttle() -> ClientAddressThrottle:
    """One bucket for every endpoint that takes a password (login, token creation)."""
    return ClientAddressThrottle("sign_in", "API_RATE_LIMIT_LOGIN")
