"""Approval cards say what is asked, by whom, why, when, and link to the thing itself."""

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openvet.core.roles import Role
from openvet.identity.tests.factories import grant
from openvet.workflow import services
from openvet.workflow.contracts import (
    InstanceInfo,
    ProcessKind,
    SubjectDescription,
    SubjectFact,
)
from openvet.workflow.describe import request_cards
from openvet.workflow.models import ProcessInstance
from openvet.workflow.registry import _kinds, register_process
from openvet.workflow.tests.conftest import CODE, STEPS, Outcomes, Tree

pytestmark = pytest.mark.django_db
DESCRIBED = "tests.described"


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def as_user(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


class Describer:
    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def __call__(self, infos: Sequence[InstanceInfo]) -> dict[int, SubjectDescription]:
        self.calls.append([info.id for info in infos])
        return {
            info.id: SubjectDescription(
                what="Day off",
                reason="Family wedding",
                facts=(SubjectFact(label="Days", value=str(info.payload["days"])),),
                url=f"/things/{info.subject_id}/",
            )
            for info in infos
            if info.subject_id != "99"  # left out: shown with the default
        }


@pytest.fixture
def describer() -> Iterator[Describer]:
    recorder = Describer()
    register_process(
        ProcessKind(
            code=DESCRIBED,
            label="Described leave",
            default_steps=STEPS,
            describe=recorder,
            detail_url=lambda info: f"/default/{info.subject_id}/",
        )
    )
    yield recorder
    _kinds.pop(DESCRIBED, None)


def start(tree: Tree, *, code: str, subject_id: int, title: str) -> ProcessInstance:
    return services.instance_start(
        actor=tree.applicant,
        code=code,
        subject_type="tests.thing",
        subject_id=subject_id,
        title=title,
        org=tree.klass,
        payload={"days": 3},
    )


def test_a_kind_without_describe_shows_its_label_and_links_to_the_trail(
    tree: Tree, outcomes: Outcomes
) -> None:
    instance = start(tree, code=CODE, subject_id=1, title="Plain request")
    card = request_cards([instance])[instance.pk]
    assert card.what == "Leave"
    assert card.applicant == "Applicant"
    assert card.reason == ""
    assert card.facts == ()
    assert card.url == reverse("workflow:instance-detail", args=[instance.pk])
    assert card.has_own_page is False


def test_describe_is_called_once_per_kind_for_a_page_of_cards(
    tree: Tree, outcomes: Outcomes, describer: Describer
) -> None:
    first = start(tree, code=DESCRIBED, subject_id=1, title="First")
    second = start(tree, code=DESCRIBED, subject_id=2, title="Second")
    left_out = start(tree, code=DESCRIBED, subject_id=99, title="Left out")
    plain = start(tree, code=CODE, subject_id=3, title="Plain")
    cards = request_cards([first, second, left_out, plain])
    assert describer.calls == [[first.pk, second.pk, left_out.pk]]
    assert cards[first.pk].what == "Day off"
    assert cards[first.pk].reason == "Family wedding"
    assert cards[first.pk].facts == (SubjectFact(label="Days", value="3"),)
    assert cards[first.pk].url == "/things/1/"
    # Missing from the answer: the kind's label and detail_url.
    assert cards[left_out.pk].what == "Described leave"
    assert cards[left_out.pk].url == "/default/99/"
    assert cards[plain.pk].what == "Leave"


def test_my_approvals_card_shows_what_who_why_and_the_link(
    tree: Tree, outcomes: Outcomes, describer: Describer
) -> None:
    start(tree, code=DESCRIBED, subject_id=7, title="Applicant, 3 days")
    page = as_user(tree.counsellor).get(reverse("workflow:task-list")).content.decode()
    assert "Day off" in page
    assert "Requested by Applicant" in page
    assert "Family wedding" in page
    assert '<a href="/things/7/">Applicant, 3 days</a>' in page


def test_my_approvals_shows_the_reason_in_chinese(
    tree: Tree, outcomes: Outcomes, describer: Describer
) -> None:
    start(tree, code=DESCRIBED, subject_id=7, title="Applicant, 3 days")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(tree.counsellor)
    page = client.get(reverse("workflow:task-list")).content.decode()
    assert "申请人：Applicant" in page
    assert "Family wedding" in page


def test_my_requests_lists_only_my_own_with_their_state(
    tree: Tree, other_tree: Tree, outcomes: Outcomes, describer: Describer
) -> None:
    mine = start(tree, code=DESCRIBED, subject_id=7, title="My day off")
    start(other_tree, code=DESCRIBED, subject_id=8, title="Someone else's")
    services.instance_withdraw(actor=tree.applicant, instance=mine)
    response = as_user(tree.applicant).get(reverse("workflow:request-list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "My day off" in page
    assert "Withdrawn" in page
    assert "Someone else&#x27;s" not in page
    assert "Someone else's" not in page


def test_my_requests_is_empty_for_someone_who_asked_nothing(tree: Tree) -> None:
    page = as_user(tree.counsellor).get(reverse("workflow:request-list")).content.decode()
    assert "You have not submitted any request yet." in page


def test_my_requests_needs_sign_in(tree: Tree) -> None:
    response = Client().get(reverse("workflow:request-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:login"))


def test_instance_detail_shows_the_facts(
    tree: Tree, outcomes: Outcomes, describer: Describer
) -> None:
    instance = start(tree, code=DESCRIBED, subject_id=7, title="My day off")
    page = (
        as_user(tree.applicant)
        .get(reverse("workflow:instance-detail", args=[instance.pk]))
        .content.decode()
    )
    assert "Family wedding" in page
    assert "<dt" in page
    assert ">Days</dt>" in page


def _todo(user: Any) -> dict[str, Any]:
    client = as_user(user)
    response = client.get(reverse("core:home"))
    panels = {panel.key: context for panel, context in response.context["panels"]}
    return panels["workflow.todo"]


def test_the_counsellors_home_shows_the_to_do_count_and_cards(
    tree: Tree, outcomes: Outcomes, describer: Describer
) -> None:
    first = start(tree, code=DESCRIBED, subject_id=1, title="First")
    second = start(tree, code=DESCRIBED, subject_id=2, title="Second")
    todo = _todo(tree.counsellor)
    assert {str(s["label"]): s["value"] for s in todo["stats"]} == {
        "Awaiting my decision": 2,
        "My requests in progress": 0,
        "Unread notices": 2,
    }
    assert [card.instance_id for card in todo["cards"]] == [first.pk, second.pk]
    assert todo["link"]["url_name"] == "workflow:task-list"


def test_a_students_home_shows_their_requests_in_progress(
    tree: Tree, outcomes: Outcomes, describer: Describer
) -> None:
    grant(tree.applicant, Role.STUDENT, tree.klass)
    start(tree, code=DESCRIBED, subject_id=1, title="Mine")
    todo = _todo(tree.applicant)
    assert {str(s["label"]): s["value"] for s in todo["stats"]} == {
        "My requests in progress": 1,
        "Unread notices": 0,
    }
    assert todo["cards"] == []
    assert todo["link"]["url_name"] == "workflow:request-list"


KINDS = tuple(f"tests.kind{n}" for n in range(5))


class QueryingDescriber:
    """Describes its kind with one query, as the apps' kinds do."""

    def __call__(self, infos: Sequence[InstanceInfo]) -> dict[int, SubjectDescription]:
        found = ProcessInstance.objects.filter(pk__in=[info.id for info in infos])
        return {
            pk: SubjectDescription(what="Described") for pk in found.values_list("pk", flat=True)
        }


@pytest.fixture
def kinds() -> Iterator[tuple[str, ...]]:
    for code in KINDS:
        register_process(
            ProcessKind(code=code, label=code, default_steps=STEPS, describe=QueryingDescriber())
        )
    yield KINDS
    for code in KINDS:
        _kinds.pop(code, None)


def _home_queries(user: Any) -> tuple[int, dict[str, Any]]:
    client = as_user(user)
    client.get(reverse("core:home"))  # the first request may fill per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("core:home"))
    panels = {panel.key: context for panel, context in response.context["panels"]}
    return len(captured), panels["workflow.todo"]


def _stats(todo: dict[str, Any]) -> dict[str, int]:
    return {str(stat["label"]): stat["value"] for stat in todo["stats"]}


def test_the_to_do_panel_costs_the_same_queries_for_many_requests_of_many_kinds(
    tree: Tree, outcomes: Outcomes, kinds: tuple[str, ...]
) -> None:
    shown = [start(tree, code=code, subject_id=n, title=code) for n, code in enumerate(kinds[:3])]
    few, todo = _home_queries(tree.counsellor)
    assert [card.instance_id for card in todo["cards"]] == [i.pk for i in shown]
    assert _stats(todo)["Awaiting my decision"] == 3

    for n in range(3):
        for code in (*kinds, CODE):
            start(tree, code=code, subject_id=100 + n, title=code)
    many, todo = _home_queries(tree.counsellor)

    assert [card.instance_id for card in todo["cards"]] == [i.pk for i in shown]
    assert _stats(todo) == {
        "Awaiting my decision": 21,
        "My requests in progress": 0,
        "Unread notices": 21,
    }
    assert many == few


def test_the_to_do_panel_never_counts_another_schools_requests(
    tree: Tree, other_tree: Tree, outcomes: Outcomes, kinds: tuple[str, ...]
) -> None:
    mine = start(tree, code=kinds[0], subject_id=1, title="Ours")
    for n, code in enumerate(kinds):
        start(other_tree, code=code, subject_id=n, title="Theirs")

    _, todo = _home_queries(tree.counsellor)

    assert [card.instance_id for card in todo["cards"]] == [mine.pk]
    assert _stats(todo) == {
        "Awaiting my decision": 1,
        "My requests in progress": 0,
        "Unread notices": 1,
    }
    _, theirs = _home_queries(other_tree.counsellor)
    assert _stats(theirs)["Awaiting my decision"] == len(kinds)
