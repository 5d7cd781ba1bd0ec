"""The interactive API documentation loads (Swagger UI, served from our own origin)."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import sign_in, welcome_heading


def test_api_docs_page_loads(page: Page, campus: Campus, checkpoint: Checkpoint) -> None:
    sign_in(page, "teacher1", campus.password)
    expect(welcome_heading(page, campus.full_name("teacher1"))).to_be_visible()

    response = page.goto("/api/v1/docs")

    assert response is not None
    assert response.status == 200
    expect(page.get_by_role("heading", name="OpenVET API")).to_be_visible()
    # Swagger UI lists the routes once it has read the OpenAPI document.
    expect(page.locator(".opblock").first).to_be_visible()
    checkpoint(page, axe=False)
