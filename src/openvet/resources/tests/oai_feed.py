"""Another OAI-PMH provider for harvesting tests: a real HTTP server on loopback that answers
from a script of canned answers (what a DSpace or another platform's library would send),
for the cases our own provider never produces: deleted records, flow control, errors."""

import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, dict[str, str], str]


@dataclass
class Feed:
    answer: Callable[[dict[str, str]], Answer]
    base_url: str = ""
    requests: list[dict[str, str]] = field(default_factory=list)


def envelope(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        f"<responseDate>2026-12-07T00:00:00Z</responseDate><request>x</request>{body}</OAI-PMH>"
    )


def identify(granularity: str = "YYYY-MM-DDThh:mm:ssZ") -> Answer:
    return 200, {}, envelope(f"<Identify><granularity>{granularity}</granularity></Identify>")


def record(identifier: str, datestamp: str, title: str = "", *, deleted: bool = False) -> str:
    if deleted:
        return (
            f'<record><header status="deleted"><identifier>{identifier}</identifier>'
            f"<datestamp>{datestamp}</datestamp></header></record>"
        )
    return (
        f"<record><header><identifier>{identifier}</identifier><datestamp>{datestamp}"
        "</datestamp></header><metadata>"
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}</dc:title><dc:subject>510201</dc:subject>"
        "<dc:subject>焊接</dc:subject><dc:creator>李工</dc:creator>"
        f"<dc:identifier>https://library.example.edu.cn/item/{identifier[-3:]}</dc:identifier>"
        "<dc:rights>All rights reserved</dc:rights></oai_dc:dc></metadata></record>"
    )


def records(*items: str, token: str = "") -> Answer:
    tail = f"<resumptionToken>{token}</resumptionToken>" if token else ""
    return 200, {}, envelope(f"<ListRecords>{''.join(items)}{tail}</ListRecords>")


def error(code: str) -> Answer:
    return 200, {}, envelope(f'<error code="{code}">refused</error>')


@contextmanager
def oai_feed(answer: Callable[[dict[str, str]], Answer]) -> Iterator[Feed]:
    feed = Feed(answer)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            query = urllib.parse.urlsplit(self.path).query
            params = dict(urllib.parse.parse_qsl(query))
            feed.requests.append(params)
            status, headers, body = feed.answer(params)
            data = body.encode()
            self.send_response(status)
            for name, value in {"Content-Type": "text/xml", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    feed.base_url = f"http://127.0.0.1:{server.server_address[1]}/oai/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield feed
    finally:
        server.shutdown()
