"""From a harvested Dublin Core record to the fields of a resource (ADR 0512).

Simple Dublin Core (ISO 15836) as OAI-PMH requires it: ``subject`` carries the major code
of the 2021 catalogue when the source is an OpenVET library, and keywords otherwise;
``rights`` a licence code when it is one of ours; ``identifier`` the address of the resource
at its home library (the link back).
"""

import re
from dataclasses import dataclass
from typing import Any

from openvet.resources.harvesting.client import Record
from openvet.resources.models import Licence, ResourceType

MAJOR_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class Mapped:
    values: dict[str, Any]
    creators: list[str]
    link: str
    rights: str


def _first(record: Record, name: str) -> str:
    return next(iter(record.dc.get(name, [])), "")


def _link(record: Record) -> str:
    for value in record.dc.get("identifier", []):
        if value.startswith(("http://", "https://")) and len(value) <= 500:
            return value
    return ""


def _licence(rights: str) -> str:
    # Text we cannot read as one of our licences is kept as stated and shown with the link;
    # the resource is then "free within the platform" for reading its description only.
    return rights if rights in Licence.values else Licence.PLATFORM_FREE


def mapped(record: Record, *, majors: set[str]) -> Mapped:
    subjects = record.dc.get("subject", [])
    major = next((s for s in subjects if MAJOR_CODE.match(s) and s in majors), "")
    keywords = [s for s in subjects if s != major]
    kind = _first(record, "type")
    rights = _first(record, "rights")
    language = _first(record, "language")[:8] or "zh"
    values = {
        "title": (_first(record, "title") or record.identifier)[:200],
        "description": "\n\n".join(record.dc.get("description", [])),
        "resource_type": kind if kind in ResourceType.values else ResourceType.DOCUMENT,
        "major_code": major,
        "keywords": ",".join(keywords)[:300],
        "language": language,
        "licence": _licence(rights),
    }
    return Mapped(
        values=values,
        creators=[c[:100] for c in record.dc.get("creator", [])][:20],
        link=_link(record),
        rights=rights[:300],
    )
