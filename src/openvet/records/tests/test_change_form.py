"""The change-of-major form: reasons that fit a change of major, and a class list that follows
the chosen major (asked again by htmx; without a script a class of another major is refused)."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openvet.records.models import StatusChange
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import intake_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def as_user(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def _url(people: People, **query: str) -> str:
    params = "&".join(f"{key}={value}" for key, value in {"type": "23", **query}.items())
    return reverse("records:change-apply", args=[people.student.pk]) + "?" + params


def test_a_change_of_major_offers_only_the_reasons_that_fit(people: People) -> None:
    page = as_user(people.counsellor).get(_url(people)).content.decode()
    assert _options(page, "reason") == ["", "01", "10", "11", "12", "22", "99"]


def test_a_withdrawal_offers_the_withdrawal_reasons(people: People) -> None:
    page = as_user(people.counsellor).get(_url(people, type="31")).content.decode()
    assert _options(page, "reason") == [
        "", "10", "11", "12", "21", "22", "27", "31", "32", "33", "34", "39", "99"
    ]  # fmt: skip


def test_the_class_list_follows_the_chosen_major(people: People) -> None:
    campus = people.campus
    client = as_user(people.counsellor)
    before = client.get(_url(people)).content.decode()
    # No major chosen yet: every class of the school, named with its major.
    assert _options(before, "target_class_id") == [
        "",
        str(campus.klass.pk),
        str(campus.other_klass.pk),
    ]
    page = client.get(
        _url(people, target_major_id=str(campus.other_major.pk)), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert _options(page, "target_class_id") == ["", str(campus.other_klass.pk)]
    assert 'hx-select="#id_target_class_id"' in page


def test_a_class_of_another_major_is_refused_without_a_script(people: People) -> None:
    campus = people.campus
    intake_plan(campus.other_major, capacity=2)
    response = as_user(people.counsellor).post(
        _url(people),
        {
            "change_type": "23",
            "reason": "01",
            "target_major_id": campus.other_major.pk,
            "target_class_id": campus.klass.pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice." in page
    assert StatusChange.objects.count() == 0


def test_a_reason_that_does_not_fit_is_refused_in_chinese(people: People) -> None:
    campus = people.campus
    intake_plan(campus.other_major, capacity=2)
    response = as_user(people.counsellor, "zh-hans").post(
        _url(people),
        {"change_type": "23", "reason": "21", "target_major_id": campus.other_major.pk},
    )
    assert "选择一个有效的选项" in response.content.decode()
    assert StatusChange.objects.count() == 0


def test_a_fitting_reason_and_class_are_sent_for_approval(people: People) -> None:
    campus = people.campus
    intake_plan(campus.other_major, capacity=2)
    response = as_user(people.counsellor).post(
        _url(people),
        {
            "change_type": "23",
            "reason": "01",
            "target_major_id": campus.other_major.pk,
            "target_class_id": campus.other_klass.pk,
        },
    )
    change = StatusChange.objects.get()
    assert response["Location"] == reverse("records:change-detail", args=[change.pk])
    assert (change.reason, change.details) == (
        "01",
        {"target_major_id": campus.other_major.pk, "target_class_id": campus.other_klass.pk},
    )
