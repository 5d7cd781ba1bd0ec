"""The province administrator opens each school of the province from their home page; a
school outside their region, or any other node, is 404 and shows nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.models import OrgKind
from openvet.core.roles import Role
from openvet.core.tests.actors import make_user
from openvet.core.tests.factories import OrgUnitFactory, department, province, school

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_totp(settings):
    settings.REQUIRE_ADMIN_TOTP = False


@pytest.fixture
def region():
    zhejiang, jiangsu = province(), province(name="Jiangsu", code="320000")
    inside = school(zhejiang, name="Inside School")
    dept = department(inside, "Computing")
    major = OrgUnitFactory(kind=OrgKind.MAJOR, name="Software", code="510203", parent=dept)
    OrgUnitFactory(kind=OrgKind.CLASS, name="SW2501", parent=major, grade_year=2025)
    return {
        "admin": make_user(Role.REGIONAL_ADMIN, zhejiang),
        "inside": inside,
        "dept": dept,
        "outside": school(jiangsu, name="Outside School"),
    }


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_home_page_links_each_school_to_its_overview(region):
    page = _client(region["admin"]).get(reverse("core:home")).content.decode()
    url = reverse("core:school-overview", args=[region["inside"].pk])
    assert f'<a href="{url}">Inside School</a>' in page
    assert "Outside School" not in page


def test_the_school_overview_shows_that_school(region):
    response = _client(region["admin"]).get(
        reverse("core:school-overview", args=[region["inside"].pk])
    )
    assert response.status_code == 200
    panels = {panel.key: context for panel, context in response.context["panels"]}
    stats = {str(s["label"]): s["value"] for s in panels["core.school_overview"]["stats"]}
    assert stats == {"Departments": 1, "Majors": 1, "Classes": 1}
    assert "identity.school_people" in panels
    assert '<h1 class="h3 mb-3">Inside School</h1>' in response.content.decode()


@pytest.mark.parametrize("target", ["outside", "dept"])
def test_another_region_or_a_non_school_is_404(region, target):
    url = reverse("core:school-overview", args=[region[target].pk])
    assert _client(region["admin"]).get(url).status_code == 404


def test_a_school_administrator_cannot_open_school_overviews(region):
    admin = make_user(Role.SCHOOL_ADMIN, region["inside"])
    url = reverse("core:school-overview", args=[region["inside"].pk])
    assert _client(admin).get(url).status_code == 404


def test_the_overview_needs_sign_in(region):
    url = reverse("core:school-overview", args=[region["inside"].pk])
    response = Client().get(url)
    assert response.status_code == 302
