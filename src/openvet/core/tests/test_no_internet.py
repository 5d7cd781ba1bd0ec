"""The suite reaches no host outside this machine (pytest-socket, loopback allowed)."""

import socket

import pytest
from pytest_socket import SocketConnectBlockedError


def test_a_connection_to_an_outside_address_is_refused_before_it_leaves() -> None:
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1, RFC 5737


@pytest.mark.django_db
def test_the_database_on_loopback_is_reachable() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
