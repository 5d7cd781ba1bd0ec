"""Setting up a term: the school administrator creates the term after the demo's current one
and generates its teaching tasks from the programmes, then reads the task list."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from openvet.teaching.models import TeachingTask, Term
from openvet.teaching.services.demo import demo_data
from openvet.teaching.services.demo_calendar import TermDates, term_dates_around
from openvet.teaching.views.tasks import TASK_PAGE_SIZE
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr


def _coming_term() -> TermDates:
    """The term after the one the demo seeded today."""
    current = term_dates_around(timezone.localdate(), demo_data()["term"])
    return term_dates_around(current.end_date + timedelta(days=1), demo_data()["term"])


def test_admin_sets_up_a_term_from_the_programmes(
    page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    school = teaching.home("admin1")
    coming = _coming_term()
    monday = coming.start_date

    sign_in(page, "admin1", teaching.password)
    open_nav(page, tr("Teaching"))
    form = page.locator("form").filter(has=page.get_by_label(tr("First Monday")))
    form.get_by_label(tr("Academic year (first year)")).fill(str(coming.academic_year))
    form.get_by_label(tr("Term"), exact=True).select_option(str(coming.number))
    form.get_by_label(tr("First Monday")).fill((monday + timedelta(days=1)).isoformat())
    form.get_by_role("button").click()
    expect(page.get_by_text(tr("A term starts on a Monday."))).to_be_visible()
    checkpoint(page, "not-a-monday")
    form = page.locator("form").filter(has=page.get_by_label(tr("First Monday")))
    form.get_by_label(tr("First Monday")).fill(monday.isoformat())
    form.get_by_role("button").click()
    expect(page.get_by_role("alert").first).to_contain_text(tr("The term was created."))
    term = Term.objects.get(org=school, academic_year=coming.academic_year, number=coming.number)

    page.get_by_role("link", name=tr("Teaching tasks")).click()
    expect(page.get_by_text(tr("No teaching tasks yet."))).to_be_visible()
    page.get_by_role("button", name=tr("Generate from the programmes")).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    created = TeachingTask.objects.filter(term=term).count()
    assert created > 0
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("%(created)s tasks created, %(skipped)s already there.", created=created, skipped=0)
    )
    # Each cohort of the demo studies the courses of its semester in that term.
    # A page at a time (ADR 0020): the first page, then the page count under it.
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(min(created, TASK_PAGE_SIZE) + 1)
    pages = -(-created // TASK_PAGE_SIZE)
    if pages > 1:
        expect(
            page.get_by_text(tr("Page %(number)s of %(total)s", number=1, total=pages))
        ).to_be_visible()
    checkpoint(page, "tasks")
