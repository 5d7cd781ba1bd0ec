"""State, Activity Profile and Agent Profile documents: ETags, merges, scoping."""

import json
from urllib.parse import quote

import pytest

from openvet.lrs.models import Document
from openvet.lrs.tests.conftest import Lrs, lrs_for

pytestmark = pytest.mark.django_db

AGENT = quote(json.dumps({"mbox": "mailto:learner@example.com"}))
STATE = f"/activities/state?activityId=http://example.com/a&agent={AGENT}&stateId=bookmark"
PROFILE = "/activities/profile?activityId=http://example.com/a&profileId=settings"


def test_get_returns_the_document_with_a_quoted_etag(lrs: Lrs) -> None:
    assert lrs.request("PUT", STATE, {"page": 3}).status_code == 204
    answer = lrs.request("GET", STATE)
    assert answer.json() == {"page": 3}
    assert answer["ETag"].startswith('"')
    assert answer["ETag"].endswith('"')
    assert "Last-Modified" in answer


def test_put_over_an_existing_document_needs_a_precondition(lrs: Lrs) -> None:
    lrs.request("PUT", PROFILE, {"level": 1})
    assert lrs.request("PUT", PROFILE, {"level": 2}).status_code == 409
    etag = lrs.request("GET", PROFILE)["ETag"]
    stale = lrs.request("PUT", PROFILE, {"level": 3}, **{"if-match": '"0000"'})
    assert stale.status_code == 412
    assert lrs.request("GET", PROFILE).json() == {"level": 1}
    fresh = lrs.request("PUT", PROFILE, {"level": 4}, **{"if-match": etag})
    assert fresh.status_code == 204
    assert lrs.request("GET", PROFILE).json() == {"level": 4}
    exists = lrs.request("PUT", PROFILE, {"level": 5}, **{"if-none-match": "*"})
    assert exists.status_code == 412


def test_state_put_overwrites_in_1_0_3_but_needs_a_precondition_in_2_0(lrs: Lrs) -> None:
    lrs.request("PUT", STATE, {"page": 1})
    assert lrs.request("PUT", STATE, {"page": 2}).status_code == 409
    lrs.version = "1.0.3"
    assert lrs.request("PUT", STATE, {"page": 2}).status_code == 204


def test_post_merges_json_objects_and_refuses_other_documents(lrs: Lrs) -> None:
    lrs.request("POST", STATE, {"page": 1, "font": "large"})
    lrs.request("POST", STATE, {"page": 2})
    assert lrs.request("GET", STATE).json() == {"page": 2, "font": "large"}
    refused = lrs.request("POST", STATE, b"plain", **{"content-type": "text/plain"})
    assert refused.status_code == 400
    assert lrs.request("GET", STATE).json() == {"page": 2, "font": "large"}


def test_missing_or_malformed_parameters_are_refused(lrs: Lrs) -> None:
    assert (
        lrs.request("GET", "/activities/state?activityId=http://example.com/a").status_code == 400
    )
    bad_agent = "/activities/state?activityId=http://example.com/a&agent=x&stateId=s"
    assert lrs.request("PUT", bad_agent, {"a": 1}).status_code == 400
    no_profile = "/agents/profile?agent=" + AGENT
    assert lrs.request("PUT", no_profile, {"a": 1}).status_code == 400
    assert Document.objects.count() == 0


def test_list_and_delete(lrs: Lrs) -> None:
    lrs.request("PUT", STATE, {"page": 1})
    listing = f"/activities/state?activityId=http://example.com/a&agent={AGENT}"
    assert lrs.request("GET", listing).json() == ["bookmark"]
    assert lrs.request("DELETE", listing).status_code == 204
    assert lrs.request("GET", STATE).status_code == 404


def test_documents_of_another_school_are_invisible(lrs: Lrs, school_b) -> None:  # type: ignore[no-untyped-def]
    lrs.request("PUT", STATE, {"page": 1})
    other = lrs_for(school_b)
    assert other.request("GET", STATE).status_code == 404
    other.request("DELETE", STATE)
    assert lrs.request("GET", STATE).status_code == 200


def test_agents_and_activities_resources(lrs: Lrs) -> None:
    person = lrs.request("GET", f"/agents?agent={AGENT}").json()
    assert person == {"objectType": "Person", "mbox": ["mailto:learner@example.com"]}
    assert lrs.request("GET", "/agents").status_code == 400
    activity = lrs.request("GET", "/activities?activityId=http://example.com/a").json()
    assert activity == {"objectType": "Activity", "id": "http://example.com/a"}
    assert lrs.request("GET", "/activities").status_code == 400
