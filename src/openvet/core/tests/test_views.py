import re

import pytest
from django.urls import reverse

from openvet.core.audit import audit_record
from openvet.core.models import AuditAction, OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.actors import make_user
from openvet.core.tests.factories import OrgUnitFactory, department, nation, province, school

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # The two-factor gate for administrators is identity's, tested there.
    settings.REQUIRE_ADMIN_TOTP = False


@pytest.fixture
def world():
    zhejiang = province()
    a, b = school(zhejiang, name="School A"), school(zhejiang, name="School B")
    return {
        "province": zhejiang,
        "a": a,
        "b": b,
        "dept_a": department(a, "Dept A"),
        "dept_b": department(b, "Dept B"),
    }


def _client(client, user):
    client.force_login(user)
    return client


# -- org tree -------------------------------------------------------------------------------


def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get(reverse("core:org-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:login"))


def test_org_list_shows_the_roots_the_user_may_browse(client, world):
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    response = _client(client, user).get(reverse("core:org-list"), **EN)
    assert response.status_code == 200
    assert [org.pk for org in response.context["roots"]] == [world["a"].pk]
    assert b"School B" not in response.content


def test_student_may_not_browse_the_tree(client, world):
    response = _client(client, make_user(Role.STUDENT, world["dept_a"])).get(
        reverse("core:org-list"), **EN
    )
    assert response.status_code == 403
    assert b"Access denied" in response.content


def test_children_fragment_lists_the_children(client, world):
    user = make_user(Role.TEACHER, world["a"])
    response = _client(client, user).get(reverse("core:org-children", args=[world["a"].pk]), **HTMX)
    assert response.status_code == 200
    assert [org.pk for org in response.context["nodes"]] == [world["dept_a"].pk]
    assert response.templates[0].name == "core/partials/_org_children.html"


def test_children_of_another_school_are_not_found(client, world):
    user = make_user(Role.TEACHER, world["a"])
    response = _client(client, user).get(reverse("core:org-children", args=[world["b"].pk]))
    assert response.status_code == 404


def test_search_returns_matches_in_scope_only(client, world):
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    response = _client(client, user).get(
        reverse("core:org-list"), {"q": "Dept"}, HTTP_HX_TARGET="org-tree", **HTMX
    )
    assert response.templates[0].name == "core/partials/_org_tree.html"
    assert [org.pk for org in response.context["results"]] == [world["dept_a"].pk]


def test_detail_shows_breadcrumb_within_scope(client, world):
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    response = _client(client, user).get(reverse("core:org-detail", args=[world["dept_a"].pk]))
    assert response.status_code == 200
    assert [org.pk for org in response.context["ancestors"]] == [world["a"].pk]


def test_detail_fragment_for_htmx(client, world):
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    response = _client(client, user).get(reverse("core:org-detail", args=[world["a"].pk]), **HTMX)
    assert response.templates[0].name == "core/partials/_org_detail.html"
    assert [kind for kind, _label in response.context["child_kinds"]] == [OrgKind.DEPARTMENT]


def test_detail_of_another_school_is_not_found(client, world):
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    response = _client(client, user).get(reverse("core:org-detail", args=[world["dept_b"].pk]))
    assert response.status_code == 404


def test_teacher_sees_no_add_or_edit_actions(client, world):
    user = make_user(Role.TEACHER, world["a"])
    response = _client(client, user).get(reverse("core:org-detail", args=[world["a"].pk]))
    assert (response.context["child_kinds"], response.context["may_change"]) == ([], False)


def test_school_admin_adds_a_department(client, world):
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    response = _client(client, user).post(
        reverse("core:org-create", args=[world["a"].pk, "department"]),
        {"name": "Mechatronics", "code": "D02"},
    )
    created = OrgUnit.objects.get(name="Mechatronics")
    assert response.status_code == 302
    assert (created.parent, created.code) == (world["a"], "D02")


def test_form_shows_service_errors(client, world):
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    response = _client(client, user).post(
        reverse("core:org-create", args=[world["dept_a"].pk, "major"]),
        {"name": "Software", "code": "5102"},
        **EN,
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": ["A major needs its six-digit code from the 2021 catalogue."]
    }
    assert not OrgUnit.objects.filter(name="Software").exists()


def test_class_form_requires_a_grade_year(client, world):
    major = OrgUnitFactory(kind=OrgKind.MAJOR, code="510201", parent=world["dept_a"])
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    response = _client(client, user).post(
        reverse("core:org-create", args=[major.pk, "class"]), {"name": "C1"}, **EN
    )
    assert list(response.context["form"].errors) == ["grade_year"]


def test_school_admin_cannot_add_under_another_school(client, world):
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    response = _client(client, user).post(
        reverse("core:org-create", args=[world["b"].pk, "department"]), {"name": "Intruder"}
    )
    assert response.status_code == 404
    assert not OrgUnit.objects.filter(name="Intruder").exists()


def test_kind_not_allowed_under_the_parent_is_not_found(client, world):
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    response = _client(client, user).get(reverse("core:org-create", args=[world["a"].pk, "class"]))
    assert response.status_code == 404


def test_regional_admin_gets_a_clear_message_for_a_bad_credit_code(client, world):
    user = make_user(Role.REGIONAL_ADMIN, world["province"])
    response = _client(client, user).post(
        reverse("core:org-create", args=[world["province"].pk, "enterprise"]),
        {"name": "Firm", "code": "91350100M000100Y44"},
        **EN,
    )
    assert response.context["form"].errors == {
        "code": ["The check character of this credit code is wrong."]
    }
    assert b"The check character of this credit code is wrong." in response.content


def test_regional_admin_adds_a_school(client, world):
    user = make_user(Role.REGIONAL_ADMIN, world["province"])
    _client(client, user).post(
        reverse("core:org-create", args=[world["province"].pk, "school"]),
        {"name": "New school", "code": "4133099999", "school_type": "secondary_vocational"},
    )
    created = OrgUnit.objects.get(code="4133099999")
    assert (created.kind, created.school_type) == (OrgKind.SCHOOL, "secondary_vocational")


def test_school_admin_edits_a_department(client, world):
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    _client(client, user).post(
        reverse("core:org-edit", args=[world["dept_a"].pk]), {"name": "Renamed", "is_active": "on"}
    )
    world["dept_a"].refresh_from_db()
    assert world["dept_a"].name == "Renamed"


def test_school_admin_cannot_edit_another_school(client, world):
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    response = _client(client, user).post(
        reverse("core:org-edit", args=[world["dept_b"].pk]), {"name": "Stolen"}
    )
    world["dept_b"].refresh_from_db()
    assert (response.status_code, world["dept_b"].name) == (404, "Dept B")


# -- audit log ------------------------------------------------------------------------------


@pytest.fixture
def entries(world):
    actor = make_user(full_name="Writer")
    return {
        "a": audit_record(
            action=AuditAction.UPDATE, obj=world["dept_a"], org=world["dept_a"], actor=actor
        ),
        "b": audit_record(
            action=AuditAction.UPDATE, obj=world["dept_b"], org=world["dept_b"], actor=actor
        ),
        "none": audit_record(
            action=AuditAction.LOGIN_FAILED, actor_label="ghost", object_label="ghost"
        ),
    }


def _listed(response):
    return {entry.pk for entry in response.context["page"].object_list}


def test_school_audit_admin_sees_only_their_school(client, world, entries):
    user = make_user(Role.AUDIT_ADMIN, world["a"], home_org=None)
    response = _client(client, user).get(reverse("core:audit-list"))
    assert _listed(response) == {entries["a"].pk}


def test_national_audit_admin_also_sees_entries_without_org(client, world, entries):
    user = make_user(Role.AUDIT_ADMIN, nation())
    response = _client(client, user).get(reverse("core:audit-list"))
    assert _listed(response) >= {entries["a"].pk, entries["b"].pk, entries["none"].pk}


def test_provincial_audit_admin_does_not_see_entries_without_org(client, world, entries):
    user = make_user(Role.AUDIT_ADMIN, world["province"])
    response = _client(client, user).get(reverse("core:audit-list"))
    assert entries["none"].pk not in _listed(response)


@pytest.mark.parametrize(
    "role", [Role.SCHOOL_ADMIN, Role.SECURITY_ADMIN, Role.TEACHER, Role.STUDENT]
)
def test_audit_log_is_for_audit_admins_only(client, world, entries, role):
    response = _client(client, make_user(role, world["a"])).get(reverse("core:audit-list"))
    assert response.status_code == 403


def test_audit_filter_by_action_for_htmx(client, world, entries):
    user = make_user(Role.AUDIT_ADMIN, nation())
    response = _client(client, user).get(
        reverse("core:audit-list"), {"action": "login_failed"}, **HTMX
    )
    assert response.templates[0].name == "core/partials/_audit_results.html"
    assert _listed(response) == {entries["none"].pk}


def test_audit_search_by_object(client, world, entries):
    user = make_user(Role.AUDIT_ADMIN, world["province"])
    response = _client(client, user).get(reverse("core:audit-list"), {"q": "Dept B"})
    assert _listed(response) == {entries["b"].pk}


def test_audit_date_range_excludes_other_days(client, world, entries):
    user = make_user(Role.AUDIT_ADMIN, world["province"])
    response = _client(client, user).get(
        reverse("core:audit-list"), {"date_from": "2001-01-01", "date_to": "2001-01-02"}
    )
    assert _listed(response) == set()


def test_audit_list_is_paginated(client, world):
    for _ in range(30):
        audit_record(action=AuditAction.CREATE, org=world["a"], object_label="bulk")
    user = make_user(Role.AUDIT_ADMIN, world["a"], home_org=None)
    response = _client(client, user).get(reverse("core:audit-list"), {"page": "2"})
    assert (response.context["page"].number, len(response.context["page"].object_list)) == (2, 5)


# -- shell pages ----------------------------------------------------------------------------


def test_unknown_page_renders_the_translated_404(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert "core/base.html" in [t.name for t in response.templates]


def test_language_switch_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/orgs/?q=a"})
    assert (response.status_code, response["Location"]) == (302, "/orgs/?q=a")
    assert response.cookies["django_language"].value == "en"


def test_language_switch_is_on_every_page_for_anonymous_users(client):
    response = client.get("/no-such-page/")
    assert b'name="language"' in response.content


# -- navigation -----------------------------------------------------------------------------


def test_school_admin_navigation_groups_pages_into_menus(client, world):
    user = make_user(Role.SCHOOL_ADMIN, world["a"])
    html = _client(client, user).get(reverse("core:org-list"), **EN).content.decode()
    menu = re.search(
        r'<button class="nav-link dropdown-toggle( active)?"[^>]*>'
        r"<i[^>]*></i> Administration</button>"
        r"\s*<ul class=\"dropdown-menu\">(.*?)</ul>",
        html,
        re.DOTALL,
    )
    assert menu is not None, "no Administration menu in the navigation"
    toggle_active, links = menu.groups()
    assert reverse("core:org-list") in links
    assert reverse("identity:user-list") in links
    # The page shown now is marked in its menu, and so is the menu's toggle.
    assert 'aria-current="page"' in links
    assert toggle_active == " active"
