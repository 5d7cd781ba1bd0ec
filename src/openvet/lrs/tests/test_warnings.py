"""Early warning (学业预警): the rules raise warnings from learning records, grades and
absences; the counsellor acknowledges and closes them with a note; the student sees their
own; nobody else sees them (ADR 0408)."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient
from django.utils import timezone

from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.factories import OrgUnitFactory
from openvet.identity.models import User
from openvet.identity.tests.factories import user_with_role
from openvet.lrs import early_warning
from openvet.lrs.models import AcademicWarning, WarningKind, WarningRule, WarningStatus
from openvet.lrs.services import record_learning_event, warnings_evaluate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def class_of(school: OrgUnit, name: str) -> OrgUnit:
    department = OrgUnitFactory(kind=OrgKind.DEPARTMENT, parent=school, name=f"{name} dept")
    major = OrgUnitFactory(kind=OrgKind.MAJOR, parent=department, name=f"{name} major")
    return OrgUnitFactory(kind=OrgKind.CLASS, parent=major, name=name)


@pytest.fixture
def klass(school_a: OrgUnit) -> OrgUnit:
    return class_of(school_a, "Welding 2025-1")


@pytest.fixture
def student(klass: OrgUnit) -> User:
    return user_with_role(Role.STUDENT, klass, full_name="Li Lei")


@pytest.fixture
def absences() -> Iterator[dict[int, int]]:
    """The absences the attendance app would report, filled by the test."""
    counts: dict[int, int] = {}
    kept = early_warning._facts.get(early_warning.ABSENCES)
    early_warning.register_facts(early_warning.ABSENCES, lambda school_id, since: counts)
    yield counts
    if kept is not None:
        early_warning.register_facts(early_warning.ABSENCES, kept)


def active(user: User, times: int = 1, verb: str = "attended") -> None:
    for n in range(times):
        record_learning_event(
            user_id=user.pk, verb=verb, object_type="teaching.attendancesession", object_id=n
        )


def kinds_of(user: User) -> set[str]:
    return set(AcademicWarning.objects.filter(learner=user).values_list("kind", flat=True))


def test_a_student_without_records_is_warned_and_an_active_one_is_not(
    student: User, klass: OrgUnit
) -> None:
    busy = user_with_role(Role.STUDENT, klass)
    active(busy)
    assert warnings_evaluate() == 1
    warning = AcademicWarning.objects.get()
    assert (warning.learner, warning.kind, warning.status) == (
        student,
        WarningKind.INACTIVE,
        WarningStatus.OPEN,
    )
    assert warning.details == {"count": 0, "days": 14, "threshold": 1}


def test_a_low_grade_is_warned_with_the_lowest_score(student: User) -> None:
    active(student)
    for total in (45, 72, 58):
        record_learning_event(
            user_id=student.pk,
            verb="scored",
            object_type="teaching.grade",
            object_id=total,
            result={"total": total},
        )
    warnings_evaluate()
    warning = AcademicWarning.objects.get(kind=WarningKind.LOW_GRADE)
    assert warning.details == {"count": 2, "lowest": 45.0, "threshold": 60, "days": 180}


def test_falling_activity_compares_two_windows(student: User, klass: OrgUnit) -> None:
    steady = user_with_role(Role.STUDENT, klass)
    with time_machine.travel(timezone.now() - timedelta(days=20), tick=False):
        active(student, 10)
        active(steady, 6)
    active(student, 2)
    active(steady, 6)
    warnings_evaluate()
    warning = AcademicWarning.objects.get(kind=WarningKind.FALLING)
    assert warning.learner == student
    assert warning.details == {"before": 10, "after": 2, "days": 14}
    assert kinds_of(steady) == set()


def test_missed_classes_come_from_the_attendance_facts(
    student: User, absences: dict[int, int]
) -> None:
    active(student)
    absences[student.pk] = 2
    warnings_evaluate()
    assert kinds_of(student) == set()
    absences[student.pk] = 3
    warnings_evaluate()
    assert AcademicWarning.objects.get(kind=WarningKind.ABSENCES).details == {
        "count": 3,
        "days": 30,
    }


def test_one_warning_per_rule_until_closed_and_none_again_within_its_days(
    student: User, klass: OrgUnit
) -> None:
    assert warnings_evaluate() == 1
    assert warnings_evaluate() == 0
    warning = AcademicWarning.objects.get()
    counsellor = user_with_role(Role.COUNSELLOR, klass)
    from openvet.lrs.services import warning_close

    warning_close(actor=counsellor, warning_id=warning.pk, note="Talked with him.")
    assert warnings_evaluate() == 0
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert warnings_evaluate() == 1
    assert AcademicWarning.objects.count() == 2


def test_a_school_sets_its_own_rules(student: User, school_a: OrgUnit) -> None:
    WarningRule.objects.create(
        school=school_a, kind=WarningKind.INACTIVE, threshold=3, days=7, is_active=False
    )
    assert warnings_evaluate() == 0
    WarningRule.objects.filter(school=school_a).update(is_active=True)
    active(student, 2)
    assert warnings_evaluate() == 1
    assert AcademicWarning.objects.get().details == {"count": 2, "days": 7, "threshold": 3}


# Pages -------------------------------------------------------------------------------------


def signed_in(user: User, language: str = "en") -> HttpClient:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(user)
    return http


@pytest.fixture
def warning(student: User) -> AcademicWarning:
    warnings_evaluate()
    return AcademicWarning.objects.get(learner=student)


def test_the_counsellor_sees_acknowledges_and_closes_a_warning_with_a_note(
    warning: AcademicWarning, klass: OrgUnit
) -> None:
    http = signed_in(user_with_role(Role.COUNSELLOR, klass), "zh-hans")
    listing = http.get("/lrs/warnings/").content.decode()
    assert "Li Lei" in listing
    assert "最近 14 天没有学习记录。" in listing
    url = f"/lrs/warnings/{warning.pk}/"
    assert http.post(url, {"action": "acknowledge"}).status_code == 302
    warning.refresh_from_db()
    assert warning.status == WarningStatus.ACKNOWLEDGED

    refused = http.post(url, {"action": "close", "note": "  "})
    assert refused.status_code == 422
    warning.refresh_from_db()
    assert (warning.status, warning.note) == (WarningStatus.ACKNOWLEDGED, "")

    done = http.post(url, {"action": "close", "note": "谈话后已恢复上课"})
    assert done.status_code == 302
    warning.refresh_from_db()
    assert (warning.status, warning.note) == (WarningStatus.CLOSED, "谈话后已恢复上课")
    assert "Li Lei" not in http.get("/lrs/warnings/").content.decode()
    assert "Li Lei" in http.get("/lrs/warnings/?show=closed").content.decode()


def test_the_student_sees_their_own_warning_but_cannot_close_it(
    warning: AcademicWarning, student: User
) -> None:
    http = signed_in(student)
    assert "No learning records in the last 14 days." in http.get("/lrs/warnings/").content.decode()
    page = http.get(f"/lrs/warnings/{warning.pk}/")
    assert page.status_code == 200
    assert "Close the warning" not in page.content.decode()
    url = f"/lrs/warnings/{warning.pk}/"
    assert http.post(url, {"action": "close", "note": "fine"}).status_code == 404
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN


def test_nobody_else_sees_or_changes_a_warning(
    warning: AcademicWarning, klass: OrgUnit, school_a: OrgUnit, school_b: OrgUnit
) -> None:
    url = f"/lrs/warnings/{warning.pk}/"
    strangers = [
        user_with_role(Role.STUDENT, klass),
        user_with_role(Role.COUNSELLOR, class_of(school_a, "Other")),
        user_with_role(Role.COUNSELLOR, class_of(school_b, "Theirs")),
        user_with_role(Role.SCHOOL_ADMIN, school_b),
    ]
    for stranger in strangers:
        http = signed_in(stranger)
        assert "Li Lei" not in http.get("/lrs/warnings/").content.decode()
        assert http.get(url).status_code == 404
        assert http.post(url, {"action": "close", "note": "x"}).status_code == 404
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN
    assert HttpClient().get("/lrs/warnings/").status_code == 302


def test_a_school_admin_sets_the_rules(school_a: OrgUnit, school_b: OrgUnit) -> None:
    http = signed_in(user_with_role(Role.SCHOOL_ADMIN, school_a))
    form = {}
    for kind, (threshold, days) in early_warning.DEFAULTS.items():
        form.update({f"{kind}_threshold": threshold, f"{kind}_days": days, f"{kind}_active": "on"})
    form["absences_threshold"] = 5
    del form["falling_active"]
    assert http.post("/lrs/warning-rules/", form).status_code == 302
    rules = {r.kind: (r.threshold, r.days, r.is_active) for r in WarningRule.objects.all()}
    assert rules["absences"] == (5, 30, True)
    assert rules["falling"] == (50, 14, False)
    assert all(r.school_id == school_a.pk for r in WarningRule.objects.all())

    refused = http.post("/lrs/warning-rules/", {**form, "inactive_days": "0"})
    assert refused.status_code == 422
    assert 'value="5"' in refused.content.decode()
    assert (
        signed_in(user_with_role(Role.COUNSELLOR, school_a)).get("/lrs/warning-rules/").status_code
        == 403
    )
