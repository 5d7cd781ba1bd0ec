"""A change of major reads in the user's words: the application names the new major and
class, the history names the old and new ones, the audit log the kind of change."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from openvet.core.audit_words import audit_change_lines
from openvet.core.models import AuditEntry
from openvet.records.codes import ChangeType
from openvet.records.models import StudentHistory
from openvet.records.presenters import change_detail_lines, history_lines
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import intake_plan
from openvet.records.tests.test_changes import apply, approve_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def _change_major(people: People) -> Any:
    campus = people.campus
    intake_plan(campus.other_major, capacity=2)
    change = apply(
        people,
        ChangeType.CHANGE_MAJOR,
        target_major_id=campus.other_major.pk,
        target_class_id=campus.other_klass.pk,
    )
    return approve_all(people, change)


def test_application_details_name_the_new_major_and_class(people: People) -> None:
    change = _change_major(people)

    with override("en"):
        lines = [(line.label, line.value) for line in change_detail_lines(change)]

    assert lines == [("New major", "Networking"), ("New class", "Networking 1")]


def test_history_names_the_old_and_new_major_and_class(people: People) -> None:
    _change_major(people)
    entry = StudentHistory.objects.get(
        student=people.student, kind=StudentHistory.Kind.STATUS_CHANGE
    )

    with override("en"):
        lines = {(line.label, line.old, line.new) for line in history_lines(entry)}

    assert lines == {
        ("Major", "Software", "Networking"),
        ("Class", "Software 1", "Networking 1"),
    }


def test_pages_in_chinese_show_names_not_ids(people: People) -> None:
    change = _change_major(people)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(people.admin)

    detail = client.get(reverse("records:change-detail", args=[change.pk])).content.decode()
    record = client.get(reverse("records:student-detail", args=[people.student.pk]))

    assert "target_major_id" not in detail
    assert '转入专业</dt><dd class="col-7 col-md-9">Networking</dd>' in detail
    assert "Software → Networking" in record.content.decode()


def test_audit_log_names_the_kind_of_change(people: People) -> None:
    _change_major(people)
    entry = AuditEntry.objects.filter(object_type="records.student").latest("id")

    with override("en"):
        lines = {(line.label, line.old, line.new) for line in audit_change_lines(entry)}

    assert ("Status change", None, "Change of major") in lines
    assert ("Major", "Software", "Networking") in lines
