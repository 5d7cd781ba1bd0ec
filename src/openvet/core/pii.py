"""Personal information at rest and on screen (个人信息保护法; GB/T 22239-2019 8.1.4.8).

Citizen ID numbers and mobile numbers are stored encrypted (Fernet, key from the
environment) beside a keyed digest (HMAC-SHA256) that allows exact-match search without
decrypting. They are shown masked unless the viewer's role needs the full value.
"""

import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@cache
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode("ascii"))


def encrypt(value: str) -> str:
    return _fernet(settings.PII_ENCRYPTION_KEY).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.PII_ENCRYPTION_KEY).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("personal data cannot be decrypted with the configured key") from exc


def digest(value: str) -> str:
    """A keyed digest for exact-match lookups; normalises case (the ID check character X)."""
    key = hashlib.sha256(("pii-digest:" + settings.PII_ENCRYPTION_KEY).encode()).digest()
    normalised = value.strip().upper()
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]  # stubs lack generics
    """A text column whose value is encrypted in the database and clear in Python."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def mask_id_number(value: str) -> str:
    """110105199001010023 → 110105********0023: first 6 and last 4 kept."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_mobile(value: str) -> str:
    """13812345678 → 138****5678."""
    if not value:
        return ""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
