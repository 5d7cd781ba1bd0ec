"""Pages of invoices: the buyer's request, the list, the printable invoice, issuing (finance)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.errors import PermissionDenied
from openvet.core.view_helpers import service_call
from openvet.resources import invoice_selectors, selectors
from openvet.resources import permissions as perms
from openvet.resources.invoice_forms import InvoiceRequestForm
from openvet.resources.services.invoices import invoice_issue, invoice_request
from openvet.resources.views.common import page


@page
def invoice_request_page(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get_for(actor=request.user, order_id=order_id)
    if order.buyer_id != request.user.pk:
        raise PermissionDenied()
    existing = invoice_selectors.invoice_of_order(order_id=order.pk)
    if existing is not None:
        return redirect("resources:invoice", invoice_id=existing.pk)
    form = InvoiceRequestForm(request.POST or None, initial={"title": order.buyer_org.name})
    if request.method == "POST" and form.is_valid():
        outcome = service_call(
            request,
            lambda: invoice_request(
                actor=request.user,
                order=order,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                taxpayer_id=form.cleaned_data["taxpayer_id"],
            ),
            form=form,
            success=_("Your request was sent to the selling school's finance office."),
        )
        if outcome.ok and outcome.value is not None:
            return redirect("resources:invoice", invoice_id=outcome.value.pk)
    return render(
        request,
        "resources/invoice_request.html",
        {"order": order, "form": form},
        status=422 if form.errors else 200,
    )


@page
def invoice_list(request: HttpRequest) -> HttpResponse:
    invoices = invoice_selectors.invoice_list_for(actor=request.user)
    return render(
        request,
        "resources/invoice_list.html",
        {
            "invoices": invoices,
            "awaiting": invoice_selectors.awaiting_issue_for(actor=request.user),
        },
    )


@page
def invoice_detail(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = invoice_selectors.invoice_get_for(actor=request.user, invoice_id=invoice_id)
    order = invoice.order
    return render(
        request,
        "resources/invoice_detail.html",
        {
            "invoice": invoice,
            "order": order,
            "is_finance": policy.has_capability(
                request.user, perms.CONFIRM_PAYMENT, order.seller_org
            ),
        },
    )


@page
@require_POST
def invoice_issue_view(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = invoice_selectors.invoice_get_for(actor=request.user, invoice_id=invoice_id)
    service_call(
        request,
        lambda: invoice_issue(actor=request.user, invoice=invoice),
        success=_("The invoice was issued."),
    )
    return redirect("resources:invoice", invoice_id=invoice.pk)
