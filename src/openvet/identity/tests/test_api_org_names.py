"""Names of org nodes: the API and the page refuse control, text-direction and invisible
text, with the field named in the user's language, and store names NFC."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from openvet.core.models import OrgUnit
from openvet.identity.api.testing import Campus, bearer, campus
from openvet.identity.tests.support import sign_in

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/core/orgs"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def world() -> Campus:
    return campus()


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"name": "\u200b"}, {"name": "名称必须包含可见字符。"}),
        ({"name": "Robo\ntics"}, {"name": "名称不能包含控制字符或换行。"}),
        ({"name_en": "Robo\u202etics"}, {"name_en": "英文名称不能包含文字方向控制字符。"}),
        ({"name_en": "  "}, {"name_en": "英文名称只有空白字符：请留空或填写实际内容。"}),
        ({"name": "x" * 121}, {"name": "最多 120 个字符。"}),
    ],
)
def test_a_bad_name_in_a_patch_is_refused_and_changes_nothing(
    client: Client, world: Campus, body: dict[str, str], details: dict[str, str]
) -> None:
    before = (world.department_a.name, world.department_a.name_en)
    response = client.patch(
        f"{ORGS}/{world.department_a.pk}",
        body,
        content_type="application/json",
        headers={**bearer(world.school_admin), "Accept-Language": "zh-hans"},
    )
    assert response.status_code == 422
    assert response.json()["details"] == details
    world.department_a.refresh_from_db()
    assert (world.department_a.name, world.department_a.name_en) == before


def test_a_new_node_gets_its_name_nfc(client: Client, world: Campus) -> None:
    response = client.post(
        ORGS,
        {"parent_id": world.school_a.pk, "kind": "department", "name": "Cafe\u0301"},
        content_type="application/json",
        headers=bearer(world.school_admin),
    )
    assert response.status_code == 201, response.json()
    assert OrgUnit.objects.get(pk=response.json()["id"]).name == "Caf\u00e9"


def test_the_edit_page_shows_the_error_at_the_field_and_keeps_the_input(
    client: Client, world: Campus
) -> None:
    sign_in(client, world.school_admin)
    before = world.department_a.name
    response = client.post(
        reverse("core:org-edit", args=[world.department_a.pk]),
        {"name": "\u2066Robotics\u2069", "name_en": "Robotics", "code": "", "is_active": "on"},
        headers={"accept-language": "en"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Name must not contain text-direction control characters." in page
    assert 'value="Robotics"' in page
    world.department_a.refresh_from_db()
    assert world.department_a.name == before
