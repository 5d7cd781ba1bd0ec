"""Selling licences of paid resources: offers, orders, payment confirmed by the selling
school's finance, the licence it grants, refunds (ADR 0507, 0508)."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.models import AuditAction
from openvet.core.policy import Actor
from openvet.resources import payments
from openvet.resources import permissions as perms
from openvet.resources.models import (
    Licence,
    LicenceGrant,
    Offer,
    OfferScope,
    Order,
    OrderStatus,
    Resource,
    ResourceStatus,
)
from openvet.resources.services.invoices import invoice_void_for_refund
from openvet.resources.services.ledger import ledger_post_sale, ledger_reverse_order
from openvet.resources.services.resources import actor_school

MAX_PRICE_FEN = 100_000_000  # one million yuan
MAX_TERM_DAYS = 3660


@dataclass(frozen=True)
class OfferIn:
    scope: str
    price_fen: int
    term_days: int | None
    valid_from: datetime
    valid_until: datetime


def _offer_errors(values: OfferIn) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.scope not in OfferScope.values:
        errors["scope"] = _("Choose who the licence is for.")
    if not 0 < values.price_fen <= MAX_PRICE_FEN:
        errors["price"] = _("Enter a price above zero and at most 1,000,000 yuan.")
    if values.term_days is not None and not 0 < values.term_days <= MAX_TERM_DAYS:
        errors["term_days"] = _("A licence lasts from 1 to 3,660 days, or without end.")
    if values.valid_until <= values.valid_from:
        errors["valid_until"] = _("The offer must end after it starts.")
    return errors


def offer_create(*, actor: Actor, resource: Resource, values: OfferIn) -> Offer:
    """A price for a paid, published resource, set by its owner or the school's managers."""
    if not perms.can_edit_resource(actor, resource):
        raise PermissionDenied()
    if resource.licence != Licence.PAID or resource.status != ResourceStatus.PUBLISHED:
        raise ValidationFailed(_("Only a published resource under a paid licence is sold."))
    errors = _offer_errors(values)
    if errors:
        raise ValidationFailed(details=errors)
    with transaction.atomic():
        offer = Offer.objects.create(
            resource=resource,
            scope=values.scope,
            price_fen=values.price_fen,
            term_days=values.term_days,
            valid_from=values.valid_from,
            valid_until=values.valid_until,
            created_by_id=actor.pk,
        )
        audit_record(action=AuditAction.CREATE, obj=offer, org=resource.org)
    return offer


def _number(prefix: str) -> str:
    return f"{prefix}{timezone.localdate():%Y%m%d}{secrets.token_hex(4).upper()}"


def order_place(*, actor: Actor, offer: Offer) -> Order:
    """An order for ``offer`` by the actor, for themselves or for their school, awaiting the
    transfer. An offer outside its window is refused; so is a licence already held."""
    resource = offer.resource
    now = timezone.now()
    if not offer.valid_from <= now < offer.valid_until:
        raise ValidationFailed(
            _("This offer is on sale from %(start)s to %(end)s; it cannot be ordered now.")
            % {
                "start": date_format(timezone.localtime(offer.valid_from), "SHORT_DATE_FORMAT"),
                "end": date_format(timezone.localtime(offer.valid_until), "SHORT_DATE_FORMAT"),
            },
            code="offer_not_on_sale",
        )
    capability = perms.ADD if offer.scope == OfferScope.INSTITUTION else perms.VIEW
    if not policy.has_capability(actor, capability):
        raise PermissionDenied(_("Only teachers and administrators buy for their school."))
    school = actor_school(actor, capability)
    reach = perms.reach_of(actor)
    if perms.in_own_school(reach, resource.org):
        raise ValidationFailed(_("Your school owns this resource: you may use it already."))
    if LicenceGrant.objects.filter(
        perms.holds_licence_condition(actor, reach, now), resource=resource
    ).exists():
        raise ValidationFailed(_("You already hold a licence for this resource."))
    with transaction.atomic():
        order = Order.objects.create(
            number=_number("RO"),
            offer=offer,
            resource=resource,
            buyer_id=actor.pk,
            buyer_org=school,
            seller_org=resource.org,
            scope=offer.scope,
            amount_fen=offer.price_fen,
            term_days=offer.term_days,
            provider=payments.DEFAULT,
        )
        audit_record(action=AuditAction.CREATE, obj=order, org=school)
    return order


def _require_finance(actor: Actor, order: Order) -> None:
    if not policy.has_capability(actor, perms.CONFIRM_PAYMENT, order.seller_org):
        raise PermissionDenied()


def order_confirm_payment(*, actor: Actor, order: Order, reference: str) -> Order:
    """Finance of the selling school confirms the transfer arrived: the order is paid, its
    licence starts, and the ledger shares the amount among the contributors, all at once."""
    _require_finance(actor, order)
    checked = payments.provider(order.provider).check_confirmation(reference=reference)
    now = timezone.now()
    with transaction.atomic():
        changed = Order.objects.filter(pk=order.pk, status=OrderStatus.AWAITING_PAYMENT).update(
            status=OrderStatus.PAID,
            paid_at=now,
            confirmed_by=actor.pk,
            payment_reference=checked,
            receipt_number=_number("RR"),
        )
        if not changed:
            raise Conflict(_("This order is no longer awaiting payment."))
        order.refresh_from_db()
        LicenceGrant.objects.create(
            resource_id=order.resource_id,
            order=order,
            user_id=order.buyer_id if order.scope == OfferScope.USER else None,
            org=order.buyer_org if order.scope == OfferScope.INSTITUTION else None,
            starts_at=now,
            expires_at=now + timedelta(days=order.term_days) if order.term_days else None,
        )
        ledger_post_sale(order=order, actor=actor, at=now)
        audit_record(
            action=AuditAction.UPDATE,
            obj=order,
            org=order.seller_org,
            changes={"status": [OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID]},
        )
    return order


def order_cancel(*, actor: Actor, order: Order) -> Order:
    """The buyer, or the seller's finance, cancels an order still awaiting payment."""
    if order.buyer_id != actor.pk:
        _require_finance(actor, order)
    with transaction.atomic():
        changed = Order.objects.filter(pk=order.pk, status=OrderStatus.AWAITING_PAYMENT).update(
            status=OrderStatus.CANCELLED
        )
        if not changed:
            raise Conflict(_("This order is no longer awaiting payment."))
        order.refresh_from_db()
        audit_record(action=AuditAction.UPDATE, obj=order, org=order.seller_org)
    return order


def order_refund(*, actor: Actor, order: Order, reason: str) -> Order:
    """Finance refunds a paid order: the licence ends now and the ledger entries are reversed
    (never edited)."""
    _require_finance(actor, order)
    if not reason.strip():
        raise ValidationFailed(details={"reason": _("Say why the order is refunded.")})
    now = timezone.now()
    with transaction.atomic():
        changed = Order.objects.filter(pk=order.pk, status=OrderStatus.PAID).update(
            status=OrderStatus.REFUNDED
        )
        if not changed:
            raise Conflict(_("Only a paid order can be refunded."))
        order.refresh_from_db()
        LicenceGrant.objects.filter(order=order, revoked_at__isnull=True).update(revoked_at=now)
        ledger_reverse_order(order=order, actor=actor, at=now, memo=reason.strip()[:200])
        invoice_void_for_refund(order=order, reason=reason.strip())
        audit_record(
            action=AuditAction.UPDATE,
            obj=order,
            org=order.seller_org,
            changes={"status": [OrderStatus.PAID, OrderStatus.REFUNDED], "reason": reason},
        )
    return order
