from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from openvet.core import policy
from openvet.core.errors import PermissionDenied
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.actors import FakeActor, fake
from openvet.core.tests.factories import OrgUnitFactory, department, province, school

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    zhejiang = province()
    school_a, school_b = school(zhejiang), school(zhejiang)
    dept_a = department(school_a, "Dept A")
    major_a = OrgUnitFactory(kind=OrgKind.MAJOR, code="510201", parent=dept_a)
    return {
        "province": zhejiang,
        "a": school_a,
        "b": school_b,
        "dept_a": dept_a,
        "major_a": major_a,
        "dept_b": department(school_b, "Dept B"),
    }


def test_grant_reaches_the_node_itself(tree):
    assert policy.has_capability(fake(Role.SCHOOL_ADMIN, tree["a"]), "core.add_orgunit", tree["a"])


def test_grant_inherits_downward(tree):
    actor = fake(Role.SCHOOL_ADMIN, tree["a"])
    assert policy.has_capability(actor, "core.add_orgunit", tree["major_a"])


def test_grant_does_not_reach_upward(tree):
    actor = fake(Role.SCHOOL_ADMIN, tree["a"])
    assert not policy.has_capability(actor, "core.add_orgunit", tree["province"])


def test_grant_does_not_reach_sideways(tree):
    actor = fake(Role.SCHOOL_ADMIN, tree["a"])
    assert not policy.has_capability(actor, "core.add_orgunit", tree["dept_b"])


def test_capability_not_in_the_role_is_refused(tree):
    actor = fake(Role.TEACHER, tree["a"])
    assert not policy.has_capability(actor, "core.add_orgunit", tree["dept_a"])


def test_has_capability_anywhere(tree):
    assert policy.has_capability(fake(Role.AUDIT_ADMIN, tree["a"]), "core.view_auditentry")
    assert not policy.has_capability(fake(Role.STUDENT, tree["a"]), "core.view_auditentry")


def test_expired_grant_is_ignored(tree):
    actor = fake(Role.SCHOOL_ADMIN, tree["a"], expires_at=timezone.now() - timedelta(seconds=1))
    assert not policy.has_capability(actor, "core.view_orgunit", tree["a"])


def test_grant_expiring_later_is_current(tree):
    actor = fake(Role.EVALUATOR, tree["a"], expires_at=timezone.now() + timedelta(days=1))
    assert policy.has_capability(actor, "core.view_orgunit", tree["a"])


def test_inactive_user_has_no_grants(tree):
    actor = fake(Role.SCHOOL_ADMIN, tree["a"])
    actor.is_active = False
    assert policy.current_grants(actor) == []


def test_anonymous_user_has_no_grants(tree):
    actor = fake(Role.SCHOOL_ADMIN, tree["a"])
    actor.is_authenticated = False
    assert not policy.has_capability(actor, "core.view_orgunit")


def test_roles_of_lists_current_roles(tree):
    actor = FakeActor(
        [*fake(Role.TEACHER, tree["a"]).grants, *fake(Role.COUNSELLOR, tree["b"]).grants]
    )
    assert policy.roles_of(actor) == {Role.TEACHER, Role.COUNSELLOR}


def test_require_raises_permission_denied_outside_the_subtree(tree):
    with pytest.raises(PermissionDenied):
        policy.require(fake(Role.SCHOOL_ADMIN, tree["a"]), "core.change_orgunit", tree["b"])


def test_require_passes_inside_the_subtree(tree):
    policy.require(fake(Role.SCHOOL_ADMIN, tree["a"]), "core.change_orgunit", tree["dept_a"])


def test_scope_keeps_only_the_subtree(tree):
    rows = policy.scope(
        OrgUnit.objects.all(),
        fake(Role.SCHOOL_ADMIN, tree["a"]),
        "core.view_orgunit",
        path_field="path",
    )
    assert set(rows) == {tree["a"], tree["dept_a"], tree["major_a"]}


def test_scope_without_grants_fails_closed(tree):
    rows = policy.scope(OrgUnit.objects.all(), FakeActor(), "core.view_orgunit", path_field="path")
    assert list(rows) == []


def test_scope_without_the_capability_fails_closed(tree):
    rows = policy.scope(
        OrgUnit.objects.all(), fake(Role.STUDENT, tree["a"]), "core.view_orgunit", path_field="path"
    )
    assert list(rows) == []


def test_scope_adds_own_rows(tree):
    rows = policy.scope(
        OrgUnit.objects.all(),
        fake(Role.STUDENT, tree["a"]),
        "core.view_orgunit",
        path_field="path",
        own=Q(pk=tree["dept_b"].pk),
    )
    assert list(rows) == [tree["dept_b"]]


def test_scope_ignores_own_rows_for_anonymous_users(tree):
    actor = FakeActor(is_authenticated=False)
    rows = policy.scope(
        OrgUnit.objects.all(),
        actor,
        "core.view_orgunit",
        path_field="path",
        own=Q(pk=tree["dept_b"].pk),
    )
    assert list(rows) == []


def test_capability_paths_collapse_nested_paths(tree):
    actor = FakeActor(
        [
            *fake(Role.SCHOOL_ADMIN, tree["dept_a"]).grants,
            *fake(Role.SCHOOL_ADMIN, tree["a"]).grants,
            *fake(Role.SCHOOL_ADMIN, tree["major_a"]).grants,
        ]
    )
    assert policy.capability_paths(actor, "core.view_orgunit") == [tree["a"].path]


def test_capability_paths_keep_sibling_subtrees(tree):
    actor = fake(Role.SCHOOL_ADMIN, tree["b"], tree["a"])
    assert policy.capability_paths(actor, "core.view_orgunit") == sorted(
        [tree["a"].path, tree["b"].path]
    )


def test_capability_paths_only_count_roles_with_the_capability(tree):
    actor = FakeActor(
        [*fake(Role.STUDENT, tree["b"]).grants, *fake(Role.TEACHER, tree["a"]).grants]
    )
    assert policy.capability_paths(actor, "core.view_orgunit") == [tree["a"].path]


def test_capability_paths_do_not_merge_paths_sharing_a_digit_prefix():
    # "/00000001/00000002/" must not swallow a sibling whose id starts the same way.
    actor = FakeActor(
        [
            policy.Grant(role=Role.SCHOOL_ADMIN, org_id=2, org_path="/00000001/00000002/"),
            policy.Grant(role=Role.SCHOOL_ADMIN, org_id=20, org_path="/00000001/00000020/"),
        ]
    )
    assert policy.capability_paths(actor, "core.view_orgunit") == [
        "/00000001/00000002/",
        "/00000001/00000020/",
    ]
