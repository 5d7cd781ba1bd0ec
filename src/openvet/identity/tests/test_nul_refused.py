"""A NUL character in a query parameter is refused before any view: PostgreSQL cannot hold it in
text, so a search for it ended in a server error (found by the API fuzzer)."""

import pytest
from django.test import Client

from openvet.identity.api.testing import bearer, campus

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/core/orgs"


def test_the_api_answers_422_naming_the_parameter_in_the_callers_language(client: Client) -> None:
    world = campus()
    headers = {**bearer(world.school_admin), "Accept-Language": "zh-hans"}
    refused = client.get(ORGS, {"search": "P\x00x", "limit": 5}, headers=headers)
    assert refused.status_code == 422
    assert refused.json() == {
        "code": "validation_failed",
        "message": "部分填写内容无效。",
        "details": {"search": "文字中不能含有空字符（NUL）。"},
    }
    assert client.get(ORGS, {"search": "P"}, headers=headers).status_code == 200


def test_a_page_answers_400(client: Client) -> None:
    assert client.get("/accounts/login/", {"next": "/\x00"}).status_code == 400
    assert client.get("/accounts/login/", {"next": "/"}).status_code == 200
