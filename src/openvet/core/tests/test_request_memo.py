"""What a request remembers to stay cheap: the navigation as rendered and the capability
paths of its user (ADR 0022) never show one person's or one page's answer to another."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from openvet.core import policy
from openvet.core.roles import Role
from openvet.core.tests.actors import fake, give, make_user
from openvet.core.tests.factories import province, school

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.REQUIRE_ADMIN_TOTP = False


def _signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _nav(client, url):
    html = client.get(url).content.decode()
    return html[html.index('id="main-nav"') : html.index("</nav>")]


def test_navigation_marks_the_page_shown_not_the_one_rendered_before():
    admin = make_user(Role.SCHOOL_ADMIN, school(province()))
    client = _signed_in(admin)

    home = _nav(client, reverse("core:home"))
    orgs = _nav(client, reverse("core:org-list"))

    current = re.compile(r'href="([^"]+)" aria-current="page"')
    assert current.findall(orgs) == [reverse("core:org-list")]
    assert reverse("core:org-list") not in current.findall(home)


def test_navigation_follows_each_persons_capabilities_and_language():
    college = school(province())
    admin = _signed_in(make_user(Role.SCHOOL_ADMIN, college))
    teacher = _signed_in(make_user(Role.TEACHER, college))
    users = reverse("identity:user-list")

    assert users in _nav(admin, reverse("core:home"))
    assert users not in _nav(teacher, reverse("core:home"))
    assert users in _nav(admin, reverse("core:home"))
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    chinese.force_login(make_user(Role.SCHOOL_ADMIN, college))
    assert _nav(chinese, reverse("core:home")) != _nav(admin, reverse("core:home"))


def test_a_grant_given_during_a_request_is_seen_at_once():
    college = school(province())
    user = make_user()
    assert not policy.has_capability(user, "core.add_orgunit", college)

    give(user, Role.SCHOOL_ADMIN, college)

    assert policy.has_capability(user, "core.add_orgunit", college)


def test_a_remembered_capability_ends_when_its_grant_expires(monkeypatch):
    college = school(province())
    now = timezone.now()
    actor = fake(Role.SCHOOL_ADMIN, college, expires_at=now + timedelta(minutes=1))
    assert policy.has_capability(actor, "core.add_orgunit", college)

    monkeypatch.setattr(policy.timezone, "now", lambda: now + timedelta(minutes=2))

    assert not policy.has_capability(actor, "core.add_orgunit", college)
    assert policy.capability_paths(actor, "core.add_orgunit") == []


def test_capability_paths_handed_out_cannot_change_what_is_remembered():
    college = school(province())
    actor = fake(Role.SCHOOL_ADMIN, college)
    policy.capability_paths(actor, "core.add_orgunit").append("/elsewhere/")

    assert policy.capability_paths(actor, "core.add_orgunit") == [college.path]


def test_the_request_lazy_user_is_asked_like_the_user_itself():
    college = school(province())
    admin = make_user(Role.SCHOOL_ADMIN, college)
    teacher = make_user(Role.TEACHER, college)
    not_yet_read = SimpleLazyObject(lambda: admin)

    assert policy.has_capability(not_yet_read, "core.add_orgunit")
    assert policy.roles_of(SimpleLazyObject(lambda: admin)) == {Role.SCHOOL_ADMIN}
    assert not policy.has_capability(SimpleLazyObject(lambda: teacher), "core.add_orgunit")
    assert not policy.has_capability(SimpleLazyObject(AnonymousUser), "core.add_orgunit")


def test_a_capability_held_anywhere_ends_when_its_grant_expires(monkeypatch):
    college = school(province())
    now = timezone.now()
    actor = fake(Role.SCHOOL_ADMIN, college, expires_at=now + timedelta(minutes=1))
    assert policy.has_capability(actor, "core.add_orgunit")
    assert policy.current_grants(actor)

    monkeypatch.setattr(policy.timezone, "now", lambda: now + timedelta(minutes=2))

    assert not policy.has_capability(actor, "core.add_orgunit")
    assert policy.current_grants(actor) == []
