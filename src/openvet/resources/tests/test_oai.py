"""The OAI-PMH 2.0 provider: every verb, paging by resumption token, and its errors."""

from typing import Any
from xml.etree.ElementTree import Element, fromstring

import pytest
from django.test import Client

from openvet.resources import oai
from openvet.resources.models import Resource
from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import make_resource

NS = {"o": oai.OAI, "dc": oai.DC, "oai_dc": oai.OAI_DC}


def _get(**params: str) -> Element:
    response = Client().get("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    return fromstring(response.content)  # noqa: S314 - the response of our own server


def _error(root: Element) -> str | None:
    error = root.find("o:error", NS)
    return error.get("code") if error is not None else None


@pytest.fixture
def published(world: World) -> list[Resource]:
    made = [
        make_resource(world.teacher_a, publish=True, title=f"资源{n}", keywords="数控")
        for n in range(3)
    ]
    Resource.objects.filter(pk__in=[r.pk for r in made[:2]]).update(level="provincial")
    return made


def test_identify_and_formats_and_sets(published: list[Resource]) -> None:
    identify = _get(verb="Identify")
    assert identify.findtext("o:Identify/o:protocolVersion", namespaces=NS) == "2.0"
    formats = _get(verb="ListMetadataFormats")
    assert formats.findtext(".//o:metadataPrefix", namespaces=NS) == "oai_dc"
    sets = [s.text for s in _get(verb="ListSets").iterfind(".//o:setSpec", NS)]
    assert "level:provincial" in sets
    assert "major:510201" in sets


def test_list_records_pages_with_a_token_and_refuses_a_tampered_one(
    published: list[Resource], monkeypatch: Any
) -> None:
    monkeypatch.setattr(oai, "PAGE", 1)
    first = _get(verb="ListRecords", metadataPrefix="oai_dc")
    titles = [first.findtext(".//dc:title", namespaces=NS)]
    token = first.find(".//o:resumptionToken", NS)
    assert token is not None
    assert token.get("completeListSize") == "2"  # the school-level one is not offered
    second = _get(verb="ListRecords", resumptionToken=str(token.text))
    titles.append(second.findtext(".//dc:title", namespaces=NS))
    assert sorted(titles) == ["资源0", "资源1"]
    assert _error(_get(verb="ListRecords", resumptionToken=str(token.text) + "x")) == (
        "badResumptionToken"
    )


def test_get_record_by_identifier_and_the_errors(published: list[Resource]) -> None:
    listed = _get(verb="ListIdentifiers", metadataPrefix="oai_dc", set="level:provincial")
    identifier = str(listed.findtext(".//o:identifier", namespaces=NS))
    record = _get(verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert record.findtext(".//dc:subject", namespaces=NS) == "510201"
    assert _error(_get(verb="Nonsense")) == "badVerb"
    assert _error(_get(verb="ListRecords")) == "badArgument"
    assert _error(_get(verb="ListRecords", metadataPrefix="mods")) == "cannotDisseminateFormat"
    lom = _get(verb="GetRecord", identifier=identifier, metadataPrefix="lom")
    lom_ns = {"lom": oai.LOM}
    assert lom.findtext(".//lom:general/lom:title/lom:string", namespaces=lom_ns) in {
        "资源0",
        "资源1",
    }
    assert lom.findtext(".//lom:educational/lom:difficulty/lom:value", namespaces=lom_ns) == (
        "medium"
    )
    hidden = f"oai:testserver:resource/{published[2].pk}"
    assert _error(_get(verb="GetRecord", identifier=hidden, metadataPrefix="oai_dc")) == (
        "idDoesNotExist"
    )
    assert (
        _error(_get(verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2999-01-01"}))
        == "noRecordsMatch"
    )
    assert (
        _error(_get(verb="ListRecords", metadataPrefix="oai_dc", until="yesterday"))
        == "badArgument"
    )
