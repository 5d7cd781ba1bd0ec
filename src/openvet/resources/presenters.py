"""What the pages show of codes: majors by name, facets in the reader's words."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from openvet.core.models import CodeItem
from openvet.resources.models import LibraryLevel, Licence, ResourceType
from openvet.resources.services.resources import MAJOR_TABLE


def major_name(code: str) -> str:
    row = CodeItem.objects.filter(table=MAJOR_TABLE, code=code).first()
    return row.name if row is not None else code


@dataclass(frozen=True)
class FacetValue:
    label: str
    count: int
    url: str
    active: bool


@dataclass(frozen=True)
class FacetGroup:
    key: str
    label: str
    values: list[FacetValue]


def _labels(name: str, codes: list[str]) -> dict[str, str]:
    if name == "resource_type":
        return {c: str(ResourceType(c).label) for c in codes}
    if name == "level":
        return {c: str(LibraryLevel(c).label) for c in codes}
    if name == "licence":
        return {c: str(Licence(c).label) for c in codes}
    if name == "certified":
        return {"yes": _("Certified only")}
    rows = CodeItem.objects.filter(table=MAJOR_TABLE, code__in=codes)
    return {row.code: row.name for row in rows}


def facet_groups(
    counts: dict[str, list[tuple[str, int]]], filters: dict[str, str], query: str
) -> list[FacetGroup]:
    titles = {
        "resource_type": _("Type"),
        "major_code": _("Major"),
        "level": _("Library"),
        "licence": _("Licence"),
        "certified": _("Certification"),
    }
    groups = []
    for name, title in titles.items():
        values = counts.get(name, [])
        labels = _labels(name, [code for code, _count in values])
        items = []
        for code, count in values:
            active = filters.get(name) == code
            chosen = {k: v for k, v in filters.items() if v and k != name}
            if not active:
                chosen[name] = code
            params = {"q": query, **chosen} if query else chosen
            items.append(FacetValue(labels.get(code, code), count, "?" + urlencode(params), active))
        if items:
            groups.append(FacetGroup(name, title, items))
    return groups
