"""Licences of paid resources and the money they bring: offers, orders, the licences orders
grant, the double-entry ledger that shares each payment among contributors, and the log of
who used a resource.

Amounts are integer fen (分), never floats. Ledger rows are append-only: a mistake is undone
by a reversing transaction, never by an edit (ADR 0509).
"""

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openvet.resources.models.library import Contributor, Resource


class AppendOnlyError(RuntimeError):
    """Ledger rows are never changed or deleted: reverse them instead."""


class OfferScope(models.TextChoices):
    USER = "user", _("Per user")
    INSTITUTION = "institution", _("Per institution")


class Offer(models.Model):
    """A price at which a paid resource may be licensed, open between two instants."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="offers")
    scope = models.CharField(_("licensee"), max_length=12, choices=OfferScope.choices)
    price_fen = models.PositiveBigIntegerField(_("price (fen)"))
    # None: the licence does not expire; 365: a licence per year.
    term_days = models.PositiveIntegerField(_("licence term (days)"), null=True, blank=True)
    valid_from = models.DateTimeField(_("on sale from"))
    valid_until = models.DateTimeField(_("on sale until"))
    created_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering: ClassVar[list[str]] = ["resource", "scope", "price_fen", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="resources_offer_priced"),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="resources_offer_window",
            ),
        ]

    def __str__(self) -> str:
        # What the audit log shows: the resource and the price in yuan, in no one's words.
        whole, fen = divmod(self.price_fen, 100)
        return f"{self.resource.title} ¥{whole}.{fen:02d}"


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class Order(models.Model):
    """A purchase of a licence by a person for themselves or for their school."""

    number = models.CharField(_("order number"), max_length=24, unique=True)
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="orders")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    # The buyer's school: the licensee of an institutional licence.
    buyer_org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    # The school that sells (owns the resource) and receives the transfer.
    seller_org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(_("licensee"), max_length=12, choices=OfferScope.choices)
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    term_days = models.PositiveIntegerField(null=True, blank=True)
    provider = models.CharField(_("payment method"), max_length=20)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.AWAITING_PAYMENT,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "identity.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    receipt_number = models.CharField(max_length=24, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="resources_order_priced"),
            models.CheckConstraint(
                condition=~Q(status="paid")
                | Q(paid_at__isnull=False, receipt_number__isnull=False),
                name="resources_paid_order_has_receipt",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class LicenceGrant(models.Model):
    """What a paid order grants: the use of a resource by one person or by every member of a
    school, until ``expires_at`` (None: without end) unless revoked by a refund."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="grants")
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="grant")
    user = models.ForeignKey(
        "identity.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(
        "core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering: ClassVar[list[str]] = ["-starts_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, org__isnull=True)
                | Q(user__isnull=True, org__isnull=False),
                name="resources_grant_one_licensee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.user_id or self.org_id}"


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("ledger rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("ledger rows are append-only")


class LedgerTransaction(AppendOnly):
    """One balanced journal entry: a sale when an order is paid, or the reversal of one."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="transactions")
    # The transaction this one reverses; a transaction is reversed at most once.
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    memo = models.CharField(max_length=200)
    created_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering: ClassVar[list[str]] = ["created_at", "id"]

    def __str__(self) -> str:
        return self.memo


class Account(models.TextChoices):
    BANK = "bank", _("Bank (transfers received)")
    CONTRIBUTOR = "contributor", _("Payable to contributor")


class LedgerLine(AppendOnly):
    """A debit or a credit of one account, in fen."""

    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="lines"
    )
    account = models.CharField(_("account"), max_length=12, choices=Account.choices)
    contributor = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The selling school: whose books these are.
    org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=120)
    debit_fen = models.PositiveBigIntegerField(default=0)
    credit_fen = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        ordering: ClassVar[list[str]] = ["transaction", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(debit_fen__gt=0, credit_fen=0) | Q(debit_fen=0, credit_fen__gt=0),
                name="resources_line_one_side",
            ),
            models.CheckConstraint(
                condition=Q(account="bank", contributor__isnull=True)
                | Q(account="contributor", contributor__isnull=False),
                name="resources_line_account_matches",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.debit_fen}/{self.credit_fen}"


class UsageAction(models.TextChoices):
    VIEW = "view", _("Viewed the page")
    OPEN = "open", _("Opened a file")
    DOWNLOAD = "download", _("Downloaded a file")


class UsageLog(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="usage")
    user = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=UsageAction.choices)
    filename = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("use of a resource")
        verbose_name_plural = _("uses of resources")
        ordering: ClassVar[list[str]] = ["-at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["resource", "-at"], name="resources_usage_by_resource")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.action}"
