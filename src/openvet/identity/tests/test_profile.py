import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from openvet.core.roles import Role
from openvet.core.tests.factories import school
from openvet.identity.tests.factories import UserFactory, user_with_role
from openvet.identity.tests.support import id_number, sign_in

pytestmark = pytest.mark.django_db


def test_profile_shows_own_data_masked_with_roles(client: Client) -> None:
    college = school(name="Harbour College")
    user = user_with_role(
        Role.TEACHER, college, full_name="Teacher Wu", mobile="13812345678", id_number=id_number()
    )
    sign_in(client, user, verified=False)

    response = client.get(reverse("identity:profile"), headers={"accept-language": "en"})

    body = response.content.decode()
    assert "Teacher Wu" in body
    assert "138****5678" in body
    assert "13812345678" not in body
    assert id_number() not in body
    assert response.context["assignments"] == [
        {"role": "Teacher", "org": college, "expires_at": None}
    ]
    assert reverse("identity:password-change") in body


def test_profile_shows_two_factor_status(client: Client) -> None:
    user = UserFactory()
    sign_in(client, user, verified=False)
    before = client.get(reverse("identity:profile")).context["totp_enabled"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    after = client.get(reverse("identity:profile")).context["totp_enabled"]

    assert (before, after) == (False, True)
