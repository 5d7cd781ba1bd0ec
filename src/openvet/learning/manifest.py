"""Reading a content package's ``imsmanifest.xml`` (IMS Content Packaging 1.1.x as profiled by
SCORM 1.2 "Content Aggregation Model" §2.3 and SCORM 2004 3rd/4th Edition CAM §3.4), without
Django: the schema version, the default organisation's tree of items and, for each item with
a resource, the launch address and whether it is a SCO or a plain asset.

Only what a player needs is read; sequencing rules (IMS SS) are not evaluated: the learner
chooses items from the table of contents (ADR 0705).
"""

import posixpath
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError, fromstring

SCORM_12 = "scorm12"
SCORM_2004 = "scorm2004"


class ManifestError(ValueError):
    """The manifest cannot be used; ``reason`` is a stable code the caller turns into words."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Item:
    """One entry of the table of contents: a launchable resource (``href``) or a heading."""

    identifier: str
    title: str
    depth: int
    href: str = ""
    is_sco: bool = False
    mastery_score: float | None = None  # SCORM 1.2 adlcp:masteryscore (0-100)
    launch_data: str = ""  # adlcp:datafromlms / adlcp:dataFromLMS
    scaled_passing_score: float | None = None  # SCORM 2004 imsss:minNormalizedMeasure


@dataclass(frozen=True)
class Manifest:
    standard: str
    schema_version: str
    title: str
    items: list[Item] = field(default_factory=list)

    @property
    def launchable(self) -> list[Item]:
        return [item for item in self.items if item.href]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(element: Element, name: str) -> str:
    """An attribute by its local name, whatever its namespace (adlcp:scormtype, scormType)."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child_text(element: Element, name: str) -> str:
    for child in element:
        if _local(child.tag).lower() == name.lower():
            return (child.text or "").strip()
    return ""


def _standard(root: Element) -> tuple[str, str]:
    version = ""
    for metadata in _children(root, "metadata"):
        version = _child_text(metadata, "schemaversion")
    namespaces = " ".join([root.tag, *root.attrib.values()])
    if version.startswith(("2004", "CAM 1.3")) or "imscp_v1p1" in namespaces:
        return SCORM_2004, version or "2004"
    if version == "1.2" or "imscp_rootv1p1p2" in namespaces or "adlcp_rootv1p2" in namespaces:
        return SCORM_12, version or "1.2"
    raise ManifestError("unknown_version", version)


def _safe_href(base: str, href: str, parameters: str) -> str:
    """The launch address inside the package, or refused when it leaves the package."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        raise ManifestError("external_launch", href[:120])
    path = posixpath.normpath(posixpath.join(base, parts.path)) if parts.path else ""
    if not path or path.startswith(("../", "/")) or path == "..":
        raise ManifestError("outside_package", href[:120])
    query = parts.query
    extra = parameters.lstrip("?&")
    if extra and not extra.startswith("#"):
        query = f"{query}&{extra}" if query else extra
    return path + (f"?{query}" if query else "")


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _passing_score(item: Element) -> float | None:
    for sequencing in _children(item, "sequencing"):
        for objectives in _children(sequencing, "objectives"):
            for primary in _children(objectives, "primaryObjective"):
                if _attr(primary, "satisfiedByMeasure").lower() == "true":
                    return _float(_child_text(primary, "minNormalizedMeasure") or "1.0")
    return None


def _walk(
    parent: Element, resources: dict[str, Element], depth: int, standard: str, out: list[Item]
) -> None:
    for item in _children(parent, "item"):
        ref = _attr(item, "identifierref")
        if _attr(item, "isvisible").lower() == "false" and not ref:
            # A hidden wrapper (CAM: isvisible): its children are listed in its place.
            _walk(item, resources, depth, standard, out)
            continue
        title = _child_text(item, "title") or _attr(item, "identifier")
        href, is_sco = "", False
        if ref:
            resource = resources.get(ref)
            if resource is None:
                raise ManifestError("missing_resource", ref)
            base = _attr(resource, "base")
            raw_href = _attr(resource, "href")
            if not raw_href:
                raise ManifestError("missing_launch", ref)
            href = _safe_href(base, raw_href, _attr(item, "parameters"))
            is_sco = _attr(resource, "scormtype").lower() == "sco"
        mastery = _float(_child_text(item, "masteryscore")) if standard == SCORM_12 else None
        out.append(
            Item(
                identifier=_attr(item, "identifier")[:200],
                title=title[:200],
                depth=depth,
                href=href,
                is_sco=is_sco,
                mastery_score=mastery,
                launch_data=(_child_text(item, "datafromlms") or "")[:4096],
                scaled_passing_score=_passing_score(item) if standard == SCORM_2004 else None,
            )
        )
        _walk(item, resources, depth + 1, standard, out)


def parse(data: bytes) -> Manifest:
    """The manifest of a SCORM 1.2 or 2004 package, from the bytes of ``imsmanifest.xml``."""
    head = data[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data.upper():
        # A manifest needs no document type; entities are how XML bombs are built.
        raise ManifestError("doctype")
    try:
        root = fromstring(data)  # noqa: S314 - no DOCTYPE or entities (checked above)
    except ParseError as exc:
        raise ManifestError("not_xml", str(exc)[:120]) from exc
    if _local(root.tag) != "manifest":
        raise ManifestError("not_manifest")
    standard, version = _standard(root)
    resources: dict[str, Element] = {}
    for group in _children(root, "resources"):
        for resource in _children(group, "resource"):
            resources[_attr(resource, "identifier")] = resource
    organisations = [
        o for g in _children(root, "organizations") for o in _children(g, "organization")
    ]
    default = next(
        (_attr(g, "default") for g in _children(root, "organizations") if _attr(g, "default")), ""
    )
    chosen = next((o for o in organisations if _attr(o, "identifier") == default), None)
    chosen = chosen if chosen is not None else (organisations[0] if organisations else None)
    items: list[Item] = []
    title = ""
    if chosen is not None:
        title = _child_text(chosen, "title")
        _walk(chosen, resources, 0, standard, items)
    elif resources:
        # A package without organisations launches its first resource (CAM: "resource package").
        first = next(iter(resources.values()))
        href = _safe_href(_attr(first, "base"), _attr(first, "href"), "")
        items.append(Item(identifier=_attr(first, "identifier"), title="", depth=0, href=href))
    if not any(item.href for item in items):
        raise ManifestError("nothing_to_launch")
    return Manifest(standard=standard, schema_version=version[:40], title=title[:200], items=items)
