"""Test settings only: the browser journeys' server answers one request at a time.

The journeys run against Django's threaded live server on the test database; on SQLite that
database is in memory and every server thread shares its one connection, so two requests of
one page at once (a SCO's commit and its terminate, a polled list beside a click) could meet
inside one transaction ("cannot start a transaction within a transaction"). Production serves
each request on its own connection; this lock only makes the test server do the same.
"""

import threading
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_ONE_AT_A_TIME = threading.Lock()


class SerialRequestsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Held while the view runs, released before a streamed body is sent.
        with _ONE_AT_A_TIME:
            return self.get_response(request)
