"""Signed statements: a JWS attachment whose payload is the statement (xAPI 1.0.3 §4.4,
xAPI 2.0 §5.3 "Signed Statements"; JWS compact serialisation, RFC 7515; RS256/384/512,
RFC 7518 §3.3).

The rules the LRS applies (ADR 0420):
- the attachment is ``application/octet-stream`` and sent as a part;
- it is a JWS in compact serialisation whose ``alg`` is RS256, RS384 or RS512;
- its payload is this statement, compared as statements are (the properties the LRS sets
  left out, durations compared by value);
- when the header carries the signer's key, the signature must verify with it: the first
  certificate of ``x5c`` (each certificate of the chain must be issued by the next one), or
  an RSA ``jwk``. A statement signed with any other key fails here with 400.

With neither ``x5c`` nor ``jwk`` the LRS has no key to verify against and stores the
statement once its payload matches; the specification leaves that trust to the consumer.
"""

import base64
import binascii
import json
from itertools import pairwise
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from openvet.lrs.xapi.errors import XapiInvalid
from openvet.lrs.xapi.validate import duration_key

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}
ALGORITHMS = set(HASHES)
_NOT_SIGNED = ("attachments", "authority", "stored", "version", "id")
_WHERE = "statement.attachments"


def _b64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _comparable(statement: dict[str, Any]) -> dict[str, Any]:
    found = {key: value for key, value in statement.items() if key not in _NOT_SIGNED}
    result = found.get("result")
    if isinstance(result, dict) and isinstance(result.get("duration"), str):
        found["result"] = {**result, "duration": duration_key(result["duration"])}
    return found


def _certificates(x5c: Any) -> list[x509.Certificate]:
    """The ``x5c`` chain (RFC 7515 §4.1.6: standard base64 of DER, signer first), each
    certificate checked to be issued by the next one."""
    if not isinstance(x5c, list) or not x5c or not all(isinstance(c, str) for c in x5c):
        raise XapiInvalid(f"{_WHERE}: the JWS x5c must be a list of certificates")
    try:
        chain = [x509.load_der_x509_certificate(base64.b64decode(c, validate=True)) for c in x5c]
    except (ValueError, binascii.Error) as exc:
        raise XapiInvalid(f"{_WHERE}: the JWS x5c holds a certificate that cannot be read") from exc
    for certificate, issuer in pairwise(chain):
        try:
            certificate.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm) as exc:
            raise XapiInvalid(f"{_WHERE}: the JWS x5c chain is broken") from exc
    return chain


def _jwk_key(jwk: Any) -> rsa.RSAPublicKey:
    if not isinstance(jwk, dict) or jwk.get("kty") != "RSA":
        raise XapiInvalid(f"{_WHERE}: the JWS jwk must be an RSA key")
    try:
        n = int.from_bytes(_b64(str(jwk["n"])), "big")
        e = int.from_bytes(_b64(str(jwk["e"])), "big")
        return rsa.RSAPublicNumbers(e, n).public_key()
    except (KeyError, ValueError, binascii.Error) as exc:
        raise XapiInvalid(f"{_WHERE}: the JWS jwk is not a usable RSA key") from exc


def _signer_key(header: dict[str, Any]) -> rsa.RSAPublicKey | None:
    if "x5c" in header:
        key = _certificates(header["x5c"])[0].public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise XapiInvalid(f"{_WHERE}: the JWS certificate must hold an RSA key")
        return key
    if "jwk" in header:
        return _jwk_key(header["jwk"])
    return None


def verify_jws(token: bytes, statement: dict[str, Any]) -> None:
    """Refuse (400) a JWS that is malformed, not RS256/384/512, not of this statement, or
    whose signature does not verify with the key its header carries."""
    try:
        header_segment, payload_segment, signature_segment = token.decode("ascii").split(".")
        header = json.loads(_b64(header_segment))
        payload = json.loads(_b64(payload_segment))
        signature = _b64(signature_segment)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise XapiInvalid(f"{_WHERE}: the signature is not a JWS") from exc
    if not isinstance(header, dict) or header.get("alg") not in ALGORITHMS:
        raise XapiInvalid(f"{_WHERE}: the JWS must use RS256, RS384 or RS512")
    if not isinstance(payload, dict) or _comparable(payload) != _comparable(statement):
        raise XapiInvalid(f"{_WHERE}: the JWS payload is not this statement")
    key = _signer_key(header)
    if key is None:
        return
    signed = f"{header_segment}.{payload_segment}".encode("ascii")
    try:
        key.verify(signature, signed, padding.PKCS1v15(), HASHES[header["alg"]]())
    except InvalidSignature as exc:
        raise XapiInvalid(f"{_WHERE}: the JWS signature does not match the statement") from exc


def check(statement: dict[str, Any], parts: dict[str, tuple[str, bytes]]) -> None:
    """Refuse a signature attachment that is not a valid RS256/384/512 JWS of this
    statement."""
    for attachment in statement.get("attachments") or []:
        if attachment.get("usageType") != SIGNATURE:
            continue
        if attachment.get("contentType") != "application/octet-stream":
            raise XapiInvalid(f"{_WHERE}: a signature is application/octet-stream")
        part = parts.get(str(attachment.get("sha2", "")).lower())
        if part is None:
            raise XapiInvalid(f"{_WHERE}: the signature must be sent as a part")
        verify_jws(part[1], statement)
