"""Harvesting over OAI-PMH: a provincial library pulls a school library incrementally over
real HTTP (our own provider on a live server), and copes with what other providers send."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from openvet.core.errors import NotFound, PermissionDenied, ValidationFailed
from openvet.resources import oai, selectors
from openvet.resources.harvesting import client as oai_client
from openvet.resources.models import HarvestedRecord, HarvestSource, Resource
from openvet.resources.services import harvest
from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import make_resource
from openvet.resources.tests.oai_feed import error, identify, oai_feed, record, records


@pytest.fixture
def school_library(world: World, settings: Any, monkeypatch: Any) -> list[Resource]:
    """School A offers its school library over OAI-PMH, one record a page."""
    settings.RESOURCES_OAI_LEVELS = ["school"]
    monkeypatch.setattr(oai, "PAGE", 1)
    return [
        make_resource(world.teacher_a, publish=True, title=f"焊接工艺{n}", keywords="焊接")
        for n in range(3)
    ]


def _source(world: World, base_url: str, **extra: str) -> HarvestSource:
    return harvest.source_create(actor=world.region, name="A 校资源库", base_url=base_url, **extra)


def _harvested(source: HarvestSource) -> list[Resource]:
    return list(Resource.objects.filter(harvested__source=source).order_by("title"))


@pytest.mark.django_db(transaction=True)
def test_a_province_harvests_a_school_library_incrementally(
    world: World, school_library: list[Resource], live_server: Any
) -> None:
    source = _source(world, f"{live_server.url}/oai/")
    counts = harvest.source_harvest(source.pk)
    assert counts is not None
    assert (counts.added, counts.updated, counts.deleted) == (3, 0, 0)
    copies = _harvested(source)
    assert [r.title for r in copies] == ["焊接工艺0", "焊接工艺1", "焊接工艺2"]
    assert {(r.level, r.status, r.org_id, r.major_code) for r in copies} == {
        ("provincial", "published", world.province.pk, "510201")
    }
    link = HarvestedRecord.objects.get(resource=copies[0]).link
    assert link == f"{live_server.url}/resources/{school_library[0].pk}/"
    # Readers of the province find the copies by search; another province's do not see them.
    found = selectors.resource_search(actor=world.teacher_b, query="焊接工艺", filters={})
    assert {r.pk for r in found.resources} >= {r.pk for r in copies}
    with pytest.raises(NotFound):
        selectors.resource_get_for(actor=world.teacher_c, resource_id=copies[0].pk)

    # The next run asks only from the newest datestamp: nothing new, nothing written twice.
    source.refresh_from_db()
    assert source.last_datestamp is not None
    again = harvest.source_harvest(source.pk, force=True)
    assert again is not None
    assert (again.added, again.updated) == (0, 0)
    assert HarvestedRecord.objects.filter(source=source).count() == 3

    # A change at the school reaches the province on the next run.
    later = timezone.now() + timedelta(seconds=2)
    revised = Resource.objects.filter(pk=school_library[1].pk)
    revised.update(title="焊接工艺（修订）", updated_at=later)
    changed = harvest.source_harvest(source.pk, force=True)
    assert changed is not None
    assert (changed.added, changed.updated) == (0, 1)
    assert "焊接工艺（修订）" in [r.title for r in _harvested(source)]
    source.refresh_from_db()
    assert (source.failures, source.last_error, source.last_updated) == (0, "", 1)


def test_deleted_records_flow_control_and_day_granularity(world: World) -> None:
    waits: list[float] = []
    state = {"run": 1, "busy": 1}

    def answer(params: dict[str, str]) -> Any:
        if params["verb"] == "Identify":
            return identify("YYYY-MM-DD")
        if state["run"] == 1:
            if "resumptionToken" not in params:
                too_long = record("oai:" + "x" * 400, "2026-12-01", "标识过长")  # skipped
                return records(record("oai:x:001", "2026-12-01", "焊接安全"), too_long, token="p2")
            if state["busy"]:
                state["busy"] -= 1
                return 503, {"Retry-After": "7"}, "busy"
            return records(record("oai:x:002", "2026-12-02", "焊缝检验"), token="")
        return records(record("oai:x:001", "2026-12-05", deleted=True))

    with oai_feed(answer) as feed:
        source = _source(world, feed.base_url, set_spec="major:510201")
        first = harvest.source_harvest(source.pk, sleep=waits.append)
        assert first is not None
        assert first.added == 2
        assert waits == [7.0]
        state["run"] = 2
        second = harvest.source_harvest(source.pk, force=True, sleep=waits.append)
    assert second is not None
    assert second.deleted == 1
    # The second run asked from the newest datestamp, to the day, within the set.
    assert feed.requests[-1] == {
        "verb": "ListRecords",
        "metadataPrefix": "oai_dc",
        "set": "major:510201",
        "from": "2026-12-02",
    }
    withdrawn = Resource.objects.get(harvested__identifier="oai:x:001")
    assert (withdrawn.status, withdrawn.level) == ("draft", "")
    kept = Resource.objects.get(harvested__identifier="oai:x:002")
    assert kept.licence == "platform-free"
    assert kept.harvested.rights == "All rights reserved"
    assert [c.name for c in kept.contributors.all()] == ["李工"]
    assert kept.keywords == "焊接"
    found = selectors.resource_search(actor=world.teacher_b, query="焊接", filters={})
    assert {r.pk for r in found.resources} == {kept.pk}


def test_a_bad_token_fails_the_run_and_the_next_starts_again_with_backoff(world: World) -> None:
    def answer(params: dict[str, str]) -> Any:
        if params["verb"] == "Identify":
            return identify()
        if "resumptionToken" in params:
            return error("badResumptionToken")
        return records(record("oai:x:001", "2026-12-01T08:00:00Z", "焊接安全"), token="stale")

    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    with oai_feed(answer) as feed:
        source = _source(world, feed.base_url)
        counts = harvest.source_harvest(source.pk, now=now)
        source.refresh_from_db()
        assert counts is not None
        assert counts.added == 1  # the first page is kept; the next run matches it again
        assert source.failures == 1
        assert source.last_error.startswith("badResumptionToken")
        assert source.last_datestamp is None
        assert source.next_attempt_at == now + timedelta(minutes=5)
        assert harvest.source_harvest(source.pk, now=now + timedelta(minutes=1)) is None
        harvest.source_harvest(source.pk, now=now + timedelta(minutes=6))
    source.refresh_from_db()
    assert source.failures == 2
    assert source.next_attempt_at == now + timedelta(minutes=16)
    assert HarvestedRecord.objects.filter(source=source).count() == 1


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, "<html>not here</html>", "not OAI-PMH XML"),
        (
            200,
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
            "not OAI-PMH XML",
        ),
        (404, "gone", "HTTP 404"),
        (500, "down", "after 4 attempts"),
    ],
)
def test_what_is_not_an_oai_answer_is_recorded_not_raised(
    world: World, status: int, body: str, expected: str
) -> None:
    with oai_feed(lambda params: (status, {}, body)) as feed:
        source = _source(world, feed.base_url)
        harvest.source_harvest(source.pk, sleep=lambda seconds: None)
    source.refresh_from_db()
    assert expected in source.last_error
    assert source.failures == 1
    assert not HarvestedRecord.objects.exists()


def test_no_records_match_is_a_complete_run(world: World) -> None:
    def answer(params: dict[str, str]) -> Any:
        return identify() if params["verb"] == "Identify" else error("noRecordsMatch")

    with oai_feed(answer) as feed:
        source = _source(world, feed.base_url)
        counts = harvest.source_harvest(source.pk)
    source.refresh_from_db()
    assert counts is not None
    assert counts.added == 0
    assert (source.failures, source.last_error) == (0, "")
    assert source.last_success_at is not None


def test_sources_are_registered_by_regional_administrators_only(world: World) -> None:
    with pytest.raises(PermissionDenied):
        harvest.source_create(actor=world.admin_a, name="x", base_url="https://a.example/oai/")
    _source(world, "https://a.example/oai/")
    with pytest.raises(ValidationFailed):
        _source(world, "https://a.example/oai/")
    with pytest.raises(ValidationFailed):
        _source(world, "ftp://a.example/oai/")
    assert oai_client.parse_datestamp("2026-12-01").day == 1


def test_the_command_harvests_the_due_sources(world: World) -> None:
    def answer(params: dict[str, str]) -> Any:
        if params["verb"] == "Identify":
            return identify()
        return records(record("oai:x:001", "2026-12-01T08:00:00Z", "焊接安全"))

    with oai_feed(answer) as feed:
        _source(world, feed.base_url)
        out = StringIO()
        call_command("resources", "harvest", stdout=out)
    assert out.getvalue().splitlines() == [
        "A 校资源库: added=1 updated=0 deleted=0",
        "harvested: 1",
    ]


def test_the_sources_page(world: World, settings: Any) -> None:
    settings.LANGUAGE_CODE = "zh-hans"
    settings.REQUIRE_ADMIN_TOTP = False  # administrators sign in without 2FA here
    region = Client()
    region.force_login(world.region)
    page = region.get("/resources/harvest/")
    assert page.status_code == 200
    assert "采集" in page.content.decode()
    refused = region.post("/resources/harvest/", {"name": "B 校", "base_url": "not a url"})
    assert refused.status_code == 422
    assert "B 校" in refused.content.decode()  # what was typed is kept
    added = region.post(
        "/resources/harvest/", {"name": "B 校", "base_url": "https://b.example/oai/"}
    )
    assert added.status_code == 302
    source = HarvestSource.objects.get(name="B 校")
    # Another province's administrator cannot see or run it; a teacher has no such page.
    from openvet.core.roles import Role
    from openvet.identity.tests.factories import user_with_role

    other = Client()
    other.force_login(user_with_role(Role.REGIONAL_ADMIN, world.school_c.parent))
    assert other.post(f"/resources/harvest/{source.pk}/run").status_code == 404
    assert "B 校" not in other.get("/resources/harvest/").content.decode()
    teacher = Client()
    teacher.force_login(world.teacher_a)
    assert teacher.get("/resources/harvest/").status_code == 403
    source.refresh_from_db()
    assert source.last_run_at is None
