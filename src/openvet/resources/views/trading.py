"""Pages of the licence trade: offers, orders and receipts, the finance's payment queue,
refunds, the settlement report and a resource's usage log."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.audit import audit_record
from openvet.core.errors import PermissionDenied
from openvet.core.exports import xlsx_bytes
from openvet.core.models import AuditAction
from openvet.core.view_helpers import service_call
from openvet.resources import invoice_selectors, payments, selectors, services
from openvet.resources import permissions as perms
from openvet.resources.forms import OfferForm, PaymentConfirmForm, PeriodForm, RefundForm
from openvet.resources.models import OrderStatus
from openvet.resources.views.common import page


@page
@require_POST
def offer_create(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get_for(actor=request.user, resource_id=resource_id)
    form = OfferForm(request.POST)
    if form.is_valid():
        service_call(
            request,
            lambda: services.offer_create(
                actor=request.user, resource=resource, values=form.offer(timezone.now())
            ),
            success=_("The offer is on sale."),
        )
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect("resources:detail", resource_id=resource.pk)


@page
@require_POST
def order_place(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = selectors.offer_get_for(actor=request.user, offer_id=offer_id)
    outcome = service_call(
        request,
        lambda: services.order_place(actor=request.user, offer=offer),
        success=_("Your order was placed. Transfer the amount as shown below."),
    )
    if outcome.ok and outcome.value is not None:
        return redirect("resources:order", order_id=outcome.value.pk)
    return redirect("resources:detail", resource_id=offer.resource_id)


@page
def order_list(request: HttpRequest) -> HttpResponse:
    orders = selectors.order_list_for(actor=request.user)
    return render(request, "resources/order_list.html", {"orders": orders})


@page
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get_for(actor=request.user, order_id=order_id)
    is_finance = policy.has_capability(request.user, perms.CONFIRM_PAYMENT, order.seller_org)
    provider = payments.provider(order.provider)
    return render(
        request,
        "resources/order_detail.html",
        {
            "order": order,
            "instructions": provider.instructions(
                order_number=order.number,
                payee=order.seller_org.name,
                amount_fen=order.amount_fen,
            ),
            "provider_label": getattr(provider, "label", order.provider),
            "is_finance": is_finance,
            "is_buyer": order.buyer_id == request.user.pk,
            "grant": getattr(order, "grant", None),
            "invoice": invoice_selectors.invoice_of_order(order_id=order.pk),
            "confirm_form": PaymentConfirmForm(),
            "refund_form": RefundForm(),
        },
    )


@page
def payment_list(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, perms.CONFIRM_PAYMENT):
        raise PermissionDenied()
    orders = selectors.payment_queue_for(actor=request.user)
    return render(request, "resources/payment_list.html", {"orders": orders})


@page
def order_confirm(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get_for(actor=request.user, order_id=order_id)
    if not policy.has_capability(request.user, perms.CONFIRM_PAYMENT, order.seller_org):
        raise PermissionDenied()
    form = PaymentConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = service_call(
            request,
            lambda: services.order_confirm_payment(
                actor=request.user, order=order, reference=form.cleaned_data["reference"]
            ),
            form=form,
            success=_("Payment confirmed: the licence is granted and the income shared."),
        )
        if outcome.ok:
            return redirect("resources:order", order_id=order.pk)
    if order.status != OrderStatus.AWAITING_PAYMENT:
        return redirect("resources:order", order_id=order.pk)
    return render(
        request,
        "resources/order_confirm.html",
        {"order": order, "form": form},
        status=422 if form.errors else 200,
    )


@page
@require_POST
def order_cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get_for(actor=request.user, order_id=order_id)
    service_call(
        request,
        lambda: services.order_cancel(actor=request.user, order=order),
        success=_("The order was cancelled."),
    )
    return redirect("resources:order", order_id=order.pk)


@page
@require_POST
def order_refund(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get_for(actor=request.user, order_id=order_id)
    form = RefundForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    service_call(
        request,
        lambda: services.order_refund(actor=request.user, order=order, reason=reason),
        success=_("The order was refunded and its ledger entries reversed."),
    )
    return redirect("resources:order", order_id=order.pk)


def _period(request: HttpRequest) -> PeriodForm:
    today = timezone.localdate()
    initial = {"start": today.replace(day=1), "end": today}
    return PeriodForm(request.GET if "start" in request.GET else initial)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


@page
def settlement(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, perms.CONFIRM_PAYMENT):
        raise PermissionDenied()
    form = _period(request)
    if not form.is_valid():
        return render(request, "resources/settlement.html", {"form": form}, status=422)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    since, until = _bounds(start, end)
    report = selectors.settlement_for(actor=request.user, start=since, end=until)
    if request.GET.get("format") == "xlsx":
        return _settlement_xlsx(request, report, start, end)
    return render(
        request,
        "resources/settlement.html",
        {"form": form, "report": report, "start": start, "end": end},
    )


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def _settlement_xlsx(
    request: HttpRequest, report: selectors.Settlement, start: date, end: date
) -> HttpResponse:
    headers = [
        _("School"),
        _("Resource"),
        _("Contributor"),
        _("Earned (yuan)"),
        _("Reversed (yuan)"),
        _("Net (yuan)"),
    ]
    rows = [
        [
            r.school,
            r.resource,
            r.contributor,
            _yuan(r.earned_fen),
            _yuan(r.reversed_fen),
            _yuan(r.net_fen),
        ]
        for r in report.rows
    ]
    audit_record(
        action=AuditAction.EXPORT,
        object_label=f"settlement {start:%Y-%m-%d}..{end:%Y-%m-%d}",
    )
    response = HttpResponse(
        xlsx_bytes(headers, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"settlement-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@page
def usage(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get_for(actor=request.user, resource_id=resource_id)
    entries = selectors.usage_list_for(actor=request.user, resource=resource)
    return render(request, "resources/usage.html", {"resource": resource, "entries": entries})
