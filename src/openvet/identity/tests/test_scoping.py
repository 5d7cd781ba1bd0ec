"""A school administrator of school A reaches nothing of school B; teachers and students
reach no management page."""

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.models import AuditEntry
from openvet.core.roles import Role
from openvet.identity.models import RoleAssignment, User
from openvet.identity.tests.factories import UserFactory, user_with_role
from openvet.identity.tests.support import id_number, sign_in, two_schools

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client: Client):
    school_a, school_b = two_schools()
    admin_a = user_with_role(Role.SCHOOL_ADMIN, school_a)
    outsider = UserFactory(
        home_org=school_b, full_name="Outsider", mobile="13812345678", id_number=id_number()
    )
    sign_in(client, admin_a)
    return school_a, school_b, admin_a, outsider


def test_admin_of_school_a_does_not_list_school_b_users(client: Client, setup) -> None:
    school_a, _, admin_a, _ = setup
    colleague = UserFactory(home_org=school_a)

    response = client.get(reverse("identity:user-list"))

    assert {u.pk for u in response.context["page"].object_list} == {admin_a.pk, colleague.pk}


@pytest.mark.parametrize(
    "url_name",
    [
        "identity:user-detail",
        "identity:user-edit",
        "identity:role-grant",
        "identity:user-password-reset",
    ],
)
def test_admin_of_school_a_gets_404_on_school_b_pages(client: Client, setup, url_name) -> None:
    outsider = setup[3]

    response = client.get(reverse(url_name, kwargs={"user_id": outsider.pk}))

    assert response.status_code == 404


def test_admin_of_school_a_cannot_edit_school_b_user(client: Client, setup) -> None:
    outsider = setup[3]

    response = client.post(
        reverse("identity:user-edit", kwargs={"user_id": outsider.pk}),
        {"full_name": "Changed", "person_number": "", "email": "", "mobile": "", "id_number": ""},
    )

    assert response.status_code == 404
    assert User.objects.get(pk=outsider.pk).full_name == "Outsider"
    assert not AuditEntry.objects.filter(object_id=str(outsider.pk)).exists()


def test_admin_of_school_a_cannot_grant_roles_in_school_b(client: Client, setup) -> None:
    school_a, school_b, _, outsider = setup

    to_outsider = client.post(
        reverse("identity:role-grant", kwargs={"user_id": outsider.pk}),
        {"role": Role.TEACHER, "org": str(school_a.pk)},
    )
    colleague = UserFactory(home_org=school_a)
    on_school_b = client.post(
        reverse("identity:role-grant", kwargs={"user_id": colleague.pk}),
        {"role": Role.TEACHER, "org": str(school_b.pk)},
    )

    assert to_outsider.status_code == 404
    assert on_school_b.status_code == 200
    assert "org" in on_school_b.context["form"].errors
    assert not RoleAssignment.objects.filter(user__in=[outsider, colleague]).exists()


def test_admin_of_school_a_cannot_revoke_school_b_roles(client: Client, setup) -> None:
    _, school_b, _, _ = setup
    teacher_b = user_with_role(Role.TEACHER, school_b)
    assignment = RoleAssignment.objects.get(user=teacher_b)

    response = client.post(
        reverse(
            "identity:role-revoke", kwargs={"user_id": teacher_b.pk, "assignment_id": assignment.pk}
        )
    )

    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_admin_of_school_a_cannot_deactivate_school_b_user(client: Client, setup) -> None:
    outsider = setup[3]

    response = client.post(reverse("identity:user-deactivate", kwargs={"user_id": outsider.pk}))

    assert response.status_code == 404
    assert User.objects.get(pk=outsider.pk).is_active is True


def test_admin_of_school_a_cannot_reveal_school_b_pii(client: Client, setup) -> None:
    outsider = setup[3]

    response = client.post(
        reverse("identity:user-reveal", kwargs={"user_id": outsider.pk, "field": "mobile"})
    )

    assert response.status_code == 404
    assert "13812345678" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="reveal").exists()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.AUDIT_ADMIN])
def test_non_managers_cannot_reach_management_pages(client: Client, role: str) -> None:
    school_a, _ = two_schools()
    other = UserFactory(home_org=school_a)
    sign_in(client, user_with_role(role, school_a))

    statuses = {
        client.get(reverse("identity:user-list")).status_code,
        client.get(reverse("identity:user-create")).status_code,
        client.get(reverse("identity:user-detail", kwargs={"user_id": other.pk})).status_code,
        client.post(
            reverse("identity:user-reveal", kwargs={"user_id": other.pk, "field": "mobile"})
        ).status_code,
    }

    assert statuses == {403}


def test_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("identity:user-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:login"))


def test_student_sees_only_their_own_profile(client: Client) -> None:
    school_a, _ = two_schools()
    student = user_with_role(Role.STUDENT, school_a, full_name="Student Self")
    UserFactory(home_org=school_a, full_name="Classmate")
    sign_in(client, student)

    body = client.get(reverse("identity:profile")).content.decode()

    assert "Student Self" in body
    assert "Classmate" not in body
