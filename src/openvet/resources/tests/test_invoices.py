"""Invoices (发票) of paid orders: requested by the buyer with a checked taxpayer id, issued by
the selling school's finance, voided by a refund, hidden from other schools."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import AuditEntry
from openvet.resources import invoice_selectors, services
from openvet.resources.models import Invoice, InvoiceStatus, Order
from openvet.resources.services.invoices import invoice_issue, invoice_request
from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import offer, paid_resource

CREDIT_CODE = "91330100MA2H3Q7B4Q"  # a well-formed 统一社会信用代码 (GB 32100-2015)


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user, backend="openvet.identity.backends.IdentifierBackend")  # type: ignore[arg-type]
    return client


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


@pytest.fixture
def paid(world: World) -> Order:
    resource = paid_resource(world.teacher_a, contributors=[("张老师", 100)])
    order = services.order_place(actor=world.teacher_b, offer=offer(world.teacher_a, resource))
    return services.order_confirm_payment(actor=world.admin_a, order=order, reference="ICBC-0001")


def test_the_buyer_requests_and_the_sellers_finance_issues(world: World, paid: Order) -> None:
    invoice = invoice_request(
        actor=world.teacher_b,
        order=paid,
        kind="special",
        title="School B",
        taxpayer_id=CREDIT_CODE.lower(),
    )
    assert invoice.status == InvoiceStatus.REQUESTED
    assert invoice.taxpayer_id == CREDIT_CODE
    issued = invoice_issue(actor=world.admin_a, invoice=invoice)
    assert issued.status == InvoiceStatus.ISSUED
    assert issued.amount_fen == paid.amount_fen
    assert issued.number
    assert issued.number.startswith("FP")
    assert issued.issued_on is not None
    with pytest.raises(Conflict):
        invoice_issue(actor=world.admin_a, invoice=issued)
    assert AuditEntry.objects.filter(object_type="resources.invoice").count() == 2


@pytest.mark.parametrize(
    ("kind", "taxpayer_id", "field"),
    [
        ("special", "", "taxpayer_id"),
        ("normal", "91330100MA2H3Q7B4A", "taxpayer_id"),  # wrong check character
        ("normal", "12345", "taxpayer_id"),
        ("receipt", "", "kind"),
    ],
)
def test_a_bad_request_says_what_is_wrong_and_keeps_nothing(
    world: World, paid: Order, kind: str, taxpayer_id: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        invoice_request(
            actor=world.teacher_b, order=paid, kind=kind, title="School B", taxpayer_id=taxpayer_id
        )
    assert field in (refused.value.details or {})
    assert not Invoice.objects.exists()


def test_one_invoice_per_order_and_only_its_buyer_asks(world: World, paid: Order) -> None:
    with pytest.raises(PermissionDenied):
        invoice_request(actor=world.teacher_c, order=paid, kind="normal", title="C")
    invoice_request(actor=world.teacher_b, order=paid, kind="normal", title="School B")
    with pytest.raises(Conflict):
        invoice_request(actor=world.teacher_b, order=paid, kind="normal", title="School B")


def test_a_refund_voids_the_invoice(world: World, paid: Order) -> None:
    invoice = invoice_request(actor=world.teacher_b, order=paid, kind="normal", title="B")
    invoice_issue(actor=world.admin_a, invoice=invoice)
    services.order_refund(actor=world.admin_a, order=paid, reason="重复购买")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID
    assert invoice.void_reason == "重复购买"
    assert invoice.number  # a void invoice keeps its number


def test_another_schools_people_get_404_and_cannot_issue(world: World, paid: Order) -> None:
    invoice = invoice_request(actor=world.teacher_b, order=paid, kind="normal", title="B")
    for outsider in (world.teacher_c, world.teacher_a2):
        with pytest.raises(NotFound):
            invoice_selectors.invoice_get_for(actor=outsider, invoice_id=invoice.pk)
        assert (
            _client(outsider).get(reverse("resources:invoice", args=[invoice.pk])).status_code
            == 404
        )
        response = _client(outsider).post(reverse("resources:invoice-issue", args=[invoice.pk]))
        assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        invoice_issue(actor=world.teacher_b, invoice=invoice)  # the buyer is not the finance
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REQUESTED


def test_the_pages_request_issue_and_print(world: World, paid: Order) -> None:
    buyer = _client(world.teacher_b)
    order_page = buyer.get(reverse("resources:order", args=[paid.pk]))
    assert "申请发票" in order_page.content.decode()
    url = reverse("resources:invoice-request", args=[paid.pk])
    refused = buyer.post(
        url, {"kind": "special", "title": "乙校", "taxpayer_id": "91330100MA2H3Q7B4A"}
    )
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "校验" in page
    assert "乙校" in page
    sent = buyer.post(url, {"kind": "special", "title": "乙校", "taxpayer_id": CREDIT_CODE})
    invoice = Invoice.objects.get()
    assert sent.status_code == 302
    finance = _client(world.admin_a)
    listing = finance.get(reverse("resources:invoice-list")).content.decode()
    assert "乙校" in listing
    assert finance.post(reverse("resources:invoice-issue", args=[invoice.pk])).status_code == 302
    invoice.refresh_from_db()
    printed = buyer.get(reverse("resources:invoice", args=[invoice.pk])).content.decode()
    assert invoice.number in printed
    assert "增值税专用发票" in printed
    assert "¥1,200.00" in printed
