"""What a user reads on a page, and the words on it that are not in the user's language.

Used by the check that renders every page of every role in zh-hans: the visible text of a
page (without scripts and styles) plus the attributes a user sees or hears (title,
placeholder, aria-label, alt, the value of buttons, the label a stacked table shows), and the
rules that flag English words, raw field names (``target_major_id``) and internal renderings
(``∅``).
"""

import re
from collections.abc import Iterable
from html.parser import HTMLParser

from django.urls import URLPattern, URLResolver, get_resolver

_SEEN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-label")
_BUTTON_TYPES = ("submit", "button", "reset")
_HIDDEN_CONTAINERS = ("script", "style", "template")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_CONTAINERS:
            self._hidden += 1
            return
        values = dict(attrs)
        self.parts.extend(values[name] or "" for name in _SEEN_ATTRIBUTES if name in values)
        if tag == "input" and (values.get("type") or "") in _BUTTON_TYPES:
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_CONTAINERS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    """The pieces of text a user of the page reads or hears, in page order."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return [" ".join(part.split()) for part in parser.parts if part.strip()]


# Brand and standard names, units and formats a Chinese page shows as they are.
ALLOWED_WORDS = frozenset(
    {
        "OpenVET",
        "SHA",  # SHA-256, the file fingerprint of FIPS 180-4
        "API",
        "xAPI",
        "PDF",
        "Excel",
        "CSV",
        "XLSX",
        "xlsx",
        "xls",
        "ods",
        "OneRoster",
        "iCalendar",
        "ICS",
        "ics",
        "QR",
        "ID",
        "SCORM",
        "QTI",  # IMS QTI, the question-bank exchange format teachers export from other tools
        "OAI",  # OAI-PMH, the harvesting protocol of libraries
        "PMH",
        "IMS",  # IMS CC, the Common Cartridge course package (imscc)
        "CC",
        "imscc",
        "LRS",
        "LTI",
        "OIDC",
        "IP",
        "IPv",
        "URL",
        "TOTP",
        "GB",
        "JY",
        "CTT",
        "ctt",
        "ITC",
        "htmx",
        "IoT",
        "Wi",
        "Fi",
        "English",  # the language switcher names each language in its own words
        "JPEG",
        "PNG",
        "GIF",
        "WebP",
        "zip",
        "HTML",
        "HH",  # a time format users type: HH:MM
        "MM",
        "sol",  # the extension of an ITC-2007 solution file
        "cm",
        "kg",
        "km",
        "KB",
        "MB",
        "px",
        "am",
        "pm",
    }
)

_EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|/[\w./-]+")
_WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]{2,}(?![A-Za-z0-9_])")
_IDENTIFIER = re.compile(r"(?<![A-Za-z0-9])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9])")
_INTERNAL_MARKS = ("∅", "None", "True", "False", "[]", "{}")
# A TOTP secret shown for typing into an authenticator app: groups of base32 characters.
_SECRET = re.compile(r"^(?:[A-Z2-7]{4} ?){4,}$")


def offending_strings(pieces: Iterable[str], *, allowed: frozenset[str]) -> list[str]:
    """Each piece of text that holds an English word, a raw identifier or an internal mark,
    with the offending word first (``"target_major_id · target_major_id 15"``)."""
    found: list[str] = []
    for piece in pieces:
        if _SECRET.match(piece):
            continue
        text = _EMAIL_OR_URL.sub(" ", piece)
        bad = [m.group() for m in _IDENTIFIER.finditer(text) if m.group() not in allowed]
        bad += [w for w in _WORD.findall(_IDENTIFIER.sub(" ", text)) if w not in allowed]
        bad += [mark for mark in _INTERNAL_MARKS if mark in text]
        if bad:
            found.append(f"{bad[0]} · {piece[:120]}")
    return found


def named_routes() -> list[tuple[str, URLPattern]]:
    """Every named route of the site as ``(namespace:name, pattern)``."""
    routes: list[tuple[str, URLPattern]] = []

    def walk(patterns: Iterable[URLPattern | URLResolver], prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                walk(entry.url_patterns, space)
            elif entry.name:
                routes.append((f"{prefix}{entry.name}", entry))

    walk(get_resolver().url_patterns, "")
    return routes
