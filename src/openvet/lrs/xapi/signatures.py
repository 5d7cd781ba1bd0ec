"""Signed statements: a JWS attachment whose payload is the statement (xAPI 2.0 §5.3)."""

import base64
import json
from typing import Any

from openvet.lrs.xapi.errors import XapiInvalid
from openvet.lrs.xapi.validate import duration_key

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
ALGORITHMS = {"RS256", "RS384", "RS512"}
_NOT_SIGNED = ("attachments", "authority", "stored", "version", "id")


def _b64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _comparable(statement: dict[str, Any]) -> dict[str, Any]:
    found = {key: value for key, value in statement.items() if key not in _NOT_SIGNED}
    result = found.get("result")
    if isinstance(result, dict) and isinstance(result.get("duration"), str):
        found["result"] = {**result, "duration": duration_key(result["duration"])}
    return found


def check(statement: dict[str, Any], parts: dict[str, tuple[str, bytes]]) -> None:
    """Refuse a signature attachment that is not an RS256/384/512 JWS of this statement."""
    for attachment in statement.get("attachments") or []:
        if attachment.get("usageType") != SIGNATURE:
            continue
        if attachment.get("contentType") != "application/octet-stream":
            raise XapiInvalid("statement.attachments: a signature is application/octet-stream")
        part = parts.get(str(attachment.get("sha2", "")).lower())
        if part is None:
            raise XapiInvalid("statement.attachments: the signature must be sent as a part")
        try:
            header_segment, payload_segment, _signature = part[1].decode("ascii").split(".")
            header = json.loads(_b64(header_segment))
            payload = json.loads(_b64(payload_segment))
        except (ValueError, UnicodeDecodeError) as exc:
            raise XapiInvalid("statement.attachments: the signature is not a JWS") from exc
        if not isinstance(header, dict) or header.get("alg") not in ALGORITHMS:
            raise XapiInvalid("statement.attachments: the JWS must use RS256, RS384 or RS512")
        if not isinstance(payload, dict) or _comparable(payload) != _comparable(statement):
            raise XapiInvalid("statement.attachments: the JWS payload is not this statement")
