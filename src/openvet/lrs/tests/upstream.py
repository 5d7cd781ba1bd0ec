"""A second LRS for forwarding tests: a real HTTP server on loopback that takes xAPI
statement POSTs, checks each statement with the LRS's own validator and keeps each id once."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from openvet.lrs.xapi import validate
from openvet.lrs.xapi.errors import XapiInvalid


@dataclass
class Receiver:
    authorization: str
    endpoint: str = ""
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)
    arrivals: list[str] = field(default_factory=list)  # every id received, repeats included
    fail_next: int = 0  # answer 503 to this many requests
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def order(self) -> list[str]:
        return list(self.stored)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _answer(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with receiver.lock:
                receiver.requests += 1
                if self.path != "/xapi/statements":
                    return self._answer(404, {"message": "no such resource"})
                if self.headers.get("Authorization") != receiver.authorization:
                    return self._answer(401, {"message": "unknown client"})
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    return self._answer(503, {"message": "busy"})
                statements = json.loads(raw)
                version = "1.0" if self.headers["X-Experience-API-Version"] < "2" else "2.0"
                try:
                    for statement in statements:
                        validate.statement(statement, version)
                except XapiInvalid as exc:
                    return self._answer(400, {"message": str(exc)})
                for statement in statements:
                    receiver.arrivals.append(statement["id"])
                    receiver.stored.setdefault(statement["id"], statement)
                return self._answer(200, [s["id"] for s in statements])

    return Handler


@contextmanager
def upstream_lrs(authorization: str) -> Iterator[Receiver]:
    receiver = Receiver(authorization)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.endpoint = f"http://127.0.0.1:{server.server_address[1]}/xapi/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
