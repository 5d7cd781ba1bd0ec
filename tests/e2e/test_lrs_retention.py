"""A school administrator sets how long the school keeps its learning records: opens the
retention page in Chinese, chooses 365 days, sees how many records the next clean-up will
remove, confirms and sees the saved period. The platform administrator sees every school's
period and, on PostgreSQL, makes the coming months' tables."""

from django.utils import translation
from playwright.sync_api import Page, expect

from openvet.core.models import OrgKind, OrgUnit
from openvet.core.selectors import org_school_of
from openvet.lrs import partitions
from openvet.lrs.models import SchoolRetention
from openvet.lrs.retention import expiring_count
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import ZH, open_nav, sign_in, tr, welcome_heading


def test_school_admin_sets_the_retention_period(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    school = org_school_of(campus.home("admin1"))
    assert school is not None
    sign_in(page, "admin1", campus.password)
    expect(welcome_heading(page, campus.full_name("admin1"))).to_be_visible()

    open_nav(page, tr("Learning record retention"))
    expect(
        page.get_by_role("heading", level=1, name=tr("Learning record retention"))
    ).to_be_visible()
    expect(page.get_by_test_id("school-period")).to_have_text(tr("The platform's period"))
    expect(page.get_by_test_id("months").locator("tbody tr")).to_have_count(12)
    checkpoint(page, "page")

    page.get_by_label(tr("Set this school's own period")).check()
    page.get_by_label(tr("Keep for")).fill("365")
    page.get_by_role("button", name=tr("Continue")).click()
    count = expiring_count(school=school, days=365)
    with translation.override(ZH):
        told = translation.ngettext(
            "The next clean-up will remove %(count)s learning record of this school.",
            "The next clean-up will remove %(count)s learning records of this school.",
            count,
        ) % {"count": count}
    confirm = page.get_by_test_id("retention-confirm")
    expect(confirm).to_contain_text(tr("Confirm the new period"))
    expect(confirm).to_contain_text(told)
    checkpoint(page, "confirm")
    assert not SchoolRetention.objects.filter(school=school).exists()

    page.get_by_role("button", name=tr("Confirm and save")).click()
    expect(page.get_by_text(tr("Retention period saved."))).to_be_visible()
    expect(page.get_by_test_id("school-period")).to_have_text("365 天")
    checkpoint(page, "saved")
    assert SchoolRetention.objects.get(school=school).days == 365


def test_platform_admin_sees_every_school_and_the_monthly_tables(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    sign_in(page, "platform", campus.password)
    expect(welcome_heading(page, campus.full_name("platform"))).to_be_visible()
    open_nav(page, tr("Learning record retention"))
    expect(
        page.get_by_role("heading", level=1, name=tr("Learning record retention"))
    ).to_be_visible()
    for school in OrgUnit.objects.filter(kind=OrgKind.SCHOOL):
        link = page.get_by_role("link", name=f"{tr('Set retention')} {school.name}")
        expect(link).to_be_visible()
    tables = page.get_by_role("heading", name=tr("Monthly storage tables"))
    if not partitions.is_partitioned():
        expect(tables).to_have_count(0)
        checkpoint(page, "list")
        return
    expect(page.get_by_test_id("partitions")).to_be_visible()
    page.get_by_role("button", name=tr("Make the coming months' tables")).click()
    expect(page.get_by_test_id("months-ahead")).not_to_contain_text(tr("missing"))
    checkpoint(page, "tables")
    assert all(exists for _month, exists in partitions.months_ahead())
