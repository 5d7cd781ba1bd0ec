"""The request and response of the xAPI protocol, independent of ASGI and Django."""

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class XRequest:
    method: str
    path: str  # below the /xapi prefix: "/statements", "/activities/state", ...
    params: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""
    repeated: set[str] = field(default_factory=set)  # parameter names given twice

    @classmethod
    def build(
        cls, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> "XRequest":
        params: dict[str, str] = {}
        repeated: set[str] = set()
        for name, value in parse_qsl(query, keep_blank_values=True):
            if name in params:
                repeated.add(name)
            params[name] = value
        return cls(method.upper(), path, params, headers, body, repeated)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


@dataclass
class XResponse:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, value: Any, **headers: str) -> "XResponse":
        content = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        return cls(status, content, {"content-type": "application/json", **headers})
