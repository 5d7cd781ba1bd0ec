"""Every demo role signs in and lands on its own dashboard, with its figures and chart."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import sign_in, tr, welcome_heading

# username -> (a panel heading it must see, a chart it must see or None, a figure it must see:
# a msgid, or "org:<username>" for the name of that demo account's organisation)
DASHBOARDS: dict[str, tuple[str, str | None, str]] = {
    "platform": ("Schools in my region", "Students per school", "org:admin1"),
    "region": ("Schools in my region", "Students per school", "org:admin1"),
    "admin1": ("People", "Students per department", "Accounts created this month"),
    "security1": ("Sign-in security", None, "Active lockouts"),
    "audit1": ("Audit log", "Failed sign-ins, last 7 days", "Entries today"),
    "teacher1": ("My department", "Students per class", "org:teacher1"),
    "head1": ("My department", "Students per class", "org:head1"),
    "counsellor1": ("My department", "Students per class", "org:counsellor1"),
    "student1": ("My class", None, "org:student1"),
    "mentor1": ("My enterprise", None, "org:mentor1"),
    "evaluator1": ("People", "Students per grade", "Students"),
}


def _figure(campus: Campus, figure: str) -> str:
    if figure.startswith("org:"):
        return campus.home(figure.removeprefix("org:")).name
    return tr(figure)


@pytest.mark.parametrize("username", list(DASHBOARDS))
def test_each_role_lands_on_its_dashboard(
    page: Page, campus: Campus, checkpoint: Checkpoint, username: str
) -> None:
    heading, chart_title, figure = DASHBOARDS[username]

    sign_in(page, username, campus.password)

    expect(welcome_heading(page, campus.full_name(username))).to_be_visible()
    panel = page.get_by_role("region", name=tr(heading))
    expect(panel).to_be_visible()
    expect(panel).to_contain_text(_figure(campus, figure))
    if chart_title is not None:
        chart = page.get_by_role("img", name=tr(chart_title))
        # shell.js draws the ECharts option as SVG once echarts.min.js has loaded.
        expect(chart).to_have_attribute("data-rendered", "1")
        expect(chart.locator("svg").first).to_be_visible()
    checkpoint(page)
