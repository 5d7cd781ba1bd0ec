"""A small OAI-PMH 2.0 client: one request at a time, answers parsed without entity expansion.

Protocol: https://www.openarchives.org/OAI/openarchivesprotocol.html. A provider may answer
``503 Retry-After`` to slow a harvester down (§3.2.1.2 flow control): we wait as asked (at
most ``MAX_WAIT``) and try again, ``ATTEMPTS`` times in all, as for a dropped connection.
Other failures end the run; the periodic job retries the source later with backoff.
"""

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
TIMEOUT_SECONDS = 60
MAX_BYTES = 50 * 1024 * 1024
ATTEMPTS = 4
FIRST_WAIT = 2.0
MAX_WAIT = 120.0
USER_AGENT = "OpenVET-harvester/1.0"
# Waiting is a parameter so that tests run at full speed.
Sleep = Callable[[float], None]


class HarvestFailed(Exception):
    """The run cannot go on; ``message`` is one line for the sources page."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True)
class Record:
    identifier: str
    datestamp: datetime
    deleted: bool
    dc: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    records: list[Record]
    token: str


def parse_datestamp(value: str) -> datetime:
    for pattern in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise HarvestFailed(f"Not an OAI-PMH datestamp: {value[:40]}")


def _retry_after(error: urllib.error.HTTPError, attempt: int) -> float:
    given = error.headers.get("Retry-After", "") if error.headers else ""
    wait = float(given) if given.strip().isdigit() else FIRST_WAIT * 2**attempt
    return min(wait, MAX_WAIT)


def _fetch(url: str, sleep: Sleep) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    last = ""
    for attempt in range(ATTEMPTS):
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
                body: bytes = answer.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code} {exc.reason}"
            if exc.code not in (429, 500, 502, 503, 504):
                raise HarvestFailed(last) from exc
            wait = _retry_after(exc, attempt)
        except (urllib.error.URLError, OSError) as exc:
            last = str(getattr(exc, "reason", exc)) or type(exc).__name__
            wait = FIRST_WAIT * 2**attempt
        else:
            if len(body) > MAX_BYTES:
                raise HarvestFailed("The answer is larger than a harvester accepts (50 MB).")
            return body
        if attempt + 1 < ATTEMPTS:
            sleep(wait)
    raise HarvestFailed(f"{last} (after {ATTEMPTS} attempts)")


def _parse(body: bytes) -> Any:
    try:
        root = fromstring(body, forbid_dtd=True)
    except (DefusedXmlException, SyntaxError) as exc:
        raise HarvestFailed("The answer is not OAI-PMH XML.") from exc
    if root.tag != f"{OAI}OAI-PMH":
        raise HarvestFailed("The answer is not OAI-PMH XML.")
    error = root.find(f"{OAI}error")
    if error is not None:
        code = error.get("code", "")
        raise HarvestFailed(f"{code}: {(error.text or '').strip()}"[:500], code=code)
    return root


def _record(node: Any) -> Record:
    header = node.find(f"{OAI}header") if node.tag == f"{OAI}record" else node
    if header is None:
        raise HarvestFailed("A record without a header.")
    values: dict[str, list[str]] = {}
    metadata = node.find(f"{OAI}metadata")
    if metadata is not None:
        for element in metadata.iter():
            if element.tag.startswith(DC) and (element.text or "").strip():
                values.setdefault(element.tag[len(DC) :], []).append(element.text.strip())
    return Record(
        identifier=(header.findtext(f"{OAI}identifier") or "").strip(),
        datestamp=parse_datestamp(header.findtext(f"{OAI}datestamp") or ""),
        deleted=header.get("status") == "deleted",
        dc=values,
    )


class OaiClient:
    def __init__(self, base_url: str, *, sleep: Sleep = time.sleep) -> None:
        self.base_url = base_url.split("?", 1)[0]
        self.sleep = sleep

    def request(self, **params: str) -> Any:
        url = f"{self.base_url}?{urllib.parse.urlencode(params)}"
        return _parse(_fetch(url, self.sleep))

    def day_granularity(self) -> bool:
        """Whether the provider's datestamps are days only (Identify's ``granularity``)."""
        root = self.request(verb="Identify")
        granularity = str(root.findtext(f"{OAI}Identify/{OAI}granularity", ""))
        return granularity.strip() == "YYYY-MM-DD"

    def list_records(self, **arguments: str) -> Iterator[Page]:
        """The pages of ``ListRecords`` in ``oai_dc``, following the resumption tokens; no
        page at all when the provider has no record that matches (``noRecordsMatch``)."""
        params: dict[str, str] = {"metadataPrefix": "oai_dc", **arguments}
        while True:
            try:
                root = self.request(verb="ListRecords", **params)
            except HarvestFailed as exc:
                if exc.code == "noRecordsMatch":
                    return
                raise
            body = root.find(f"{OAI}ListRecords")
            if body is None:
                raise HarvestFailed("The answer to ListRecords holds no records.")
            records = [_record(node) for node in body.findall(f"{OAI}record")]
            token = (body.findtext(f"{OAI}resumptionToken") or "").strip()
            yield Page(records, token)
            if not token:
                return
            params = {"resumptionToken": token}
