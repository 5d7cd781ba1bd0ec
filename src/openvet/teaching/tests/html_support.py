"""Reading rendered pages in tests: the elements that carry an id, with their attributes and
text (the standard library's parser, so tests need no extra package)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"input", "br", "img", "hr", "meta", "link", "col", "source", "wbr", "area", "base"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    classes: list[str] = field(default_factory=list)


class _ById(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, Element] = {}
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        element = Element(tag, values, classes=values.get("class", "").split())
        if "id" in values:
            self.found[values["id"]] = element
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data


def by_id(html: bytes | str) -> dict[str, Element]:
    """Every element of ``html`` that has an id; ``text`` is its text, whitespace collapsed."""
    parser = _ById()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    for element in parser.found.values():
        element.text = " ".join(element.text.split())
    return parser.found
