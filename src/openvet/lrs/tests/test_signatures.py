"""Signed statements: the JWS signature attachment is verified before anything is stored."""

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from openvet.lrs.models import Attachment, Statement
from openvet.lrs.tests.conftest import Lrs, statement
from openvet.lrs.xapi.signatures import SIGNATURE

pytestmark = pytest.mark.django_db

_HASHES = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}


@cache
def key(name: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def certificate(subject: str, signer: str, issuer: str | None = None) -> x509.Certificate:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer or subject)]))
        .public_key(key(subject).public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key(signer), hashes.SHA256())
    )


def der64(found: x509.Certificate) -> str:
    return base64.b64encode(found.public_bytes(serialization.Encoding.DER)).decode()


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def jws(
    payload: dict[str, Any], *, alg: str = "RS256", signer: str = "content", **header: Any
) -> bytes:
    segments = b64url(json.dumps({"alg": alg, **header}).encode()) + "."
    segments += b64url(json.dumps(payload).encode())
    hashing = _HASHES.get(alg, hashes.SHA256)()
    signature = key(signer).sign(segments.encode(), padding.PKCS1v15(), hashing)
    return (segments + "." + b64url(signature)).encode()


def signed_request(content: dict[str, Any], token: bytes) -> tuple[bytes, str]:
    """The multipart body of ``content`` with ``token`` as its signature attachment."""
    sha2 = hashlib.sha256(token).hexdigest()
    body_statement = {
        **content,
        "attachments": [
            {
                "usageType": SIGNATURE,
                "display": {"en-US": "signature"},
                "contentType": "application/octet-stream",
                "length": len(token),
                "sha2": sha2,
            }
        ],
    }
    boundary = "signed-boundary"
    body = (
        (
            f"--{boundary}\r\nContent-Type: application/json\r\n\r\n"
            f"{json.dumps(body_statement)}\r\n"
            f"--{boundary}\r\nContent-Type: application/octet-stream\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n"
        ).encode()
        + token
        + f"\r\n--{boundary}--".encode()
    )
    return body, f'multipart/mixed; boundary="{boundary}"'


def post_signed(lrs: Lrs, content: dict[str, Any], token: bytes) -> Any:
    body, content_type = signed_request(content, token)
    return lrs.request("POST", "/statements", body, **{"content-type": content_type})


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_a_statement_signed_with_its_certificate_is_stored_with_the_signature(
    lrs: Lrs, alg: str
) -> None:
    content = statement()
    token = jws(content, alg=alg, x5c=[der64(certificate("content", "content"))])
    answer = post_signed(lrs, content, token)
    assert answer.status_code == 200, answer.content
    [statement_id] = answer.json()
    stored = Statement.objects.get(statement_id=statement_id)
    assert stored.body["attachments"][0]["usageType"] == SIGNATURE
    assert bytes(Attachment.objects.get(sha2=hashlib.sha256(token).hexdigest()).content) == token


def test_a_certificate_chain_is_followed_to_its_issuer(lrs: Lrs) -> None:
    chain = [der64(certificate("content", "college-ca", "college-ca"))]
    chain.append(der64(certificate("college-ca", "college-ca")))
    content = statement()
    assert post_signed(lrs, content, jws(content, x5c=chain)).status_code == 200


def test_a_broken_certificate_chain_is_refused(lrs: Lrs) -> None:
    chain = [der64(certificate("content", "someone-else", "college-ca"))]
    chain.append(der64(certificate("college-ca", "college-ca")))
    content = statement()
    answer = post_signed(lrs, content, jws(content, x5c=chain))
    assert answer.status_code == 400
    assert "chain" in answer.json()["error"]
    assert Statement.objects.count() == 0


def test_a_signature_made_with_another_key_is_refused_and_nothing_stored(lrs: Lrs) -> None:
    content = statement()
    token = jws(content, signer="intruder", x5c=[der64(certificate("content", "content"))])
    answer = post_signed(lrs, content, token)
    assert answer.status_code == 400
    assert "does not match" in answer.json()["error"]
    assert (Statement.objects.count(), Attachment.objects.count()) == (0, 0)


def test_a_payload_changed_after_signing_is_refused(lrs: Lrs) -> None:
    signed = statement()
    token = jws(signed, x5c=[der64(certificate("content", "content"))])
    changed = statement(verb={"id": "http://adlnet.gov/expapi/verbs/passed"})
    answer = post_signed(lrs, changed, token)
    assert answer.status_code == 400
    assert "payload" in answer.json()["error"]
    assert Statement.objects.count() == 0


def test_a_signature_bit_flipped_is_refused(lrs: Lrs) -> None:
    content = statement()
    token = jws(content, x5c=[der64(certificate("content", "content"))])
    head, payload, signature = token.decode().split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[10] ^= 1
    tampered = f"{head}.{payload}.{b64url(bytes(raw))}".encode()
    assert post_signed(lrs, content, tampered).status_code == 400


def test_an_rsa_jwk_in_the_header_is_verified_too(lrs: Lrs) -> None:
    numbers = key("content").public_key().public_numbers()
    jwk = {
        "kty": "RSA",
        "n": b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
        "e": b64url(numbers.e.to_bytes(3, "big")),
    }
    content = statement()
    assert post_signed(lrs, content, jws(content, jwk=jwk)).status_code == 200
    forged = jws(content, signer="intruder", jwk=jwk)
    assert post_signed(lrs, statement(), forged).status_code == 400


@pytest.mark.parametrize(
    ("token", "words"),
    [
        (b"not-a-jws", "not a JWS"),
        (b"a.b.c", "not a JWS"),
    ],
)
def test_malformed_signatures_are_refused(lrs: Lrs, token: bytes, words: str) -> None:
    answer = post_signed(lrs, statement(), token)
    assert answer.status_code == 400
    assert words in answer.json()["error"]


def test_other_algorithms_and_unreadable_certificates_are_refused(lrs: Lrs) -> None:
    content = statement()
    hs = jws(content, alg="HS256")
    assert "RS256" in post_signed(lrs, content, hs).json()["error"]
    bad_x5c = jws(content, x5c=["bm90IGEgY2VydGlmaWNhdGU="])
    answer = post_signed(lrs, content, bad_x5c)
    assert answer.status_code == 400
    assert "certificate" in answer.json()["error"]
    assert Statement.objects.count() == 0


def test_a_signed_statement_without_a_key_in_its_header_is_checked_against_its_payload(
    lrs: Lrs,
) -> None:
    content = statement()
    assert post_signed(lrs, content, jws(content)).status_code == 200
    other = statement(object={"objectType": "Activity", "id": "http://example.com/other"})
    assert post_signed(lrs, other, jws(content)).status_code == 400
