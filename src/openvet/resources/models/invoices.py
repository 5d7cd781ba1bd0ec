"""Invoices (发票) of paid orders: the buyer asks for one with the title and taxpayer id it
must bear, finance of the selling school issues it, a refund voids it (ADR 0532)."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openvet.resources.models.trading import Order


class InvoiceKind(models.TextChoices):
    # 增值税普通发票 / 增值税专用发票
    NORMAL = "normal", _("Ordinary VAT invoice")
    SPECIAL = "special", _("Special VAT invoice")


class InvoiceStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ISSUED = "issued", _("Issued")
    VOID = "void", _("Void")


class Invoice(models.Model):
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="invoice")
    kind = models.CharField(_("invoice type"), max_length=10, choices=InvoiceKind.choices)
    title = models.CharField(_("invoice title"), max_length=100)
    # 统一社会信用代码 (GB 32100-2015) of the buyer; blank for a person's ordinary invoice.
    taxpayer_id = models.CharField(_("taxpayer id"), max_length=18, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.REQUESTED
    )
    requested_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    number = models.CharField(
        _("invoice number"), max_length=32, unique=True, null=True, blank=True
    )
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"), null=True, blank=True)
    issuer = models.CharField(max_length=20, blank=True)
    issued_by = models.ForeignKey(
        "identity.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering: ClassVar[list[str]] = ["-requested_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(status="requested")
                | Q(number__isnull=False, issued_on__isnull=False, amount_fen__gt=0),
                name="resources_issued_invoice_numbered",
            ),
            models.CheckConstraint(
                condition=~Q(kind="special") | ~Q(taxpayer_id=""),
                name="resources_special_invoice_taxpayer",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.order_id}"
