"""A teacher adds an Office handout: the library shows its thumbnail and the page its PDF
preview. A teacher of another school who bought a licence asks for an invoice with a mistyped
credit code, corrects it, and the selling school's finance issues the invoice."""

from decimal import Decimal

from playwright.sync_api import Page, expect

from openvet.identity.models import User
from openvet.resources import services
from openvet.resources.models import Invoice, InvoiceStatus, Licence, ResourceType
from openvet.resources.services import ContributorIn
from openvet.resources.tests.factories import metadata, offer, pdf_bytes, upload
from openvet.resources.tests.media_samples import docx
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, sign_out, tr, welcome_heading

HANDOUT = "数控车床坐标系讲义"
COURSEWARE = "数控仿真加工课件"
CREDIT_CODE = "91330100MA2H3Q7B4Q"


def _signed_in(page: Page, campus: Campus, username: str) -> User:
    user = User.objects.get(username=username)
    sign_in(page, username, campus.password)
    expect(welcome_heading(page, user.full_name)).to_be_visible()
    return user


def _paid_order(campus: Campus) -> str:
    author, buyer, finance = (
        User.objects.get(username=name) for name in ("teacher1", "teacher2", "admin1")
    )
    resource = services.resource_create(
        actor=author,
        contributors=[ContributorIn("李老师", "", Decimal(100))],
        upload_keys=[upload(author, "课件.pdf", pdf_bytes("CNC courseware"))],
        **metadata(title=COURSEWARE, resource_type=ResourceType.COURSEWARE, licence=Licence.PAID),
    )
    resource = services.resource_publish(actor=author, resource=resource)
    order = services.order_place(actor=buyer, offer=offer(author, resource))
    services.order_confirm_payment(actor=finance, order=order, reference="ICBC-20261207-0042")
    return order.number


def test_an_office_handout_is_previewed_and_a_bought_licence_is_invoiced(
    page: Page, campus: Campus, checkpoint: Checkpoint, settings: object
) -> None:
    setattr(settings, "RESOURCES_OFFICE_CONVERTER", "text")  # noqa: B010 (the same on every machine)
    _signed_in(page, campus, "teacher1")
    open_nav(page, tr("My resources"))
    page.get_by_role("link", name=tr("Add a resource")).click()
    page.get_by_label(tr("Title")).fill(HANDOUT)
    page.get_by_label(tr("Type")).select_option("document")
    page.get_by_label(tr("Major")).select_option("510201")
    page.get_by_label(tr("Keywords")).fill("数控,坐标系")
    page.get_by_label(tr("Licence")).select_option("cc-by")
    page.get_by_label(tr("Contributor %(number)s", number=1), exact=True).fill("李老师")
    handout = {
        "name": "坐标系.docx",
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "buffer": docx("数控车床的坐标系", "机床坐标系与工件坐标系"),
    }
    page.get_by_label(tr("Files")).set_input_files(handout)  # type: ignore[arg-type]
    expect(page.get_by_role("status")).to_have_text(tr("Upload finished. The files are ready."))
    page.get_by_role("button", name=tr("Save as draft")).click()
    expect(page.get_by_role("heading", level=1, name=HANDOUT)).to_be_visible()
    preview = page.get_by_title(tr("Preview of %(name)s", name="坐标系.docx"))
    expect(preview).to_be_visible()
    expect(
        page.get_by_text(
            tr("This preview shows the document's text only; download the file to see its layout.")
        )
    ).to_be_visible()
    checkpoint(page, "office-preview")
    open_nav(page, tr("My resources"))
    thumbnail = page.get_by_test_id("thumbnail").first
    expect(thumbnail).to_be_visible()
    thumbnail.scroll_into_view_if_needed()  # it loads lazily; decode() waits for it
    assert thumbnail.evaluate("async img => { await img.decode(); return img.naturalWidth; }") > 0
    checkpoint(page, "thumbnails")
    sign_out(page, campus.full_name("teacher1"))

    number = _paid_order(campus)
    buyer = _signed_in(page, campus, "teacher2")
    open_nav(page, tr("My orders"))
    page.get_by_role("link", name=COURSEWARE).click()
    expect(page.get_by_text(number).first).to_be_visible()
    page.get_by_role("link", name=tr("Request an invoice")).click()
    page.get_by_label(tr("Invoice type")).select_option("special")
    page.get_by_label(tr("Invoice title")).fill("乙职业技术学院")
    page.get_by_label(tr("Taxpayer id (unified social credit code)")).fill(CREDIT_CODE[:-1] + "A")
    page.get_by_role("button", name=tr("Send the request")).click()
    expect(
        page.get_by_text(
            tr("This unified social credit code is mistyped: its check character does not match.")
        )
    ).to_be_visible()
    expect(page.get_by_label(tr("Invoice title"))).to_have_value("乙职业技术学院")
    checkpoint(page, "invoice-refused")
    page.get_by_label(tr("Taxpayer id (unified social credit code)")).fill(CREDIT_CODE)
    page.get_by_role("button", name=tr("Send the request")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("Your request was sent to the selling school's finance office.")
    )
    sign_out(page, buyer.full_name)

    finance = _signed_in(page, campus, "admin1")
    open_nav(page, tr("Invoices"))
    page.get_by_test_id("invoices-awaiting").get_by_role("link", name=tr("Open")).click()
    page.get_by_role("button", name=tr("Issue the invoice")).click()
    expect(page.get_by_role("alert").first).to_contain_text(tr("The invoice was issued."))
    invoice = Invoice.objects.get()
    assert invoice.status == InvoiceStatus.ISSUED
    expect(page.get_by_test_id("invoice-number")).to_have_text(str(invoice.number))
    expect(page.get_by_text(tr("Special VAT invoice")).first).to_be_visible()
    checkpoint(page, "invoice-issued")
    sign_out(page, finance.full_name)
