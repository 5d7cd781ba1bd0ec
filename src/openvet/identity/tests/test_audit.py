import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from openvet.core.models import AuditAction, AuditEntry
from openvet.core.roles import Role
from openvet.core.tests.factories import school
from openvet.identity import services
from openvet.identity.api.testing import bearer
from openvet.identity.tests.factories import DEFAULT_PASSWORD, UserFactory, user_with_role
from openvet.identity.tests.support import id_number, sign_in

pytestmark = pytest.mark.django_db


def test_login_is_audited_with_the_address() -> None:
    user = UserFactory(username="wang", home_org=school())

    Client(REMOTE_ADDR="10.2.3.4").post(
        reverse("identity:login"), {"username": "wang", "password": DEFAULT_PASSWORD}
    )

    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert (entry.actor, entry.ip_address, entry.object_id) == (user, "10.2.3.4", str(user.pk))


def test_failed_login_is_audited_with_the_name_tried() -> None:
    user = UserFactory(username="wang")

    Client(REMOTE_ADDR="10.2.3.4").post(
        reverse("identity:login"), {"username": "wang", "password": "nope"}
    )

    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (entry.actor, entry.actor_label, entry.ip_address, entry.object_id) == (
        None,
        "wang",
        "10.2.3.4",
        str(user.pk),
    )


def test_logout_is_audited(client: Client) -> None:
    user = UserFactory()
    sign_in(client, user, verified=False)

    response = client.post(reverse("identity:logout"))

    assert response.status_code == 302
    assert AuditEntry.objects.get(action=AuditAction.LOGOUT).actor == user


def test_update_through_the_service_records_changed_fields_masked() -> None:
    college = school()
    admin = user_with_role(Role.SCHOOL_ADMIN, college)
    user = UserFactory(home_org=college, full_name="Before")

    services.user_update(actor=admin, user=user, full_name="After", id_number=id_number())

    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.actor == admin
    assert entry.changes == {"full_name": ["Before", "After"], "id_number": "***"}


def test_reveal_through_the_service_never_logs_the_value() -> None:
    college = school()
    admin = user_with_role(Role.SCHOOL_ADMIN, college)
    user = UserFactory(home_org=college, id_number=id_number())

    value = services.user_reveal_pii(actor=admin, user=user, field="id_number")

    entry = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert value == id_number()
    assert entry.changes == {"field": "id_number"}
    assert id_number() not in entry.object_label


def test_token_logout_without_a_session_ends_nothing_and_writes_nothing() -> None:
    cache.clear()
    user = user_with_role(Role.TEACHER, school())
    headers = bearer(user)

    statuses = [
        Client().delete("/api/v1/identity/sessions/current", headers=headers).status_code
        for _ in range(3)
    ]

    assert statuses == [204, 204, 204]
    assert not AuditEntry.objects.filter(action=AuditAction.LOGOUT).exists()


def test_session_logout_is_audited_once_however_often_it_is_called(client: Client) -> None:
    user = UserFactory()
    sign_in(client, user, verified=False)

    first = client.delete("/api/v1/identity/sessions/current")
    again = client.post(reverse("identity:logout"))

    assert (first.status_code, again.status_code) == (204, 302)
    logouts = AuditEntry.objects.filter(action=AuditAction.LOGOUT)
    assert list(logouts.values_list("actor", flat=True)) == [user.pk]
