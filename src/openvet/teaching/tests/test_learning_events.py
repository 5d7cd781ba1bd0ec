"""Selections, drops, sign-ins and grades are recorded as xAPI statements in the LRS."""

import pytest

from openvet.lrs.models import Statement
from openvet.teaching.selection import services
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import offering_of, round_of, student_in

pytestmark = pytest.mark.django_db


def test_a_selection_and_a_drop_are_statements_of_the_students_school(campus: Campus) -> None:
    offering = offering_of(campus)
    round_of(campus)
    student = student_in(campus)
    selection = services.selection_create(actor=student.user, offering=offering)
    services.selection_drop(actor=student.user, selection=selection)
    rows = list(Statement.objects.order_by("pk"))
    assert [row.verb_id for row in rows] == [
        "http://adlnet.gov/expapi/verbs/registered",
        "https://openvet.invalid/xapi/verbs/dropped",
    ]
    first = rows[0]
    assert first.school_id == campus.school.pk
    assert first.body["actor"]["account"]["name"] == str(student.user.pk)
    assert first.body["object"]["id"].endswith(f"/teaching.offering/{offering.pk}")


def test_a_refused_selection_records_nothing(campus: Campus) -> None:
    offering = offering_of(campus, capacity=1)
    round_of(campus)
    services.selection_create(actor=student_in(campus).user, offering=offering)
    with pytest.raises(Exception):  # noqa: B017, PT011 - the refusal itself is tested elsewhere
        services.selection_create(actor=student_in(campus).user, offering=offering)
    assert Statement.objects.count() == 1
