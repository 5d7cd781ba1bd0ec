"""Helpers for the identity page tests: signing in as a real role, valid identifiers."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from openvet.core.codes import id_number_check_char
from openvet.core.models import OrgUnit
from openvet.core.tests.factories import province, school
from openvet.identity.models import User


def id_number(first17: str = "11010519900307123") -> str:
    """A citizen ID number with the right check character."""
    return first17 + id_number_check_char(first17)


def sign_in(client: Client, user: User, *, verified: bool = True) -> Client:
    """Sign in without the form; ``verified`` also passes the administrators' 2FA."""
    client.force_login(user, backend="openvet.identity.backends.IdentifierBackend")
    if verified:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def two_schools() -> tuple[OrgUnit, OrgUnit]:
    """Two schools of one province (a second province() call would clash on its code)."""
    parent = province()
    return school(parent), school(parent)
