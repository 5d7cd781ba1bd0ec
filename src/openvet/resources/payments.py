"""How the money of an order arrives: one interface, one working local provider.

``BankTransferProvider`` is the offline bank transfer: the buyer transfers the amount to the
selling school quoting the order number, and the school's finance confirms it with the bank's
reference. A gateway (WeChat Pay, Alipay) would be another ``PaymentProvider`` whose
confirmation comes from its notification instead of a person (ADR 0508).
"""

import re
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openvet.core.errors import ValidationFailed

REFERENCE = re.compile(r"^[A-Za-z0-9-]{4,64}$")


@dataclass(frozen=True)
class PaymentInstructions:
    payee: str
    amount_fen: int
    note: str


class PaymentProvider(Protocol):
    key: str

    def instructions(
        self, *, order_number: str, payee: str, amount_fen: int
    ) -> PaymentInstructions: ...

    def check_confirmation(self, *, reference: str) -> str:
        """The reference to record, or ``ValidationFailed``."""
        ...


class BankTransferProvider:
    key = "bank_transfer"
    label = gettext_lazy("Bank transfer")

    def instructions(
        self, *, order_number: str, payee: str, amount_fen: int
    ) -> PaymentInstructions:
        return PaymentInstructions(payee=payee, amount_fen=amount_fen, note=order_number)

    def check_confirmation(self, *, reference: str) -> str:
        cleaned = reference.strip()
        if not REFERENCE.match(cleaned):
            raise ValidationFailed(
                details={
                    "reference": _(
                        "Enter the bank's reference of the transfer: 4 to 64 letters, digits "
                        "or hyphens."
                    )
                }
            )
        return cleaned


PROVIDERS: dict[str, PaymentProvider] = {BankTransferProvider.key: BankTransferProvider()}
DEFAULT = BankTransferProvider.key


def provider(key: str) -> PaymentProvider:
    return PROVIDERS[key]
