"""The demo's term of learning records: stored in bulk, once, and found by the queries and the
early-warning rules like any other statement."""

import json
from urllib.parse import quote

import pytest
from django.utils import timezone

from openvet.core.models import OrgUnit
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.lrs.models import AcademicWarning, Statement, WarningKind
from openvet.lrs.services import demo_statements_seed, warnings_evaluate
from openvet.lrs.tests.conftest import lrs_for
from openvet.lrs.vocabulary import platform_iri
from openvet.lrs.xapi import validate

pytestmark = pytest.mark.django_db


def test_a_term_of_records_is_stored_once_and_read_through_xapi(school_a: OrgUnit) -> None:
    students = [user_with_role(Role.STUDENT, school_a) for _n in range(30)]
    stored = demo_statements_seed(school=school_a)
    assert stored == Statement.objects.filter(school=school_a).count()
    assert 30 * 18 * 2 <= stored <= 30 * (18 * 4 + 2)
    assert demo_statements_seed(school=school_a) == 0
    assert Statement.objects.count() == stored

    now = timezone.now()
    oldest = Statement.objects.order_by("stored").first()
    assert oldest is not None
    assert 17 * 7 <= (now - oldest.stored).days <= 18 * 7
    lrs = lrs_for(school_a)
    agent = json.dumps({"account": {"homePage": platform_iri(), "name": str(students[0].pk)}})
    answer = lrs.request("GET", f"/statements?agent={quote(agent)}&limit=5")
    assert answer.status_code == 200
    assert len(answer.json()["statements"]) == 5


def test_the_rules_find_the_quiet_and_the_low_scoring_students(school_a: OrgUnit) -> None:
    for _n in range(60):
        user_with_role(Role.STUDENT, school_a)
    demo_statements_seed(school=school_a)
    warnings_evaluate()
    kinds = set(AcademicWarning.objects.values_list("kind", flat=True))
    assert WarningKind.LOW_GRADE in kinds
    assert WarningKind.FALLING in kinds or WarningKind.INACTIVE in kinds
    assert AcademicWarning.objects.count() < 60


def test_every_seeded_statement_is_a_valid_statement_of_its_learner(school_a: OrgUnit) -> None:
    students = {user_with_role(Role.STUDENT, school_a).pk for _n in range(5)}
    demo_statements_seed(school=school_a)
    for row in Statement.objects.filter(school=school_a):
        body = {k: v for k, v in row.body.items() if k not in ("stored", "authority")}
        validate.statement(body, "2.0")
        assert int(body["actor"]["account"]["name"]) in students
        assert row.actor_key.endswith(f"|{body['actor']['account']['name']}")
        assert row.object_key == body["object"]["id"]
