"""Reading IMS QTI 2.1, 2.2 and 3.0 items into questions of the bank (ADR 0753, 0765), pure.

Supported interactions, one per item: ``choiceInteraction`` (one right choice: single choice;
several: multiple choice; a true/false item is a two-option single choice), ``textEntryInteraction``
(fill in the blank: the correct response and every mapped key are accepted),
``matchInteraction`` (matching: each source choice paired with one target) and
``extendedTextInteraction`` (short answer, graded by hand). Anything else is reported as
unsupported, by the item's title and file. XML is parsed with defusedxml (no entities, no DTDs).

Specification: IMS Question and Test Interoperability (QTI) v2.1 Final, Assessment, Section
and Item Information Model; Content Packaging v1.1 for ``imsmanifest.xml`` (resource type
``imsqti_item_xmlv2p1``). QTI 3.0 (1EdTech, 2022) keeps the 2.x information model and spells
its XML binding in kebab case with a ``qti-`` prefix (``qti-choice-interaction
response-identifier="RESPONSE"`` for ``choiceInteraction responseIdentifier="RESPONSE"``), in
the namespace ``imsqtiasi_v3p0``, packaged as resources of type ``imsqti_item_xmlv3p0``: a 3.0
item is read by renaming its elements and their attributes to the 2.x names first.
"""

import posixpath
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

ITEM_TYPES = frozenset({"imsqti_item_xmlv2p1", "imsqti_item_xmlv2p2", "imsqti_item_xmlv3p0"})
QTI3_PREFIX = "qti-"
INTERACTIONS = frozenset(
    {
        "choiceInteraction",
        "textEntryInteraction",
        "matchInteraction",
        "extendedTextInteraction",
        "orderInteraction",
        "associateInteraction",
        "gapMatchInteraction",
        "inlineChoiceInteraction",
        "hottextInteraction",
        "hotspotInteraction",
        "selectPointInteraction",
        "graphicOrderInteraction",
        "graphicAssociateInteraction",
        "graphicGapMatchInteraction",
        "positionObjectInteraction",
        "sliderInteraction",
        "drawingInteraction",
        "uploadInteraction",
        "customInteraction",
        "mediaInteraction",
        "endAttemptInteraction",
    }
)


class QtiError(ValueError):
    """An item that cannot be imported; ``reason`` is a short code the caller words."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass
class QtiQuestion:
    identifier: str
    title: str
    kind: str
    text: str
    choices: list[str] = field(default_factory=list)
    answer: list[Any] = field(default_factory=list)
    points: int = 1


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [e for e in element if _local(e.tag) == name]


def _all(element: Element, name: str) -> list[Element]:
    return [e for e in element.iter() if _local(e.tag) == name]


def _text(element: Element, skip: frozenset[str] = frozenset()) -> str:
    """The readable text of ``element``, without the subtrees named in ``skip``."""
    parts: list[str] = []

    def walk(node: Element) -> None:
        if _local(node.tag) in skip:
            if _local(node.tag) == "textEntryInteraction":
                parts.append("____")
            if node.tail:
                parts.append(node.tail)
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if _local(child.tag) in ("p", "div", "br", "li"):
                parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    if element.text:
        parts.append(element.text)
    for child in element:
        walk(child)
    lines = [" ".join(line.split()) for line in "".join(parts).splitlines()]
    return "\n".join(line for line in lines if line)


TRUE_WORDS = frozenset({"true", "对", "正确", "是", "√", "yes"})
FALSE_WORDS = frozenset({"false", "错", "错误", "否", "×", "no"})


def _truth(label: str) -> bool | None:
    word = label.strip().casefold()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def _camel(kebab: str) -> str:
    head, *rest = kebab.split("-")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def _from_qti3(root: Element) -> None:
    """Rename QTI 3.0 elements (``qti-simple-choice``) and their attributes (``map-key``) to
    the QTI 2.x names in place; the XHTML of an item body has no prefix and is left alone."""
    for element in root.iter():
        name = _local(element.tag)
        if not name.startswith(QTI3_PREFIX):
            continue
        element.tag = _camel(name.removeprefix(QTI3_PREFIX))
        for key in [k for k in element.attrib if "-" in k and "}" not in k]:
            element.attrib[_camel(key)] = element.attrib.pop(key)


def parse_xml(data: bytes) -> Element:
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise QtiError("bad_xml") from exc
    _from_qti3(root)
    return root  # type: ignore[no-any-return]


def manifest_items(data: bytes) -> list[str]:
    """The item files an ``imsmanifest.xml`` lists (resources of a QTI item type), in order."""
    root = parse_xml(data)
    if _local(root.tag) != "manifest":
        raise QtiError("bad_manifest")
    found = []
    for resource in _all(root, "resource"):
        kind = resource.get("type", "")
        href = resource.get("href", "")
        if kind in ITEM_TYPES and href:
            found.append(posixpath.normpath(href))
    return found


def _positive(value: str) -> bool:
    try:
        return float(value or 0) > 0
    except ValueError as exc:
        raise QtiError("no_correct") from exc


def _correct(root: Element, identifier: str) -> tuple[list[str], list[str]]:
    """(the correct values, the mapped keys) of a response declaration."""
    for declaration in _all(root, "responseDeclaration"):
        if declaration.get("identifier") == identifier:
            values = [
                (v.text or "").strip()
                for c in _children(declaration, "correctResponse")
                for v in _children(c, "value")
            ]
            keys = [
                e.get("mapKey", "").strip()
                for m in _children(declaration, "mapping")
                for e in _children(m, "mapEntry")
                if _positive(e.get("mappedValue", "0"))
            ]
            return [v for v in values if v], [k for k in keys if k]
    return [], []


def parse_item(data: bytes) -> QtiQuestion:
    """One ``assessmentItem`` as a question; raises ``QtiError`` when it cannot be imported."""
    root = parse_xml(data)
    if _local(root.tag) != "assessmentItem":
        raise QtiError("not_an_item")
    identifier = root.get("identifier", "")
    title = root.get("title", "") or identifier
    bodies = _children(root, "itemBody")
    if not bodies:
        raise QtiError("no_body")
    body = bodies[0]
    interactions = [e for e in body.iter() if _local(e.tag) in INTERACTIONS]
    if len(interactions) != 1:
        raise QtiError("interactions", str(len(interactions)))
    interaction = interactions[0]
    name = _local(interaction.tag)
    stem = _text(body, skip=INTERACTIONS | {"prompt"})
    prompts = _children(interaction, "prompt")
    text = "\n".join(t for t in [stem, _text(prompts[0]) if prompts else ""] if t)
    if not text:
        raise QtiError("no_text")
    response_id = interaction.get("responseIdentifier", "")
    correct, mapped = _correct(root, response_id)
    if name == "choiceInteraction":
        choices = _children(interaction, "simpleChoice")
        ids = [c.get("identifier", "") for c in choices]
        labels = [_text(c) for c in choices]
        if len(choices) < 2 or not all(labels):
            raise QtiError("choices")
        if not correct or any(value not in ids for value in correct):
            raise QtiError("no_correct")
        indexes = sorted({ids.index(value) for value in correct})
        truth = [_truth(label) for label in labels]
        if len(labels) == 2 and len(indexes) == 1 and None not in truth:
            return QtiQuestion(identifier, title, "true_false", text, [], [truth[indexes[0]]])
        single = interaction.get("maxChoices", "1") == "1" and len(indexes) == 1
        kind = "single" if single else "multiple"
        return QtiQuestion(identifier, title, kind, text, labels, indexes)
    if name == "textEntryInteraction":
        accepted = list(dict.fromkeys(correct + mapped))
        if not accepted:
            raise QtiError("no_correct")
        return QtiQuestion(identifier, title, "fill", text, [], accepted)
    if name == "matchInteraction":
        sets = _children(interaction, "simpleMatchSet")
        if len(sets) != 2:
            raise QtiError("choices")
        sources = {
            c.get("identifier", ""): _text(c) for c in _children(sets[0], "simpleAssociableChoice")
        }
        targets = {
            c.get("identifier", ""): _text(c) for c in _children(sets[1], "simpleAssociableChoice")
        }
        pairs: dict[str, str] = {}
        for value in correct:
            parts = value.split()
            if len(parts) != 2 or parts[0] not in sources or parts[1] not in targets:
                raise QtiError("no_correct")
            pairs[parts[0]] = targets[parts[1]]
        lefts = [sid for sid in sources if sid in pairs]
        if len(lefts) < 2:
            raise QtiError("no_correct")
        return QtiQuestion(
            identifier,
            title,
            "matching",
            text,
            [sources[s] for s in lefts],
            [pairs[s] for s in lefts],
        )
    if name == "extendedTextInteraction":
        return QtiQuestion(identifier, title, "short", text, [], correct[:1])
    raise QtiError("unsupported", name)
