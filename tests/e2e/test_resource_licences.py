"""A teacher puts a paid courseware on sale; a teacher of another school buys a licence for
their school; the selling school's finance confirms the bank transfer and the ledger shares the
money among the contributors; a colleague of the buyer downloads the courseware, stamped with
their name."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from openvet.identity.models import User
from openvet.resources import services
from openvet.resources.models import LedgerLine, Licence, Order, OrderStatus, ResourceType
from openvet.resources.services import ContributorIn
from openvet.resources.tests.factories import metadata, pdf_bytes, upload
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, sign_out, tr, welcome_heading

TITLE = "数控仿真加工课件"


def _courseware(author: User) -> int:
    resource = services.resource_create(
        actor=author,
        contributors=[
            ContributorIn("李老师", "", Decimal(50)),
            ContributorIn("王老师", "", Decimal(30)),
            ContributorIn("数控实训中心", "", Decimal(20)),
        ],
        upload_keys=[upload(author, "课件.pdf", pdf_bytes("CNC courseware"))],
        **metadata(title=TITLE, resource_type=ResourceType.COURSEWARE, licence=Licence.PAID),
    )
    return services.resource_publish(actor=author, resource=resource).pk


def _signed_in(page: Page, campus: Campus, username: str) -> User:
    user = User.objects.get(username=username)
    sign_in(page, username, campus.password)
    expect(welcome_heading(page, user.full_name)).to_be_visible()
    return user


def test_a_school_buys_a_licence_and_its_people_download_it_watermarked(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    _courseware(campus.user("teacher1"))

    _signed_in(page, campus, "teacher1")
    open_nav(page, tr("My resources"))
    page.get_by_role("link", name=TITLE).click()
    page.get_by_text(tr("Put a licence on sale")).click()
    page.get_by_label(tr("Licensee")).select_option("institution")
    page.get_by_label(tr("Price (yuan)")).fill("1200.00")
    page.get_by_label(tr("Licence term")).select_option("365")
    until = timezone.localdate() + timedelta(days=30)
    page.get_by_label(tr("On sale until")).fill(until.isoformat())
    checkpoint(page, "offer-form")
    page.get_by_role("button", name=tr("Put on sale")).click()
    expect(page.get_by_role("alert").first).to_contain_text(tr("The offer is on sale."))
    sign_out(page, campus.full_name("teacher1"))

    buyer = _signed_in(page, campus, "teacher2")
    open_nav(page, tr("Resource library"))
    page.get_by_label(tr("Search resources")).fill("仿真课件")
    page.get_by_role("button", name=tr("Search"), exact=True).click()
    page.get_by_role("link", name=TITLE).click()
    expect(
        page.get_by_text(
            tr("This resource is sold under licence: buy one to open and download its files.")
        )
    ).to_be_visible()
    expect(page.get_by_role("link", name=tr("Download"))).to_have_count(0)
    checkpoint(page, "for-sale")
    page.get_by_role("button", name=tr("Buy for my school")).click()
    order = Order.objects.get(buyer=buyer)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("Order %(number)s", number=order.number)
    )
    expect(page.get_by_text(order.number, exact=True)).to_be_visible()
    checkpoint(page, "order")
    sign_out(page, buyer.full_name)

    finance = _signed_in(page, campus, "admin1")
    open_nav(page, tr("Payments to confirm"))
    checkpoint(page, "payments")
    page.get_by_role("link", name=tr("Confirm %(number)s", number=order.number)).click()
    page.get_by_label(tr("Bank reference of the transfer")).fill("已到账")
    page.get_by_role("button", name=tr("Confirm payment")).click()
    expect(
        page.get_by_text(
            tr("Enter the bank's reference of the transfer: 4 to 64 letters, digits or hyphens.")
        )
    ).to_be_visible()
    expect(page.get_by_label(tr("Bank reference of the transfer"))).to_have_value("已到账")
    checkpoint(page, "confirm-refused")
    page.get_by_label(tr("Bank reference of the transfer")).fill("ICBC-20261207-0042")
    page.get_by_role("button", name=tr("Confirm payment")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("Payment confirmed: the licence is granted and the income shared.")
    )
    expect(page.get_by_text("ICBC-20261207-0042")).to_be_visible()
    checkpoint(page, "receipt")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    lines = LedgerLine.objects.filter(transaction__order=order)
    assert {x.label: x.credit_fen for x in lines if x.account == "contributor"} == {
        "李老师": 60_000,
        "王老师": 36_000,
        "数控实训中心": 24_000,
    }
    assert lines.aggregate(d=Sum("debit_fen"), c=Sum("credit_fen")) == {"d": 120_000, "c": 120_000}
    open_nav(page, tr("Licence income settlement"))
    expect(page.get_by_role("cell", name="王老师")).to_be_visible()
    expect(page.get_by_text(tr("The ledger balances."))).to_be_visible()
    checkpoint(page, "settlement")
    sign_out(page, finance.full_name)

    colleague = _signed_in(page, campus, "head2")
    open_nav(page, tr("Resource library"))
    page.get_by_role("link", name=TITLE).click()
    expires = timezone.localtime(order.grant.expires_at).date().isoformat()
    expect(page.get_by_role("status").first).to_contain_text(
        tr("It is valid until %(date)s.", date=expires)
    )
    checkpoint(page, "licensed")
    with page.expect_download() as download:
        page.get_by_role("link", name=tr("Download")).click()
    saved = Path(download.value.path())
    text = "".join(p.extract_text() for p in PdfReader(saved).pages)
    assert colleague.full_name in text
    assert timezone.localdate().isoformat() in text
