"""multipart/mixed bodies of statements with attachments (xAPI 1.0.3 §2.4.11, 2.0 §5.2)."""

import hashlib
import re
from dataclasses import dataclass

from openvet.lrs.xapi.errors import XapiInvalid

_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


@dataclass(frozen=True)
class Part:
    headers: dict[str, str]
    content: bytes


def boundary_of(content_type: str) -> str:
    match = _BOUNDARY.search(content_type)
    if match is None:
        raise XapiInvalid("Content-Type: multipart/mixed needs a boundary")
    return match.group(1)


def _part(raw: bytes) -> Part:
    head, separator, content = raw.partition(b"\r\n\r\n")
    if not separator:
        raise XapiInvalid("multipart: a part has no header block")
    headers: dict[str, str] = {}
    for line in head.decode("latin-1").split("\r\n"):
        if line.strip():
            name, colon, value = line.partition(":")
            if not colon:
                raise XapiInvalid("multipart: a part has a malformed header")
            headers[name.strip().lower()] = value.strip()
    return Part(headers, content)


def parts(body: bytes, content_type: str) -> list[Part]:
    delimiter = b"--" + boundary_of(content_type).encode("latin-1")
    pieces = body.split(delimiter)
    if len(pieces) < 3 or not pieces[-1].startswith(b"--"):
        raise XapiInvalid("multipart: the body is not multipart/mixed with this boundary")
    found = []
    for piece in pieces[1:-1]:
        if not piece.startswith(b"\r\n") or not piece.endswith(b"\r\n"):
            raise XapiInvalid("multipart: parts must be separated by CRLF")
        found.append(_part(piece[2:-2]))
    return found


def attachment_parts(found: list[Part]) -> dict[str, tuple[str, bytes]]:
    """The attachment parts by SHA-256: each needs X-Experience-API-Hash and
    Content-Transfer-Encoding: binary, and its content must have that hash."""
    attachments: dict[str, tuple[str, bytes]] = {}
    for index, part in enumerate(found, start=1):
        sha2 = part.headers.get("x-experience-api-hash")
        if not sha2:
            raise XapiInvalid(f"multipart part {index}: X-Experience-API-Hash is required")
        if part.headers.get("content-transfer-encoding", "").lower() != "binary":
            raise XapiInvalid(f"multipart part {index}: Content-Transfer-Encoding must be binary")
        if hashlib.sha256(part.content).hexdigest() != sha2.lower():
            raise XapiInvalid(f"multipart part {index}: the content does not match its hash")
        content_type = part.headers.get("content-type", "application/octet-stream")
        attachments[sha2.lower()] = (content_type, part.content)
    return attachments


def build(parts_: list[tuple[dict[str, str], bytes]], boundary: str) -> bytes:
    out = bytearray()
    for headers, content in parts_:
        out += f"--{boundary}\r\n".encode()
        for name, value in headers.items():
            out += f"{name}: {value}\r\n".encode()
        out += b"\r\n" + content + b"\r\n"
    out += f"--{boundary}--".encode()
    return bytes(out)
