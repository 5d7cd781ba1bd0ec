"""The Statement resource over HTTP (Django's test client through the xAPI view)."""

import hashlib
import json
import uuid

import pytest

from openvet.core.models import OrgUnit
from openvet.lrs.models import Statement
from openvet.lrs.services import client_create
from openvet.lrs.tests.conftest import Lrs, basic, lrs_for, statement

pytestmark = pytest.mark.django_db


def test_post_stores_the_statement_and_get_returns_it_as_stored(lrs: Lrs) -> None:
    answer = lrs.request("POST", "/statements", statement())
    assert answer.status_code == 200, answer.content
    [statement_id] = answer.json()
    found = lrs.request("GET", f"/statements?statementId={statement_id}").json()
    assert found["id"] == statement_id
    assert found["actor"]["mbox"] == "mailto:learner@example.com"
    assert found["version"] == "2.0.0"
    assert found["authority"]["objectType"] == "Agent"
    assert found["timestamp"] == found["stored"]


def test_put_needs_the_id_and_the_same_statement_again_is_accepted_once(lrs: Lrs) -> None:
    statement_id = str(uuid.uuid4())
    assert lrs.request("PUT", "/statements", statement()).status_code == 400
    first = lrs.request("PUT", f"/statements?statementId={statement_id}", statement())
    again = lrs.request("PUT", f"/statements?statementId={statement_id}", statement())
    assert (first.status_code, again.status_code) == (204, 204)
    assert Statement.objects.filter(statement_id=statement_id).count() == 1


def test_the_same_id_with_other_content_is_a_conflict_and_changes_nothing(lrs: Lrs) -> None:
    statement_id = str(uuid.uuid4())
    lrs.request("PUT", f"/statements?statementId={statement_id}", statement())
    other = statement(verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    answer = lrs.request("PUT", f"/statements?statementId={statement_id}", other)
    assert answer.status_code == 409
    stored = Statement.objects.get(statement_id=statement_id)
    assert stored.verb_id == "http://adlnet.gov/expapi/verbs/attended"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"actor": {"mbox": "learner@example.com"}}, "statement.actor.mbox"),
        (
            {"actor": {"mbox": "mailto:a@b.c", "openid": "http://a.example/"}},
            "statement.actor",
        ),
        ({"verb": {"id": "attended"}}, "statement.verb.id"),
        ({"verb": {"id": "http://a.example/v", "display": {"en_US": "x"}}}, "display.en_US"),
        ({"object": {"id": "http://a.example/1", "objectType": "activity"}}, "objectType"),
        ({"result": {"score": {"scaled": 1.5}}}, "statement.result.score.scaled"),
        ({"result": {"duration": "1 hour"}}, "statement.result.duration"),
        ({"result": {"success": None}}, "statement.result.success"),
        ({"context": {"registration": "not-a-uuid"}}, "statement.context.registration"),
        ({"timestamp": "2024-13-01T00:00:00Z"}, "statement.timestamp"),
        ({"version": "3.0.0"}, "statement.version"),
        ({"Actor": {"mbox": "mailto:a@b.c"}}, "statement.Actor"),
    ],
)
def test_a_bad_statement_is_refused_with_400_naming_the_field(
    lrs: Lrs, change: dict[str, object], field: str
) -> None:
    answer = lrs.request("POST", "/statements", statement(**change))
    assert answer.status_code == 400
    assert field in answer.json()["error"]
    assert Statement.objects.count() == 0


def test_a_batch_is_stored_whole_or_not_at_all(lrs: Lrs) -> None:
    batch = [statement(), statement(verb={"id": "not an iri"})]
    assert lrs.request("POST", "/statements", batch).status_code == 400
    assert Statement.objects.count() == 0
    assert lrs.request("POST", "/statements", [statement(), statement()]).status_code == 200
    assert Statement.objects.count() == 2


def test_voided_statements_are_found_only_by_voided_statement_id(lrs: Lrs) -> None:
    [target] = lrs.request("POST", "/statements", statement()).json()
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target},
    )
    [voiding_id] = lrs.request("POST", "/statements", voiding).json()
    assert lrs.request("GET", f"/statements?statementId={target}").status_code == 404
    assert lrs.request("GET", f"/statements?voidedStatementId={target}").status_code == 200
    listed = lrs.request("GET", "/statements").json()["statements"]
    assert [s["id"] for s in listed] == [voiding_id]
    void_the_voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": voiding_id},
    )
    assert lrs.request("POST", "/statements", void_the_voiding).status_code == 400


def test_filters_and_more_pages(lrs: Lrs) -> None:
    other = {"objectType": "Agent", "mbox": "mailto:other@example.com"}
    for index in range(3):
        lrs.request(
            "POST", "/statements", statement(context={"registration": str(uuid.UUID(int=index))})
        )
    lrs.request("POST", "/statements", statement(actor=other))
    agent = json.dumps(other)
    found = lrs.request("GET", f"/statements?agent={agent}").json()["statements"]
    assert [s["actor"]["mbox"] for s in found] == ["mailto:other@example.com"]
    first = lrs.request("GET", "/statements?limit=2&ascending=true").json()
    assert len(first["statements"]) == 2
    assert first["more"].startswith("/xapi/statements?more=")
    second = lrs.request("GET", first["more"][len("/xapi") :]).json()
    assert len(second["statements"]) == 2
    assert second["more"] == ""
    ids = [s["id"] for s in first["statements"] + second["statements"]]
    assert len(set(ids)) == 4


def test_agent_pages_merge_actor_object_and_referring_statements_without_gaps(
    lrs: Lrs,
) -> None:
    """An agent filter reads the agent as actor, the agent as object and the statements
    referring to either as separate index ranges; the pages merge them in stored order."""
    teacher = {"objectType": "Agent", "mbox": "mailto:teacher@example.com"}
    posted = []
    for index in range(7):
        if index % 3 == 0:
            body = statement(actor=teacher)
        elif index % 3 == 1:
            body = statement(object=teacher)
        else:
            body = statement(object={"objectType": "StatementRef", "id": posted[-1]})
        posted += lrs.request("POST", "/statements", body).json()
    lrs.request("POST", "/statements", statement())  # neither the teacher nor about them
    path = f"/statements?agent={json.dumps(teacher)}&limit=2"
    seen: list[str] = []
    while path:
        page = lrs.request("GET", path).json()
        assert len(page["statements"]) <= 2
        seen += [s["id"] for s in page["statements"]]
        path = page["more"][len("/xapi") :]
    assert seen == list(reversed(posted))


def test_unknown_or_miscased_parameters_are_refused(lrs: Lrs) -> None:
    assert lrs.request("GET", "/statements?Limit=2").status_code == 400
    assert lrs.request("GET", "/statements?foo=bar").status_code == 400
    answer = lrs.request("GET", f"/statements?statementId={uuid.uuid4()}&limit=1")
    assert answer.status_code == 400
    assert "x-experience-api-consistent-through" in answer.headers


def test_attachments_travel_as_multipart_and_come_back(lrs: Lrs) -> None:
    content = b"certificate"
    sha2 = hashlib.sha256(content).hexdigest()
    attached = statement(
        attachments=[
            {
                "usageType": "http://example.com/usage/certificate",
                "display": {"en-US": "certificate"},
                "contentType": "text/plain",
                "length": len(content),
                "sha2": sha2,
            }
        ]
    )
    boundary = "b0undary"
    body = (
        (
            f"--{boundary}\r\nContent-Type: application/json\r\n\r\n{json.dumps(attached)}\r\n"
            f"--{boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {sha2}\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--".encode()
    )
    multipart = f'multipart/mixed; boundary="{boundary}"'
    answer = lrs.request("POST", "/statements", body, **{"content-type": multipart})
    assert answer.status_code == 200, answer.content
    [statement_id] = answer.json()
    back = lrs.request("GET", f"/statements?statementId={statement_id}&attachments=true")
    assert back["content-type"].startswith("multipart/mixed")
    assert content in back.content
    as_json = lrs.request("POST", "/statements", attached)
    assert as_json.status_code == 400  # no fileUrl and no content part


def test_broken_multipart_and_wrong_content_types_are_refused(lrs: Lrs) -> None:
    multipart = 'multipart/mixed; boundary="x"'
    broken = lrs.request("POST", "/statements", b"--x\r\nno end", **{"content-type": multipart})
    assert broken.status_code == 400
    plain = lrs.request(
        "POST", "/statements", json.dumps(statement()), **{"content-type": "text/plain"}
    )
    assert plain.status_code == 400
    assert Statement.objects.count() == 0


def test_version_header_is_required_and_must_be_known(lrs: Lrs) -> None:
    lrs.version = ""
    assert lrs.request("GET", "/statements").status_code == 400
    lrs.version = "0.95"
    assert lrs.request("GET", "/statements").status_code == 400
    lrs.version = "1.0.3"
    answer = lrs.request("GET", "/statements")
    assert answer.status_code == 200
    assert answer["X-Experience-API-Version"] == "1.0.3"
    about = lrs.http.get("/xapi/about")
    assert about.status_code == 200
    assert "2.0.0" in about.json()["version"]


def test_a_request_naming_no_version_is_refused_under_the_clients_content_version(
    lrs: Lrs, school_a: OrgUnit
) -> None:
    """Each specification wants its own version named on this refusal (ADR 0418)."""
    lrs.version = ""
    refused = lrs.request("POST", "/statements", statement())
    assert refused.status_code == 400
    assert refused["X-Experience-API-Version"] == "2.0.0"
    made = client_create(
        actor=None,
        name="1.0.3 content",
        school=school_a,
        can_read=True,
        can_write=True,
        xapi_version="1.0.3",
    )
    older = Lrs(lrs.http, basic(made.key, made.secret), version="")
    for method in ("GET", "POST", "PUT"):
        answer = older.request(method, "/statements", statement() if method != "GET" else None)
        assert answer.status_code == 400, method
        assert answer["X-Experience-API-Version"] == "1.0.3", method
    assert Statement.objects.count() == 0
    # Naming a version still wins over the client's.
    older.version = "2.0.0"
    assert older.request("GET", "/statements")["X-Experience-API-Version"] == "2.0.0"


def test_context_agents_are_2_0_only(lrs: Lrs) -> None:
    agents = {
        "contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:t@example.com"}}]
    }
    assert lrs.request("POST", "/statements", statement(context=agents)).status_code == 200
    lrs.version = "1.0.3"
    assert lrs.request("POST", "/statements", statement(context=agents)).status_code == 400


def test_alternate_request_syntax_is_1_0_3_only(lrs: Lrs) -> None:
    from urllib.parse import urlencode

    form = urlencode(
        {
            "Authorization": lrs.authorization,
            "X-Experience-API-Version": "1.0.3",
            "content": json.dumps(statement()),
            "Content-Type": "application/json",
        }
    )
    lrs.version = ""
    answer = lrs.http.generic(
        "POST",
        "/xapi/statements?method=POST",
        form,
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200, answer.content
    two = form.replace("1.0.3", "2.0.0")
    refused = lrs.http.generic(
        "POST",
        "/xapi/statements?method=POST",
        two,
        content_type="application/x-www-form-urlencoded",
    )
    assert refused.status_code == 400
    assert Statement.objects.count() == 1


def test_credentials_are_required(lrs: Lrs) -> None:
    lrs.authorization = "Basic " + "bm9ib2R5Om5vdGhpbmc="
    assert lrs.request("GET", "/statements").status_code == 401
    lrs.authorization = ""
    assert lrs.request("POST", "/statements", statement()).status_code == 401


def test_a_read_only_client_cannot_write(school_a) -> None:  # type: ignore[no-untyped-def]
    reader = lrs_for(school_a, write=False)
    assert reader.request("POST", "/statements", statement()).status_code == 403
    assert reader.request("GET", "/statements").status_code == 200
    writer = lrs_for(school_a, read=False)
    assert writer.request("GET", "/statements").status_code == 403
    assert Statement.objects.count() == 0


def test_another_schools_client_reads_nothing_of_this_school(lrs: Lrs, school_b) -> None:  # type: ignore[no-untyped-def]
    [statement_id] = lrs.request("POST", "/statements", statement()).json()
    other = lrs_for(school_b)
    assert other.request("GET", "/statements").json()["statements"] == []
    assert other.request("GET", f"/statements?statementId={statement_id}").status_code == 404
