"""A school administrator gives a welding simulator its own key and secret to send learning
records: forgets to allow anything, is told, fixes it and copies the secret shown once."""

from playwright.sync_api import Page, expect

from openvet.core.selectors import org_school_of
from openvet.lrs.models import Client, Upstream
from openvet.lrs.xapi.auth import digest
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr, welcome_heading

NAME = "焊接仿真实训"


def test_school_admin_creates_a_learning_record_client(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    school = org_school_of(campus.home("admin1"))
    assert school is not None
    sign_in(page, "admin1", campus.password)
    expect(welcome_heading(page, campus.full_name("admin1"))).to_be_visible()

    open_nav(page, tr("Learning record clients"))
    heading = page.get_by_role("heading", level=1, name=tr("Learning record clients"))
    expect(heading).to_be_visible()
    checkpoint(page, "list")

    page.get_by_label(tr("Name")).fill(NAME)
    page.get_by_role("button", name=tr("Create client")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        tr("Allow the client to read, to send, or both.")
    )
    expect(page.get_by_label(tr("Name"))).to_have_value(NAME)
    checkpoint(page, "refused")
    assert not Client.objects.filter(name=NAME).exists()

    page.get_by_label(tr("May send learning records")).check()
    page.get_by_role("button", name=tr("Create client")).click()
    shown = page.get_by_role("status")
    expect(shown).to_contain_text(tr("Copy the secret now: it is shown only this once."))
    checkpoint(page, "created")
    client = Client.objects.get(name=NAME)
    assert (client.school_id, client.can_read, client.can_write) == (school.pk, False, True)
    secret = page.get_by_test_id("client-secret").inner_text()
    assert client.secret_digest == digest(secret)
    expect(page.get_by_role("cell", name=client.key)).to_be_visible()

    open_nav(page, tr("Learning record clients"))
    expect(page.get_by_test_id("client-secret")).to_have_count(0)

    # The client is retired: its key stops working at once.
    page.get_by_role("button", name=f"{tr('Stop')} {NAME}").click()
    expect(
        page.get_by_text(tr("The client is stopped: its key and secret no longer work."))
    ).to_be_visible()
    client.refresh_from_db()
    assert client.is_active is False
    checkpoint(page, "stopped")


def test_school_admin_sets_forwarding_to_the_province(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    school = org_school_of(campus.home("admin1"))
    assert school is not None
    sign_in(page, "admin1", campus.password)
    expect(welcome_heading(page, campus.full_name("admin1"))).to_be_visible()
    open_nav(page, tr("Learning record clients"))
    page.get_by_role("link", name=f"{tr('Set forwarding')} {school.name}").click()
    expect(
        page.get_by_role("heading", level=1, name=tr("Forwarding to the upstream LRS"))
    ).to_be_visible()

    page.get_by_label(tr("Address of the upstream LRS")).fill("https://lrs.province.example/xapi/")
    page.get_by_label(tr("Key")).fill("school-key")
    page.get_by_role("button", name=tr("Save")).click()
    expect(page.get_by_text(tr("Enter the secret of the upstream LRS."))).to_be_visible()
    expect(page.get_by_label(tr("Key"))).to_have_value("school-key")
    checkpoint(page, "refused")

    page.get_by_label(tr("Secret"), exact=True).fill("province-secret")
    page.get_by_role("button", name=tr("Save")).click()
    expect(page.get_by_text(tr("Forwarding saved."))).to_be_visible()
    row = page.get_by_test_id(f"forwarding-{school.pk}")
    expect(row).to_contain_text(tr("On"))
    expect(row).to_contain_text("https://lrs.province.example/xapi/")
    checkpoint(page, "saved")
    upstream = Upstream.objects.get(school=school)
    assert (upstream.key, upstream.secret, upstream.is_active) == (
        "school-key",
        "province-secret",
        True,
    )
