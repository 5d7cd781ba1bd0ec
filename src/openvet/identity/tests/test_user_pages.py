from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openvet.core.models import AuditAction, AuditEntry
from openvet.core.roles import Role
from openvet.core.tests.factories import department, school
from openvet.identity.models import RoleAssignment, User
from openvet.identity.tests.factories import UserFactory, user_with_role
from openvet.identity.tests.support import id_number, sign_in

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


@pytest.fixture
def college():
    return school()


@pytest.fixture
def admin(client: Client, college):
    user = user_with_role(Role.SCHOOL_ADMIN, college, username="schooladmin")
    sign_in(client, user)
    return user


def _create_form(org, **overrides: str) -> dict[str, str]:
    data = {
        "username": "zhang",
        "full_name": "Zhang San",
        "person_number": "S2026001",
        "home_org": str(org.pk),
        "mobile": "13812345678",
        "id_number": id_number(),
        "email": "",
        "password": "river-Stone-42",
    }
    return data | overrides


def test_admin_creates_a_user_who_must_change_the_initial_password(
    client: Client, admin: User, college
) -> None:
    response = client.post(reverse("identity:user-create"), _create_form(college))

    user = User.objects.get(username="zhang")
    assert response.status_code == 302
    assert response["Location"] == reverse("identity:user-detail", kwargs={"user_id": user.pk})
    assert (user.home_org, user.person_number, user.mobile) == (college, "S2026001", "13812345678")
    assert user.must_change_password is True
    assert user.check_password("river-Stone-42")


def test_user_creation_is_audited_without_clear_personal_numbers(
    client: Client, admin: User, college
) -> None:
    client.post(reverse("identity:user-create"), _create_form(college), REMOTE_ADDR="10.1.1.1")

    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="identity.user")
    assert (entry.actor, entry.ip_address, entry.org) == (admin, "10.1.1.1", college)
    assert entry.changes["mobile"] == "***"
    assert entry.changes["id_number"] == "***"
    assert "13812345678" not in str(entry.changes)
    assert id_number() not in str(entry.changes)


def test_duplicate_number_in_the_same_school_is_refused(
    client: Client, admin: User, college
) -> None:
    UserFactory(home_org=department(college), person_number="S2026001")

    response = client.post(reverse("identity:user-create"), _create_form(college), headers=EN)

    assert response.status_code == 200
    assert response.context["form"].errors["person_number"] == [
        "Another account of this school already has this number."
    ]
    assert not User.objects.filter(username="zhang").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.CREATE).exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            id_number()[:17] + ("0" if id_number()[17] != "0" else "1"),
            "The check digit of this ID number is wrong.",
        ),
        ("11010519900307123A", "This is not a valid 18-character citizen ID number."),
        ("1101051990030712", "This is not a valid 18-character citizen ID number."),
    ],
)
def test_malformed_id_numbers_are_refused(
    client: Client, admin: User, college, value: str, message: str
) -> None:
    response = client.post(
        reverse("identity:user-create"), _create_form(college, id_number=value), headers=EN
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["id_number"]
    assert errors == [message]
    assert not User.objects.filter(username="zhang").exists()


def test_bad_birth_date_in_id_number_is_named(client: Client, admin: User, college) -> None:
    response = client.post(
        reverse("identity:user-create"),
        _create_form(college, id_number=id_number("11010519901301123")),
        headers=EN,
    )

    assert response.context["form"].errors["id_number"] == [
        "The birth date in this ID number is not a real date."
    ]


def test_lower_case_x_is_accepted_and_normalised(client: Client, admin: User, college) -> None:
    value = id_number("11010519900307101")
    assert value.endswith("X")

    client.post(reverse("identity:user-create"), _create_form(college, id_number=value.lower()))

    assert User.objects.get(username="zhang").id_number == value


def test_user_list_searches_and_filters_by_role(client: Client, admin: User, college) -> None:
    user_with_role(Role.TEACHER, college, username="li", full_name="Li Si")
    UserFactory(username="wang", full_name="Wang Wu", home_org=college)

    by_name = client.get(reverse("identity:user-list"), {"q": "Li"})
    by_role = client.get(reverse("identity:user-list"), {"role": Role.TEACHER})

    assert [u.username for u in by_name.context["page"]] == ["li"]
    assert [u.username for u in by_role.context["page"]] == ["li"]


def test_htmx_search_returns_only_the_results_fragment(
    client: Client, admin: User, college
) -> None:
    UserFactory(username="wang", full_name="Wang Wu", home_org=college)

    response = client.get(
        reverse("identity:user-list"),
        {"q": "wang"},
        headers={"hx-request": "true", "hx-target": "user-results"},
    )

    body = response.content.decode()
    assert response.templates[0].name == "identity/partials/_user_results.html"
    assert "<html" not in body
    assert "Wang Wu" in body


def test_user_list_is_paginated(client: Client, admin: User, college) -> None:
    UserFactory.create_batch(30, home_org=college)

    first = client.get(reverse("identity:user-list"))
    second = client.get(reverse("identity:user-list"), {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 6


def test_detail_masks_personal_numbers(client: Client, admin: User, college) -> None:
    user = UserFactory(home_org=college, mobile="13812345678", id_number=id_number())

    body = client.get(reverse("identity:user-detail", kwargs={"user_id": user.pk})).content.decode()

    assert "138****5678" in body
    assert "110105********1239" in body
    assert "13812345678" not in body
    assert id_number() not in body


def test_reveal_returns_the_full_value_and_is_audited(client: Client, admin: User, college) -> None:
    user = UserFactory(home_org=college, mobile="13812345678")

    response = client.post(
        reverse("identity:user-reveal", kwargs={"user_id": user.pk, "field": "mobile"}),
        headers={"hx-request": "true"},
    )

    assert response.status_code == 200
    assert "13812345678" in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert (entry.actor, entry.object_id, entry.changes) == (
        admin,
        str(user.pk),
        {"field": "mobile"},
    )


def test_reveal_of_an_unknown_field_is_refused(client: Client, admin: User, college) -> None:
    user = UserFactory(home_org=college)

    response = client.post(
        reverse("identity:user-reveal", kwargs={"user_id": user.pk, "field": "password"})
    )

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_edit_changes_fields_and_blank_keeps_personal_numbers(
    client: Client, admin: User, college
) -> None:
    user = UserFactory(home_org=college, full_name="Old Name", mobile="13812345678")

    response = client.post(
        reverse("identity:user-edit", kwargs={"user_id": user.pk}),
        {
            "full_name": "New Name",
            "person_number": "T9",
            "email": "",
            "mobile": "",
            "id_number": "",
        },
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert (user.full_name, user.person_number, user.mobile) == ("New Name", "T9", "13812345678")
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.changes == {"full_name": ["Old Name", "New Name"], "person_number": ["", "T9"]}


def test_edit_of_mobile_is_audited_masked(client: Client, admin: User, college) -> None:
    user = UserFactory(home_org=college, full_name="Name", mobile="13812345678")

    client.post(
        reverse("identity:user-edit", kwargs={"user_id": user.pk}),
        {
            "full_name": "Name",
            "person_number": "",
            "email": "",
            "mobile": "13900001111",
            "id_number": "",
        },
    )

    user.refresh_from_db()
    assert user.mobile == "13900001111"
    assert AuditEntry.objects.get(action=AuditAction.UPDATE).changes == {"mobile": "***"}


def test_deactivate_stops_sign_in_and_is_audited(client: Client, admin: User, college) -> None:
    user = UserFactory(home_org=college)

    response = client.post(reverse("identity:user-deactivate", kwargs={"user_id": user.pk}))

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.is_active is False
    assert AuditEntry.objects.get(action=AuditAction.UPDATE).changes == {"is_active": [True, False]}


def test_admin_cannot_deactivate_themselves(client: Client, admin: User) -> None:
    client.post(reverse("identity:user-deactivate", kwargs={"user_id": admin.pk}))

    admin.refresh_from_db()
    assert admin.is_active is True


def test_grant_role_with_expiry_for_an_evaluator(client: Client, admin: User, college) -> None:
    user = UserFactory(home_org=college)
    day = (timezone.localdate() + timedelta(days=30)).isoformat()

    response = client.post(
        reverse("identity:role-grant", kwargs={"user_id": user.pk}),
        {"role": Role.EVALUATOR, "org": str(college.pk), "expires_on": day},
    )

    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.org, assignment.granted_by) == (
        Role.EVALUATOR,
        college,
        admin,
    )
    assert timezone.localtime(assignment.expires_at).date().isoformat() == day


def test_evaluator_without_expiry_shows_a_form_error(client: Client, admin: User, college) -> None:
    user = UserFactory(home_org=college)

    response = client.post(
        reverse("identity:role-grant", kwargs={"user_id": user.pk}),
        {"role": Role.EVALUATOR, "org": str(college.pk)},
        headers=EN,
    )

    assert response.status_code == 200
    assert response.context["form"].errors["expires_on"] == ["This role needs an expiry date."]
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_separation_of_duties_shows_a_form_error(client: Client, admin: User, college) -> None:
    # A fellow school administrator: the admin may change that account, but not make it audit.
    user = user_with_role(Role.SCHOOL_ADMIN, college)

    response = client.post(
        reverse("identity:role-grant", kwargs={"user_id": user.pk}),
        {"role": Role.AUDIT_ADMIN, "org": str(college.pk)},
        headers=EN,
    )

    assert response.status_code == 200
    assert "separation of duties" in response.context["form"].errors["role"][0]
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == [
        Role.SCHOOL_ADMIN
    ]


def test_role_form_offers_only_the_admins_subtree(client: Client, admin: User, college) -> None:
    dept = department(college)
    school(college.parent)
    user = UserFactory(home_org=college)

    response = client.get(reverse("identity:role-grant", kwargs={"user_id": user.pk}))

    form = response.context["form"]
    assert list(form.fields["org"].queryset) == [college, dept]
    assert Role.PLATFORM_ADMIN not in [value for value, _ in form.fields["role"].choices]


def test_revoke_role(client: Client, admin: User, college) -> None:
    user = user_with_role(Role.TEACHER, college)
    assignment = RoleAssignment.objects.get(user=user)

    response = client.post(
        reverse("identity:role-revoke", kwargs={"user_id": user.pk, "assignment_id": assignment.pk})
    )

    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE).count() == 1


def test_security_admin_resets_a_password_and_forces_a_change(client: Client, college) -> None:
    security = user_with_role(Role.SECURITY_ADMIN, college)
    sign_in(client, security)
    user = UserFactory(home_org=college)

    response = client.post(
        reverse("identity:user-password-reset", kwargs={"user_id": user.pk}),
        {"password": "river-Stone-42"},
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.must_change_password is True
    assert user.check_password("river-Stone-42")


def _nav_keys(client: Client) -> list[str]:
    groups = client.get("/").context["nav_groups"]
    return [item.key for group in groups for item in group.items]


def test_navigation_shows_users_to_admins_only(client: Client, admin: User, college) -> None:
    teacher_client = sign_in(Client(), user_with_role(Role.TEACHER, college))

    admin_keys = _nav_keys(client)
    teacher_keys = _nav_keys(teacher_client)

    assert "users" in admin_keys
    assert "users" not in teacher_keys
    assert "security" not in admin_keys


@pytest.mark.parametrize(
    "url_name", ["identity:user-detail", "identity:user-edit", "identity:role-grant"]
)
def test_admin_pages_render_for_a_user_of_the_school(
    client: Client, admin: User, college, url_name: str
) -> None:
    user = user_with_role(Role.TEACHER, college, mobile="13812345678")

    response = client.get(reverse(url_name, kwargs={"user_id": user.pk}))

    assert response.status_code == 200
    assert "13812345678" not in response.content.decode()


def test_create_page_offers_the_admins_orgs(client: Client, admin: User, college) -> None:
    dept = department(college)

    response = client.get(reverse("identity:user-create"))

    assert response.status_code == 200
    assert list(response.context["form"].fields["home_org"].queryset) == [college, dept]


def test_security_admin_opens_the_reset_page_but_not_the_edit_page(client: Client, college) -> None:
    sign_in(client, user_with_role(Role.SECURITY_ADMIN, college))
    user = UserFactory(home_org=college)

    reset = client.get(reverse("identity:user-password-reset", kwargs={"user_id": user.pk}))
    edit = client.get(reverse("identity:user-edit", kwargs={"user_id": user.pk}))

    assert (reset.status_code, edit.status_code) == (200, 404)
