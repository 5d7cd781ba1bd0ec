import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.models import AuditAction, AuditEntry
from openvet.core.roles import Role
from openvet.core.tests.factories import school
from openvet.identity.tests.factories import DEFAULT_PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_teacher_signs_in_by_staff_number_and_is_audited(client: Client) -> None:
    college = school()
    teacher = user_with_role(Role.TEACHER, college, person_number="T0001")

    response = client.post(
        reverse("identity:login"), {"username": "T0001", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert entry.actor == teacher
    assert entry.org_path == college.path


def test_wrong_password_is_refused_with_a_clear_message(client: Client) -> None:
    UserFactory(username="wang")

    response = client.post(reverse("identity:login"), {"username": "wang", "password": "nope"})

    assert response.status_code == 200
    assert "账号或密码错误" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1
