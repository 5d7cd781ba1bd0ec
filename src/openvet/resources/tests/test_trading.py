"""Licences of paid resources: offers, orders, payment confirmed by finance, the ledger that
shares the money, refunds, access to the files and the watermark on PDF downloads."""

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.resources import selectors, services
from openvet.resources.models import (
    AppendOnlyError,
    LedgerLine,
    LicenceGrant,
    Order,
    OrderStatus,
    UsageLog,
)
from openvet.resources.services.ledger import split_fen
from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import offer, paid_resource

CONTRIBUTORS = [("张老师", 50), ("李老师", 30), ("王工程师", 20)]


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user, backend="openvet.identity.backends.IdentifierBackend")  # type: ignore[arg-type]
    return client


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    # The school administrator acts as finance here; their second factor is tested in identity.
    settings.REQUIRE_ADMIN_TOTP = False


@pytest.fixture
def sold(world: World) -> Any:
    resource = paid_resource(world.teacher_a, contributors=CONTRIBUTORS)
    return resource, offer(world.teacher_a, resource)


def _paid_order(world: World, sold: Any) -> Order:
    order = services.order_place(actor=world.teacher_b, offer=sold[1])
    return services.order_confirm_payment(
        actor=world.admin_a, order=order, reference="ICBC-2026-0001"
    )


@pytest.mark.parametrize(
    ("amount", "shares", "parts"),
    [
        (120_000, [50, 30, 20], [60_000, 36_000, 24_000]),
        (100, [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")], [33, 33, 34]),
        (1, [50, 50], [1, 0]),
        (10, [Decimal("33.3"), Decimal("33.3"), Decimal("33.4")], [3, 3, 4]),
    ],
)
def test_split_gives_whole_fen_that_add_up_to_the_amount(
    amount: int, shares: list[Decimal], parts: list[int]
) -> None:
    assert split_fen(amount, [Decimal(s) for s in shares]) == parts
    assert sum(parts) == amount


def test_a_paid_resource_is_found_by_other_schools_only_while_on_sale(world: World) -> None:
    resource = paid_resource(world.teacher_a, contributors=CONTRIBUTORS)
    found = selectors.resource_list_for(actor=world.teacher_c).filter(pk=resource.pk)
    assert not found.exists()
    offer(world.teacher_a, resource)
    assert found.exists()
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert (
            not selectors.resource_list_for(actor=world.teacher_c).filter(pk=resource.pk).exists()
        )


def test_confirmed_payment_grants_the_school_and_splits_the_ledger(world: World, sold: Any) -> None:
    order = _paid_order(world, sold)
    assert order.status == OrderStatus.PAID
    assert order.receipt_number
    grant = LicenceGrant.objects.get(order=order)
    assert grant.org == world.school_b
    assert grant.user is None
    assert grant.expires_at == order.paid_at + timedelta(days=365)
    lines = LedgerLine.objects.filter(transaction__order=order)
    credits = {line.label: line.credit_fen for line in lines if line.account == "contributor"}
    assert credits == {"张老师": 60_000, "李老师": 36_000, "王工程师": 24_000}
    totals = lines.aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    assert totals == {"d": 120_000, "c": 120_000}


def test_every_member_of_the_buying_school_opens_it_and_only_them(world: World, sold: Any) -> None:
    resource = sold[0]
    assert not selectors.has_access(actor=world.teacher_b, resource=resource)
    assert not selectors.has_access(actor=world.head_b, resource=resource)
    _paid_order(world, sold)
    assert selectors.has_access(actor=world.teacher_b, resource=resource)
    assert selectors.has_access(actor=world.head_b, resource=resource)
    # The seller's own people always; another province's teacher never.
    assert selectors.has_access(actor=world.teacher_a2, resource=resource)


def test_the_institutional_licence_expires(world: World, sold: Any) -> None:
    _paid_order(world, sold)
    with time_machine.travel(timezone.now() + timedelta(days=366)):
        assert not selectors.has_access(actor=world.head_b, resource=sold[0])


def test_an_expired_offer_is_refused_and_nothing_is_written(world: World, sold: Any) -> None:
    late = offer(
        world.teacher_a,
        sold[0],
        valid_from=timezone.now() - timedelta(days=10),
        valid_until=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(ValidationFailed) as refused:
        services.order_place(actor=world.teacher_b, offer=late)
    assert refused.value.code == "offer_not_on_sale"
    assert not Order.objects.exists()


def test_only_the_selling_schools_finance_confirms(world: World, sold: Any) -> None:
    order = services.order_place(actor=world.teacher_b, offer=sold[1])
    for outsider in (world.teacher_b, world.teacher_a, world.region):
        with pytest.raises(PermissionDenied):
            services.order_confirm_payment(actor=outsider, order=order, reference="REF-1234")
    with pytest.raises(ValidationFailed):
        services.order_confirm_payment(actor=world.admin_a, order=order, reference="付款")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert not LedgerLine.objects.exists()
    services.order_confirm_payment(actor=world.admin_a, order=order, reference="REF-1234")
    with pytest.raises(Conflict):
        services.order_confirm_payment(actor=world.admin_a, order=order, reference="REF-1234")
    assert LedgerLine.objects.filter(account="bank").count() == 1


def test_a_refund_reverses_the_ledger_and_ends_the_licence(world: World, sold: Any) -> None:
    order = _paid_order(world, sold)
    services.order_refund(actor=world.admin_a, order=order, reason="重复购买")
    assert not selectors.has_access(actor=world.teacher_b, resource=sold[0])
    lines = LedgerLine.objects.filter(transaction__order=order)
    assert lines.count() == 8
    for account in ("bank", "contributor"):
        side = lines.filter(account=account).aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
        assert side["d"] == side["c"] == 120_000
    line = lines.first()
    assert line is not None
    line.credit_fen = 1
    with pytest.raises(AppendOnlyError):
        line.save()
    with pytest.raises(AppendOnlyError):
        line.delete()


def test_the_seller_school_and_a_licensee_do_not_buy_again(world: World, sold: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.order_place(actor=world.teacher_a2, offer=sold[1])
    _paid_order(world, sold)
    with pytest.raises(ValidationFailed):
        services.order_place(actor=world.head_b, offer=sold[1])


def test_only_a_paid_published_resource_is_offered(world: World, sold: Any) -> None:
    with pytest.raises(PermissionDenied):
        offer(world.teacher_b, sold[0])
    with pytest.raises(ValidationFailed) as refused:
        offer(world.teacher_a, sold[0], price_fen=0)
    assert set(refused.value.details) == {"price"}


def test_settlement_is_scoped_to_the_finance_of_the_selling_school(world: World, sold: Any) -> None:
    _paid_order(world, sold)
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)
    report = selectors.settlement_for(actor=world.admin_a, start=start, end=end)
    assert [(r.contributor, r.net_fen) for r in report.rows] == [
        ("张老师", 60_000),
        ("李老师", 36_000),
        ("王工程师", 24_000),
    ]
    assert report.debits_fen == report.credits_fen == 120_000
    assert report.received_fen == 120_000
    assert selectors.settlement_for(actor=world.teacher_a, start=start, end=end).rows == []


def test_settlement_page_and_xlsx(world: World, sold: Any) -> None:
    _paid_order(world, sold)
    client = _client(world.admin_a)
    today = timezone.localdate().isoformat()
    page = client.get(reverse("resources:settlement"), {"start": today, "end": today})
    assert page.status_code == 200
    assert "¥600.00" in page.content.decode()
    assert "账目平衡" in page.content.decode()
    sheet = client.get(
        reverse("resources:settlement"), {"start": today, "end": today, "format": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[1][2:] == ("张老师", 600, 0, 600)
    bad = client.get(reverse("resources:settlement"), {"start": today, "end": "2000-01-01"})
    assert bad.status_code == 422
    assert _client(world.teacher_b).get(reverse("resources:settlement")).status_code == 403


def test_buying_through_the_pages(world: World, sold: Any) -> None:
    resource, on_sale = sold
    buyer = _client(world.teacher_b)
    detail = buyer.get(reverse("resources:detail", args=[resource.pk])).content.decode()
    assert "为本校购买" in detail
    assert "?download=1" not in detail
    files = selectors.resource_files(resource)
    file_url = reverse("resources:file", args=[resource.pk, files[0].pk])
    assert buyer.get(file_url).status_code == 403
    placed = buyer.post(reverse("resources:order-place", args=[on_sale.pk]))
    order = Order.objects.get()
    assert placed["Location"] == reverse("resources:order", args=[order.pk])
    assert order.number in buyer.get(placed["Location"]).content.decode()
    # Finance of another school sees nothing of it; the seller's finance confirms it.
    other = _client(world.teacher_c)
    assert other.get(reverse("resources:order", args=[order.pk])).status_code == 404
    finance = _client(world.admin_a)
    assert order.number in finance.get(reverse("resources:payment-list")).content.decode()
    refused = finance.post(reverse("resources:order-confirm", args=[order.pk]), {"reference": "x"})
    assert refused.status_code == 422
    confirmed = finance.post(
        reverse("resources:order-confirm", args=[order.pk]), {"reference": "BOC-778899"}
    )
    assert confirmed.status_code == 302
    receipt = buyer.get(reverse("resources:order", args=[order.pk])).content.decode()
    assert "收据" in receipt
    assert "BOC-778899" in receipt
    colleague = _client(world.head_b)
    downloaded = colleague.get(file_url + "?download=1")
    assert downloaded.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(downloaded.content)).pages)
    assert world.head_b.full_name in text
    assert timezone.localtime().strftime("%Y-%m-%d") in text
    preview = colleague.get(file_url)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.content)).pages)
    assert world.head_b.full_name in text
    actions = UsageLog.objects.filter(user=world.head_b).values_list("action", flat=True)
    assert sorted(actions) == ["download", "open"]


def test_the_usage_log_is_for_the_owner_only(world: World, sold: Any) -> None:
    resource = sold[0]
    _client(world.teacher_b).get(reverse("resources:detail", args=[resource.pk]))
    page = _client(world.teacher_a).get(reverse("resources:usage", args=[resource.pk]))
    assert page.status_code == 200
    assert world.teacher_b.full_name in page.content.decode()
    assert (
        _client(world.teacher_b).get(reverse("resources:usage", args=[resource.pk])).status_code
        == 404
    )


def test_a_pdf_that_cannot_be_stamped_is_not_handed_out(world: World) -> None:
    from openvet.resources.tests.factories import make_resource

    resource = make_resource(world.teacher_a, data=b"%PDF-1.4\n" + b"\x00broken" * 40, publish=True)
    files = selectors.resource_files(resource)
    url = reverse("resources:file", args=[resource.pk, files[0].pk]) + "?download=1"
    refused = _client(world.teacher_a2).get(url)
    assert refused.status_code == 422
    assert "无法加盖您的姓名水印" in refused.content.decode()
    assert not UsageLog.objects.filter(action="download").exists()


def test_trading_pages_by_role_and_school(world: World, sold: Any) -> None:
    order = services.order_place(actor=world.teacher_b, offer=sold[1])
    order_url = reverse("resources:order", args=[order.pk])
    confirm_url = reverse("resources:order-confirm", args=[order.pk])
    anonymous = Client()
    for url in (order_url, reverse("resources:payment-list"), reverse("resources:settlement")):
        assert anonymous.get(url).status_code == 302
    expected = {
        world.teacher_b: (200, 403, 403),  # the buyer reads the order, confirms nothing
        world.head_b: (404, 403, 404),
        world.teacher_c: (404, 403, 404),
        world.teacher_a: (404, 403, 404),
        world.region: (404, 403, 404),
        world.admin_a: (200, 200, 200),  # the selling school's finance
    }
    for user, (order_status, payments_status, confirm_status) in expected.items():
        client = _client(user)
        assert client.get(order_url).status_code == order_status, user
        assert client.get(reverse("resources:payment-list")).status_code == payments_status, user
        assert client.get(confirm_url).status_code == confirm_status, user
        if confirm_status != 200:
            posted = client.post(confirm_url, {"reference": "FORGED-0001"})
            assert posted.status_code == confirm_status, user
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert not LedgerLine.objects.exists()
