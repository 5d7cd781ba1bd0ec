"""The retention page: a school administrator sees and sets how long the school keeps its
learning records, confirming how many the next clean-up removes; the platform administrator
sets every school's and makes the coming months' tables; nobody sees another school's
(ADR 0425)."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.test import override_settings
from django.utils import timezone

from openvet.core.models import AuditEntry, OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.factories import nation
from openvet.identity.tests.factories import user_with_role
from openvet.lrs import partitions
from openvet.lrs.models import RetentionRemoval, RetentionRun, SchoolRetention, Statement
from openvet.lrs.retention import expire_statements, school_retention_save
from openvet.lrs.tests.conftest import lrs_for, statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def signed_in(role: str, org: OrgUnit) -> HttpClient:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
    http.force_login(user_with_role(role, org))
    return http


def url(school: OrgUnit) -> str:
    return f"/lrs/schools/{school.pk}/retention/"


def _store(school: OrgUnit, count: int, *, days_ago: int = 0) -> list[str]:
    answer = lrs_for(school).request("POST", "/statements", [statement() for _ in range(count)])
    assert answer.status_code == 200, answer.content
    ids = list(answer.json())
    if days_ago:
        stored = timezone.now() - timedelta(days=days_ago)
        Statement.objects.filter(statement_id__in=ids).update(stored=stored)
    return ids


@override_settings(LRS_RETENTION_DAYS=730)
def test_a_school_admin_sees_the_periods_and_records_per_month(school_a: OrgUnit) -> None:
    _store(school_a, 3)
    _store(school_a, 2, days_ago=62)
    answer = signed_in(Role.SCHOOL_ADMIN, school_a).get(url(school_a))
    assert answer.status_code == 200
    info = answer.context["info"]
    assert (info.platform_days, info.own_days, info.days) == (730, None, 730)
    assert len(info.months) == 12
    assert info.months[-1].count == 3
    assert sum(month.count for month in info.months) == 5
    assert info.last_run is None
    page = answer.content.decode()
    assert "730 days" in page
    assert "Not run yet" in page


@override_settings(LRS_RETENTION_DAYS=0)
def test_setting_a_period_shows_what_the_next_run_removes_then_saves_on_confirming(
    school_a: OrgUnit, school_b: OrgUnit
) -> None:
    _store(school_a, 4, days_ago=400)
    _store(school_a, 1, days_ago=100)
    _store(school_b, 2, days_ago=400)
    http = signed_in(Role.SCHOOL_ADMIN, school_a)
    typed = {"period": "own", "amount": "365", "unit": "days"}
    preview = http.post(url(school_a), typed)
    assert preview.status_code == 200
    assert preview.context["expiring"] == {"count": 4, "days": 365}
    assert "The next clean-up will remove 4 learning records of this school." in (
        preview.content.decode()
    )
    assert not SchoolRetention.objects.exists()
    saved = http.post(url(school_a), {**typed, "confirm": "yes"})
    assert saved.status_code == 302
    assert SchoolRetention.objects.get(school=school_a).days == 365
    entry = AuditEntry.objects.get(object_label=f"{school_a.name}: retention")
    assert entry.changes == {"retention_days": [None, 365]}
    assert entry.org_id == school_a.pk
    assert "365 days" in http.get(url(school_a)).content.decode()


def test_months_count_thirty_days_and_the_school_goes_back_to_the_platforms_period(
    school_a: OrgUnit,
) -> None:
    http = signed_in(Role.SCHOOL_ADMIN, school_a)
    http.post(url(school_a), {"period": "own", "amount": "6", "unit": "months", "confirm": "yes"})
    assert SchoolRetention.objects.get(school=school_a).days == 180
    http.post(url(school_a), {"period": "forever", "unit": "days", "confirm": "yes"})
    assert SchoolRetention.objects.get(school=school_a).days == 0
    http.post(url(school_a), {"period": "platform", "unit": "days", "confirm": "yes"})
    assert not SchoolRetention.objects.filter(school=school_a).exists()


def test_an_own_period_without_a_length_is_refused_keeping_what_was_typed(
    school_a: OrgUnit,
) -> None:
    http = signed_in(Role.SCHOOL_ADMIN, school_a)
    answer = http.post(url(school_a), {"period": "own", "amount": "", "unit": "months"})
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "Enter how long this school keeps its records." in page
    assert '<option value="months" selected>' in page
    too_long = http.post(url(school_a), {"period": "own", "amount": "1300", "unit": "months"})
    assert too_long.status_code == 422
    assert "Enter a period of at most 100 years." in too_long.content.decode()
    assert not SchoolRetention.objects.exists()


def test_another_schools_admin_can_neither_see_nor_set_its_period(
    school_a: OrgUnit, school_b: OrgUnit
) -> None:
    school_retention_save(actor=None, school=school_a, days=400)
    http = signed_in(Role.SCHOOL_ADMIN, school_b)
    assert http.get(url(school_a)).status_code == 404
    posted = http.post(url(school_a), {"period": "platform", "unit": "days", "confirm": "yes"})
    assert posted.status_code == 404
    assert SchoolRetention.objects.get(school=school_a).days == 400
    # Their list leads only to their own school.
    listed = http.get("/lrs/retention/")
    assert listed.status_code == 302
    assert listed["Location"] == url(school_b)


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.COUNSELLOR])
def test_other_roles_are_refused(school_a: OrgUnit, role: str) -> None:
    http = signed_in(role, school_a)
    assert http.get("/lrs/retention/").status_code == 403
    assert http.get(url(school_a)).status_code == 404
    assert http.post("/lrs/retention/partitions/").status_code == 403


def test_anonymous_is_sent_to_sign_in(school_a: OrgUnit) -> None:
    answer = HttpClient().get(url(school_a))
    assert answer.status_code == 302
    assert "login" in answer["Location"]


def test_the_platform_admin_sets_every_schools_period(school_a: OrgUnit, school_b: OrgUnit) -> None:
    http = signed_in(Role.PLATFORM_ADMIN, nation())
    school_retention_save(actor=None, school=school_b, days=90)
    listed = http.get("/lrs/retention/")
    assert listed.status_code == 200
    assert listed.context["schools"] == [(school_a, None), (school_b, 90)]
    assert (listed.context["partitions"] != []) == partitions.is_partitioned()
    http.post(url(school_b), {"period": "own", "amount": "30", "unit": "days", "confirm": "yes"})
    assert SchoolRetention.objects.get(school=school_b).days == 30


def test_the_platform_admin_makes_the_coming_months_tables(school_a: OrgUnit) -> None:
    http = signed_in(Role.PLATFORM_ADMIN, nation())
    answer = http.post("/lrs/retention/partitions/")
    assert answer.status_code == 302
    entry = AuditEntry.objects.get(object_label="lrs statement partitions")
    assert isinstance(entry.changes["made"], list)
    if partitions.is_partitioned():
        assert all(exists for _month, exists in partitions.months_ahead())
    # A school administrator may not.
    school_admin = signed_in(Role.SCHOOL_ADMIN, school_a)
    assert school_admin.post("/lrs/retention/partitions/").status_code == 403
    assert AuditEntry.objects.filter(object_label="lrs statement partitions").count() == 1


@override_settings(LRS_RETENTION_DAYS=365)
def test_a_run_is_recorded_with_what_it_removed_of_each_school(
    school_a: OrgUnit, school_b: OrgUnit
) -> None:
    _store(school_a, 3, days_ago=400)
    _store(school_b, 1, days_ago=400)
    _store(school_b, 1)
    assert expire_statements() == 4
    run = RetentionRun.objects.get()
    assert run.deleted == 4
    assert dict(RetentionRemoval.objects.values_list("school_id", "deleted")) == {
        school_a.pk: 3,
        school_b.pk: 1,
    }
    page = signed_in(Role.SCHOOL_ADMIN, school_b).get(url(school_b))
    assert page.context["info"].last_removed == 1
    assert "removed 1 record of this school" in page.content.decode()
