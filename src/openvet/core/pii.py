"""Personal information at rest and on the way out (个人信息保护法; GB/T 22239-2019 8.1.4.8).

Citizen ID numbers and mobile numbers are stored encrypted (Fernet, key from the
environment) beside a keyed digest (HMAC-SHA256) that allows exact-match search without
decrypting.

One rule for every page, API response and export that carries ID numbers, mobiles,
guardian phones or addresses (ADR 0012): masked by default; clear only when the request
asks for it explicitly (``?reveal=pii``, a reveal button, an export option), the caller holds
``identity.reveal_pii`` over the subject's organisation and, with an API token, the token has
the ``pii`` scope. Each disclosure is audited once: who, which fields, which subjects, how
many rows. ``Disclosure`` is that rule; serializers, pages and exporters call ``show``.
"""

import hashlib
import hmac
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models

from openvet.core import policy
from openvet.core.audit import audit_record
from openvet.core.models import AuditAction, AuditEntry, OrgUnit
from openvet.core.policy import Actor

REVEAL_CAPABILITY = "identity.reveal_pii"
REVEAL_PARAMETER = "reveal"
# ``pii`` is the documented value; ``1`` and ``true`` are older spellings of the same request.
REVEAL_VALUES = frozenset({"pii", "1", "true"})
TOKEN_SCOPE = "pii"  # noqa: S105 - a scope name, not a secret
# Subjects named in one audit entry; the row count is always exact.
AUDITED_SUBJECTS = 1000


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


def mask_address(value: str) -> str:
    """浙江省杭州市西湖区文三路90号 → 浙江省杭州市*********: the first 6 characters kept."""
    if not value:
        return ""
    if len(value) <= 6:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 6)


def looks_masked(value: str) -> bool:
    """Whether ``value`` carries a run of the mask character: a masked value sent back (an
    exported file re-imported, a form resubmitted) must never overwrite the clear one."""
    return "***" in value


class PiiKind(StrEnum):
    ID_NUMBER = "id_number"
    MOBILE = "mobile"
    ADDRESS = "address"


MASKS: dict[PiiKind, Callable[[str], str]] = {
    PiiKind.ID_NUMBER: mask_id_number,
    PiiKind.MOBILE: mask_mobile,
    PiiKind.ADDRESS: mask_address,
}


def mask(kind: PiiKind, value: str | None) -> str:
    return MASKS[kind](value or "")


def reveal_asked(request: Any) -> bool:
    """True when ``request`` asks for clear values and, if an API token authenticated it,
    the token carries the ``pii`` scope (a read token alone never gets clear values)."""
    wanted = str(request.GET.get(REVEAL_PARAMETER, "")).strip().lower() in REVEAL_VALUES
    token = getattr(request, "api_token", None)
    if token is not None and TOKEN_SCOPE not in (getattr(token, "scopes", None) or ()):
        return False
    return wanted


class Disclosure:
    """Personal data of one response or file: masked unless asked for and allowed.

    ``show`` returns the clear value only when ``asked`` and the actor may reveal personal
    data at the subject's organisation, and remembers which field of which subject went out
    in clear; ``audit`` then writes one entry for the whole response.
    """

    def __init__(self, *, actor: Actor, asked: bool, purpose: str) -> None:
        self.actor, self.asked, self.purpose = actor, asked, purpose
        self._allowed: dict[int, bool] = {}
        self.fields: set[str] = set()
        self.subjects: set[str] = set()
        self.org: OrgUnit | None = None

    @classmethod
    def for_request(cls, request: Any, *, purpose: str) -> "Disclosure":
        return cls(actor=request.user, asked=reveal_asked(request), purpose=purpose)

    def allows(self, org: OrgUnit | None) -> bool:
        if not self.asked or org is None:
            return False
        if org.pk not in self._allowed:
            self._allowed[org.pk] = policy.has_capability(self.actor, REVEAL_CAPABILITY, org)
        return self._allowed[org.pk]

    def clear(
        self, value: str | None, *, org: OrgUnit | None, subject: str, field: str
    ) -> str | None:
        """The clear ``value`` when allowed (and recorded), else None (for formats that leave
        the field out rather than write a masked value)."""
        if not value or not self.allows(org):
            return None
        self.fields.add(field)
        self.subjects.add(subject)
        if self.org is None:
            self.org = org
        return value

    def show(
        self, value: str | None, *, kind: PiiKind, org: OrgUnit | None, subject: str, field: str
    ) -> str:
        """``value`` for the reader: clear (and recorded) when allowed, else masked."""
        clear = self.clear(value, org=org, subject=subject, field=field)
        return clear if clear is not None else mask(kind, value)

    @property
    def revealed(self) -> bool:
        return bool(self.subjects)

    def audit(
        self, *, org: OrgUnit | None = None, obj: models.Model | None = None
    ) -> AuditEntry | None:
        """One entry naming the fields, the subjects and their number; none if nothing
        went out in clear."""
        if not self.subjects:
            return None
        subjects = sorted(self.subjects)
        return audit_record(
            action=AuditAction.REVEAL,
            obj=obj,
            org=org or self.org,
            actor=self.actor,
            object_label=self.purpose,
            changes={
                "fields": sorted(self.fields),
                "subjects": subjects[:AUDITED_SUBJECTS],
                "rows": len(subjects),
            },
        )
