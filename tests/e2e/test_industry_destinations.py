"""Graduate destinations in the browser (ADR 0627): counsellor1 corrects the destination of a
graduate of last year's class who had found no job yet, choosing the employer from the
enterprise library, and the employment dashboard then counts the graduate as placed."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openvet.demo.seed_industry import seed_industry
from openvet.industry import selectors
from openvet.industry.models import GraduateDestination
from openvet.industry.models_destinations import DestinationRevision
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr, welcome_heading


@pytest.fixture
def graduates(campus: Campus, settings: Any, tmp_path: Path) -> Campus:
    settings.MEDIA_ROOT = str(tmp_path)
    assert seed_industry() is not None
    return campus


def test_a_counsellor_records_an_employer_and_the_dashboard_counts_it(
    page: Page, graduates: Campus, checkpoint: Checkpoint
) -> None:
    counsellor = graduates.user("counsellor1")
    seeking = (
        GraduateDestination.objects.filter(graduation_year=2026, destination="70")
        .select_related("student__class_unit")
        .order_by("pk")
        .first()
    )
    assert seeking is not None
    graduate, klass = seeking.student, seeking.student.class_unit
    enterprise = selectors.enterprise_list_for(actor=counsellor).order_by("pk").first()
    assert enterprise is not None
    before = {r.label: r for r in selectors.destination_rates(actor=counsellor)}[
        graduate.major.name
    ]

    sign_in(page, "counsellor1", graduates.password)
    expect(welcome_heading(page, counsellor.full_name)).to_be_visible()
    open_nav(page, tr("Graduate employment"))
    page.get_by_role("link", name=tr("Record destinations")).click()
    page.get_by_label(tr("Class")).select_option(str(klass.pk))
    page.get_by_role("button", name=tr("Show the class")).click()
    expect(page.get_by_role("heading", level=2, name=klass.name)).to_be_visible()
    checkpoint(page, "class-list")
    page.get_by_role(
        "link", name=tr("Correct the destination of %(name)s", name=graduate.name)
    ).click()
    expect(
        page.get_by_role("heading", level=1, name=tr("Destination of %(name)s", name=graduate.name))
    ).to_be_visible()
    page.get_by_label(tr("Destination"), exact=True).select_option("11")
    page.get_by_label(tr("Employer from the enterprise library")).select_option(str(enterprise.pk))
    page.get_by_label(tr("Region code of the workplace")).fill("330106")
    page.get_by_label(tr("Industry of the employer")).select_option("C")
    page.get_by_label(tr("Salary band")).select_option("5000")
    page.get_by_label(tr("Is the job related to the major?")).select_option("yes")
    page.get_by_label(tr("Placed on")).fill("2026-11-02")
    page.get_by_label(tr("Reason for the correction")).fill("11月初签约入职")
    checkpoint(page, "destination-form")
    page.get_by_role("button", name=tr("Save the destination")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        tr("The destination of %(name)s is saved.", name=graduate.name)
    )
    expect(page.get_by_role("list").filter(has_text=graduate.name)).to_contain_text(enterprise.name)

    row = GraduateDestination.objects.get(pk=seeking.pk)
    assert (row.destination, row.employer_unit_id) == ("11", enterprise.pk)
    assert DestinationRevision.objects.filter(destination=row).count() == 2
    after = {r.label: r for r in selectors.destination_rates(actor=counsellor)}[graduate.major.name]
    assert after.placed == before.placed + 1

    page.get_by_role("link", name=tr("Employment dashboard")).click()
    rates = page.get_by_role("region", name=tr("Destination rate by major"))
    expect(rates.get_by_role("row", name=graduate.major.name)).to_contain_text(after.rate_text)
    checkpoint(page, "dashboard-after")
