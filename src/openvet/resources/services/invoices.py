"""Invoices (发票) of paid orders: the buyer requests one, finance of the selling school issues
it through the configured issuer, a refund voids it (ADR 0532)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import audit_record
from openvet.core.codes import credit_code_problem
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.models import AuditAction
from openvet.core.policy import Actor
from openvet.resources import invoicing
from openvet.resources import permissions as perms
from openvet.resources.models import Invoice, InvoiceKind, InvoiceStatus, Order, OrderStatus


def _request_errors(kind: str, title: str, taxpayer_id: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in InvoiceKind.values:
        errors["kind"] = _("Choose the type of invoice.")
    if not title.strip() or len(title.strip()) > 100:
        errors["title"] = _("Enter the title the invoice must bear (at most 100 characters).")
    if taxpayer_id:
        # GB 32100-2015: the unified social credit code and its check character.
        problem = credit_code_problem(taxpayer_id)
        if problem == "format":
            errors["taxpayer_id"] = _(
                "A unified social credit code has 18 digits and capital letters."
            )
        elif problem:
            errors["taxpayer_id"] = _(
                "This unified social credit code is mistyped: its check character does not match."
            )
    elif kind == InvoiceKind.SPECIAL:
        errors["taxpayer_id"] = _("A special VAT invoice needs the buyer's taxpayer id.")
    return errors


def invoice_request(
    *, actor: Actor, order: Order, kind: str, title: str, taxpayer_id: str = ""
) -> Invoice:
    """The buyer of a paid order asks for its invoice (one per order)."""
    if order.buyer_id != actor.pk:
        raise PermissionDenied()
    if order.status != OrderStatus.PAID:
        raise ValidationFailed(_("Only a paid order has an invoice."))
    taxpayer_id = taxpayer_id.strip().upper()
    errors = _request_errors(kind, title, taxpayer_id)
    if errors:
        raise ValidationFailed(details=errors)
    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                order=order,
                kind=kind,
                title=title.strip(),
                taxpayer_id=taxpayer_id,
                requested_by_id=actor.pk,
            )
            audit_record(action=AuditAction.CREATE, obj=invoice, org=order.seller_org)
    except IntegrityError as exc:
        raise Conflict(_("An invoice was already requested for this order.")) from exc
    return invoice


def invoice_issue(*, actor: Actor, invoice: Invoice) -> Invoice:
    """Finance of the selling school issues a requested invoice: number, date and amount."""
    order = invoice.order
    if not policy.has_capability(actor, perms.CONFIRM_PAYMENT, order.seller_org):
        raise PermissionDenied()
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().select_related("order").get(pk=invoice.pk)
        if locked.status != InvoiceStatus.REQUESTED:
            raise Conflict(_("This invoice is no longer awaiting issue."))
        if locked.order.status != OrderStatus.PAID:
            raise Conflict(_("Only a paid order has an invoice."))
        chosen = invoicing.issuer()
        issued = chosen.issue(
            seller_org_id=order.seller_org_id,
            order_number=order.number,
            amount_fen=locked.order.amount_fen,
        )
        try:
            with transaction.atomic():
                Invoice.objects.filter(pk=locked.pk).update(
                    status=InvoiceStatus.ISSUED,
                    number=issued.number,
                    issued_on=issued.issued_on,
                    amount_fen=locked.order.amount_fen,
                    issuer=chosen.key,
                    issued_by=actor.pk,
                )
        except IntegrityError as exc:
            raise Conflict(_("Another invoice took this number; issue it again.")) from exc
        locked.refresh_from_db()
        audit_record(
            action=AuditAction.UPDATE,
            obj=locked,
            org=order.seller_org,
            changes={"status": [InvoiceStatus.REQUESTED, InvoiceStatus.ISSUED]},
        )
    return locked


def invoice_void_for_refund(*, order: Order, reason: str) -> None:
    """A refund voids the order's invoice (called inside the refund's transaction)."""
    invoice = Invoice.objects.select_for_update().filter(order=order).first()
    if invoice is None or invoice.status == InvoiceStatus.VOID:
        return
    before = invoice.status
    Invoice.objects.filter(pk=invoice.pk).update(
        status=InvoiceStatus.VOID, voided_at=timezone.now(), void_reason=reason[:200]
    )
    invoice.refresh_from_db()
    audit_record(
        action=AuditAction.UPDATE,
        obj=invoice,
        org=order.seller_org,
        changes={"status": [before, InvoiceStatus.VOID]},
    )
