"""A status change reads in words on the approval cards and its own page: 转专业 with the old
and new major and class by name, never ``target_major_id``."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openvet.records.codes import ChangeType
from openvet.records.services.change_facts import describe_status_changes
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import intake_plan
from openvet.records.tests.test_changes import apply
from openvet.workflow.describe import instance_info

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def _change_major(people: People) -> Any:
    campus = people.campus
    intake_plan(campus.other_major, capacity=2)
    return apply(
        people,
        ChangeType.CHANGE_MAJOR,
        reason="01",
        target_major_id=campus.other_major.pk,
        target_class_id=campus.other_klass.pk,
    )


def test_a_change_of_major_is_described_by_names(people: People) -> None:
    change = _change_major(people)
    info = instance_info(change.process)
    with translation.override("en"):
        description = describe_status_changes([info])[info.id]
        assert str(description.what) == "Change of major"
        assert description.reason == "Excellent results"
        assert [(str(f.label), f.value) for f in description.facts] == [
            ("Student", f"{people.student.name} ({people.student.student_number})"),
            ("Major", "Software → Networking"),
            ("Class", "Software 1 → Networking 1"),
        ]
    assert description.url == reverse("records:change-detail", args=[change.pk])


def test_the_counsellors_card_says_what_who_why_in_chinese(people: People) -> None:
    _change_major(people)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    # The counsellor applied, so the card waits for the department head.
    client.force_login(people.head)
    page = client.get(reverse("workflow:task-list")).content.decode()
    assert "转专业" in page
    assert "成绩优秀" in page
    assert "Software → Networking" in page
    assert "Software 1 → Networking 1" in page
    assert "target_major_id" not in page


def test_the_change_page_shows_names_not_ids(people: People) -> None:
    change = _change_major(people)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people.counsellor)
    page = client.get(reverse("records:change-detail", args=[change.pk])).content.decode()
    assert 'New major</dt><dd class="col-7 col-md-9">Networking</dd>' in page
    assert "target_major_id" not in page
    assert "target_class_id" not in page
