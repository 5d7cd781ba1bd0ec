"""Who issues an invoice (发票): one interface, one working local implementation (ADR 0532).

``LocalIssuer`` records the invoice here with a number of the school's own series and the
date of issue, and the platform prints it (a page to print or save as PDF). A deployment
connected to the tax authority's electronic invoicing service (全电发票) would be another
``InvoiceIssuer`` whose number and date come from that service."""

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Issued:
    number: str
    issued_on: date


class InvoiceIssuer(Protocol):
    key: str

    def issue(self, *, seller_org_id: int, order_number: str, amount_fen: int) -> Issued: ...


class LocalIssuer:
    key = "local"

    def issue(self, *, seller_org_id: int, order_number: str, amount_fen: int) -> Issued:
        # Numbers run per school and year: FP, the year, the school, a sequence of six digits.
        from openvet.resources.models import Invoice

        today = timezone.localdate()
        prefix = f"FP{today:%Y}{seller_org_id:04d}"
        taken = Invoice.objects.filter(number__startswith=prefix).count()
        return Issued(number=f"{prefix}{taken + 1:06d}", issued_on=today)


def issuer() -> InvoiceIssuer:
    name = getattr(settings, "RESOURCES_INVOICE_ISSUER", "")
    if name:
        chosen: InvoiceIssuer = import_string(name)()
        return chosen
    return LocalIssuer()
