"""The client's address: one rule for the audit log, throttling and the lean selection route."""

from typing import Any

from django.test import RequestFactory

from openvet.core.middleware import client_ip


def test_on_a_direct_socket_it_is_the_peer() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


def test_behind_a_proxy_the_configured_rule_of_django_axes_decides(settings: Any) -> None:
    settings.AXES_CLIENT_IP_CALLABLE = lambda request: request.META["HTTP_X_REAL_IP"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="198.51.100.4")
    assert client_ip(request) == "198.51.100.4"
