"""Reading invoices: for the buyer of their order, or for the finance of the selling school;
anyone else gets 404."""

from django.db.models import Q, QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.resources import permissions as perms
from openvet.resources.models import Invoice, InvoiceStatus


def _finance_condition(actor: Actor) -> Q:
    condition = Q(pk__in=[])
    for path in policy.capability_paths(actor, perms.CONFIRM_PAYMENT):
        condition |= Q(order__seller_org__path__startswith=path)
    return condition


def invoice_get_for(*, actor: Actor, invoice_id: int) -> Invoice:
    found = (
        Invoice.objects.filter(Q(order__buyer=actor.pk) | _finance_condition(actor), pk=invoice_id)
        .select_related("order__resource", "order__seller_org", "order__buyer_org", "order__buyer")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def invoice_of_order(*, order_id: int) -> Invoice | None:
    """The invoice of an order already read through ``order_get_for``."""
    return Invoice.objects.filter(order_id=order_id).first()


def invoice_list_for(*, actor: Actor) -> QuerySet[Invoice]:
    """The actor's own invoices and, for finance, those of their school's sales, the requests
    awaiting issue first."""
    return (
        Invoice.objects.filter(Q(order__buyer=actor.pk) | _finance_condition(actor))
        .select_related("order__resource", "order__buyer_org", "order__seller_org")
        .order_by("-requested_at", "-id")
    )


def awaiting_issue_for(*, actor: Actor) -> QuerySet[Invoice]:
    return invoice_list_for(actor=actor).filter(
        _finance_condition(actor), status=InvoiceStatus.REQUESTED
    )
