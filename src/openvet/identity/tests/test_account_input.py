"""Bad input on accounts: names, ID numbers, gender and mobile numbers, through the API,
the pages and the services alike; every refusal names its field and changes nothing."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openvet.core.errors import ValidationFailed
from openvet.core.roles import Role
from openvet.core.tests.factories import school
from openvet.identity import services
from openvet.identity.api.testing import Campus, bearer, campus
from openvet.identity.models import User
from openvet.identity.tests.factories import user_with_role
from openvet.identity.tests.support import id_number, sign_in

pytestmark = pytest.mark.django_db

USERS = "/api/v1/identity/users"
MAN = id_number("11010519900307123")  # 17th digit odd
WOMAN = id_number("11010519900307124")  # 17th digit even
TAKEN = "Another account already has this ID number."


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def world() -> Campus:
    return campus()


def _post(client: Client, world: Campus, body: dict[str, Any], language: str = "en") -> Any:
    payload = {"username": "newbie", "full_name": "New Person"} | body
    payload.setdefault("home_org_id", world.department_a.pk)
    return client.post(
        USERS,
        payload,
        content_type="application/json",
        headers={**bearer(world.school_admin), "Accept-Language": language},
    )


def _patch(client: Client, world: Campus, user: User, body: dict[str, Any]) -> Any:
    return client.patch(
        f"{USERS}/{user.pk}",
        body,
        content_type="application/json",
        headers={**bearer(world.school_admin), "Accept-Language": "en"},
    )


def _account(world: Campus, **values: Any) -> User:
    return services.user_create(
        actor=world.school_admin,
        username=values.pop("username", "holder"),
        full_name=values.pop("full_name", "Holder"),
        home_org=world.department_a,
        **values,
    )


@pytest.mark.parametrize(
    ("full_name", "message"),
    [
        ("Li\x00Hua", "姓名不能包含控制字符或换行。"),
        ("\u202eauH iL", "姓名不能包含文字方向控制字符。"),
        ("\u200b\u200d", "姓名必须包含可见字符。"),
        ("\u3000 ", "姓名必须包含可见字符。"),
    ],
)
def test_bad_full_names_are_refused_in_chinese(
    client: Client, world: Campus, full_name: str, message: str
) -> None:
    response = _post(client, world, {"full_name": full_name}, language="zh-hans")
    assert response.status_code == 422
    assert response.json()["details"] == {"full_name": message}
    assert not User.objects.filter(username="newbie").exists()


def test_patch_holds_the_limits_of_create(client: Client, world: Campus) -> None:
    response = _patch(client, world, world.teacher, {"full_name": "x" * 500})
    assert (response.status_code, response.json()["details"]) == (
        422,
        {"full_name": "At most 100 characters."},
    )
    world.teacher.refresh_from_db()
    assert world.teacher.full_name != "x" * 500


def test_full_names_are_stored_nfc(client: Client, world: Campus) -> None:
    response = _patch(client, world, world.teacher, {"full_name": "Jose\u0301"})
    assert response.status_code == 200
    world.teacher.refresh_from_db()
    assert world.teacher.full_name == "Jos\u00e9"


def test_an_id_number_of_another_account_is_refused(client: Client, world: Campus) -> None:
    _account(world, id_number=MAN)
    response = _post(client, world, {"id_number": MAN})
    assert response.status_code == 422
    assert response.json()["details"] == {"id_number": TAKEN}
    assert not User.objects.filter(username="newbie").exists()
    response = _patch(client, world, world.teacher, {"id_number": MAN})
    assert response.status_code == 422
    assert response.json()["details"] == {"id_number": TAKEN}
    world.teacher.refresh_from_db()
    assert world.teacher.id_number == ""


def test_an_account_may_keep_its_own_id_number(world: Campus) -> None:
    holder = _account(world, id_number=MAN)
    services.user_update(actor=world.school_admin, user=holder, id_number=MAN, full_name="Kept")
    holder.refresh_from_db()
    assert (holder.full_name, holder.id_number) == ("Kept", MAN)


def test_the_gender_must_match_the_id_number(client: Client, world: Campus) -> None:
    response = _post(client, world, {"id_number": WOMAN, "gender": "1"})
    assert response.status_code == 422
    assert response.json()["details"] == {"gender": "The gender does not match the ID number."}
    holder = _account(world, id_number=MAN)
    assert holder.gender == "1"
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.user_update(actor=world.school_admin, user=holder, gender="2")
    assert caught.value.details == {"gender": "The gender does not match the ID number."}
    holder.refresh_from_db()
    assert holder.gender == "1"


def test_a_mobile_number_of_another_account_is_refused(client: Client, world: Campus) -> None:
    _account(world, mobile="13900139000")
    response = _post(client, world, {"mobile": "13900139000"})
    assert response.status_code == 422
    assert response.json()["details"] == {
        "mobile": "Another account already uses this mobile number."
    }


def test_a_mobile_number_is_checked_by_the_schema(client: Client, world: Campus) -> None:
    response = _post(client, world, {"mobile": "0571-87654321"})
    assert response.status_code == 422
    assert response.json()["details"] == {
        "mobile": "Mobile number: enter an 11-digit mainland mobile number."
    }


def test_the_create_page_shows_a_bad_name_in_chinese_and_keeps_the_input(
    client: Client,
) -> None:
    college = school()
    admin = user_with_role(Role.SCHOOL_ADMIN, college, username="schooladmin")
    sign_in(client, admin)
    form = {
        "username": "zhang",
        "full_name": "张\u202e三",
        "person_number": "S2026001",
        "home_org": str(college.pk),
        "mobile": "13812345678",
        "id_number": MAN,
        "email": "",
        "password": "river-Stone-42",
    }
    response = client.post(
        reverse("identity:user-create"), form, headers={"accept-language": "zh-hans"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "姓名不能包含文字方向控制字符。" in page
    assert 'value="S2026001"' in page
    assert not User.objects.filter(username="zhang").exists()
