"""OAI-PMH 2.0 provider of the published resources, at ``/oai/``.

Protocol: https://www.openarchives.org/OAI/openarchivesprotocol.html (version 2.0). Metadata
formats: ``oai_dc`` and IEEE ``lom``. Records are the published resources of the levels in
``RESOURCES_OAI_LEVELS`` (default: provincial and national; a school instance that feeds its
province adds "school"); sets are ``level:<level>`` and ``major:<code>``. Resumption tokens
are signed, so a tampered token is refused with ``badResumptionToken``.
"""

from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from openvet.core.models import CodeItem
from openvet.resources.models import LibraryLevel, Resource, ResourceStatus
from openvet.resources.services.resources import MAJOR_TABLE

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
LOM = "http://ltsc.ieee.org/xsd/LOM"
FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC),
    "lom": ("http://ltsc.ieee.org/xsd/lomv1.0/lom.xsd", LOM),
}
# IEEE 1484.12.1 (LOM) 5.8 difficulty vocabulary, by our 1-5 scale.
LOM_DIFFICULTY = {1: "very easy", 2: "easy", 3: "medium", 4: "difficult", 5: "very difficult"}
PAGE = 100
SIGNING_SALT = "resources.oai"
GRANULARITY = "%Y-%m-%dT%H:%M:%SZ"
ARGUMENTS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _levels() -> list[str]:
    return list(getattr(settings, "RESOURCES_OAI_LEVELS", ["provincial", "national"]))


def _records() -> QuerySet[Resource]:
    return Resource.objects.filter(status=ResourceStatus.PUBLISHED, level__in=_levels())


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(GRANULARITY)


def _parse_date(value: str, *, end: bool) -> datetime:
    for pattern in (GRANULARITY, "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
        if pattern == "%Y-%m-%d" and end:
            parsed = parsed.replace(hour=23, minute=59, second=59)
        return parsed
    raise OaiError("badArgument", f"Not a date of the repository's granularity: {value}")


def _identifier(request: HttpRequest, resource: Resource) -> str:
    return f"oai:{request.get_host().split(':')[0]}:resource/{resource.pk}"


def _resource_of(identifier: str) -> Resource:
    tail = identifier.rsplit(":resource/", 1)
    found = _records().filter(pk=int(tail[1])).first() if tail[-1].isdigit() else None
    if len(tail) != 2 or found is None:
        raise OaiError("idDoesNotExist", f"No record {identifier}")
    return found


def _check_arguments(verb: str, params: dict[str, str]) -> None:
    required, optional = ARGUMENTS[verb]
    given = set(params) - {"verb"}
    if "resumptionToken" in given and given != {"resumptionToken"}:
        raise OaiError("badArgument", "resumptionToken is an exclusive argument")
    if "resumptionToken" not in given and not required <= given:
        raise OaiError("badArgument", f"Missing: {', '.join(sorted(required - given))}")
    if given - required - optional:
        raise OaiError(
            "badArgument", f"Not allowed: {', '.join(sorted(given - required - optional))}"
        )


def _selection(params: dict[str, str]) -> tuple[dict[str, str], int]:
    """The query of a list verb and its offset, from its arguments or its resumption token."""
    if "resumptionToken" in params:
        try:
            state = signing.loads(params["resumptionToken"], salt=SIGNING_SALT)
        except signing.BadSignature as exc:
            raise OaiError("badResumptionToken", "The resumption token is not valid") from exc
        return dict(state["q"]), int(state["offset"])
    if params.get("metadataPrefix") not in FORMATS:
        raise OaiError("cannotDisseminateFormat", "Formats: oai_dc, lom")
    keys = {"from", "until", "set", "metadataPrefix"}
    return {k: v for k, v in params.items() if k in keys}, 0


def _filtered(query: dict[str, str]) -> QuerySet[Resource]:
    records = _records()
    if "from" in query:
        records = records.filter(updated_at__gte=_parse_date(query["from"], end=False))
    if "until" in query:
        records = records.filter(updated_at__lte=_parse_date(query["until"], end=True))
    kind, _sep, value = query.get("set", "").partition(":")
    if kind == "level":
        records = records.filter(level=value)
    elif kind == "major":
        records = records.filter(major_code=value)
    elif "set" in query:
        raise OaiError("noRecordsMatch", "No such set")
    return records.order_by("updated_at", "id")


def _header(parent: Element, request: HttpRequest, resource: Resource) -> None:
    header = SubElement(parent, "header")
    SubElement(header, "identifier").text = _identifier(request, resource)
    SubElement(header, "datestamp").text = _stamp(resource.updated_at)
    SubElement(header, "setSpec").text = f"level:{resource.level}"
    SubElement(header, "setSpec").text = f"major:{resource.major_code}"


def _home_url(request: HttpRequest, resource: Resource) -> str:
    """The resource's page here: the link back a harvesting library shows (ADR 0512)."""
    return request.build_absolute_uri(reverse("resources:detail", args=[resource.pk]))


def _dublin_core(parent: Element, resource: Resource, home: str) -> None:
    metadata = SubElement(parent, "metadata")
    dc = SubElement(
        metadata,
        "oai_dc:dc",
        {
            "xmlns:oai_dc": OAI_DC,
            "xmlns:dc": DC,
            "xsi:schemaLocation": f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        },
    )
    values = [
        ("title", resource.title),
        ("identifier", home),
        ("description", resource.description),
        ("subject", resource.major_code),
        *[("subject", k) for k in resource.keyword_list],
        ("type", resource.resource_type),
        ("language", resource.language),
        ("rights", resource.licence),
        ("publisher", resource.org.name),
        ("date", _stamp(resource.created_at)),
        *[("creator", c.name) for c in resource.contributors.all()],
    ]
    for name, value in values:
        if value:
            SubElement(dc, f"dc:{name}").text = value


def _lom(parent: Element, resource: Resource, home: str) -> None:
    """IEEE LOM (the base of CELTS-3): general, lifecycle contributors, educational, rights."""
    lom = SubElement(SubElement(parent, "metadata"), "lom", {"xmlns": LOM})
    general = SubElement(lom, "general")
    for name, text in (("title", resource.title), ("description", resource.description)):
        SubElement(SubElement(general, name), "string", {"language": resource.language}).text = text
    SubElement(general, "language").text = resource.language
    for keyword in resource.keyword_list:
        node = SubElement(general, "keyword")
        SubElement(node, "string", {"language": resource.language}).text = keyword
    lifecycle = SubElement(lom, "lifeCycle")
    for contributor in resource.contributors.all():
        SubElement(SubElement(lifecycle, "contribute"), "entity").text = contributor.name
    SubElement(SubElement(lom, "technical"), "location").text = home
    educational = SubElement(lom, "educational")
    difficulty = SubElement(educational, "difficulty")
    SubElement(difficulty, "source").text = "LOMv1.0"
    SubElement(difficulty, "value").text = LOM_DIFFICULTY[resource.difficulty]
    rights = SubElement(lom, "rights")
    SubElement(SubElement(rights, "description"), "string").text = resource.licence
    classification = SubElement(SubElement(lom, "classification"), "taxonPath")
    SubElement(SubElement(classification, "source"), "string").text = "职业教育专业目录（2021年）"
    SubElement(SubElement(classification, "taxon"), "id").text = resource.major_code


def _metadata(parent: Element, request: HttpRequest, resource: Resource, prefix: str) -> None:
    (_lom if prefix == "lom" else _dublin_core)(parent, resource, _home_url(request, resource))


def _list(verb: str, root: Element, request: HttpRequest, params: dict[str, str]) -> None:
    query, offset = _selection(params)
    records = _filtered(query)
    total = records.count()
    page = list(
        records.select_related("org").prefetch_related("contributors")[offset : offset + PAGE]
    )
    if not page:
        raise OaiError("noRecordsMatch", "No record matches")
    body = SubElement(root, verb)
    for resource in page:
        if verb == "ListIdentifiers":
            _header(body, request, resource)
        else:
            record = SubElement(body, "record")
            _header(record, request, resource)
            _metadata(record, request, resource, query["metadataPrefix"])
    if offset + PAGE < total or "resumptionToken" in params:
        token = SubElement(
            body, "resumptionToken", {"completeListSize": str(total), "cursor": str(offset)}
        )
        if offset + PAGE < total:
            token.text = signing.dumps({"q": query, "offset": offset + PAGE}, salt=SIGNING_SALT)


def _respond(verb: str, root: Element, request: HttpRequest, params: dict[str, str]) -> None:
    if verb == "Identify":
        body = SubElement(root, "Identify")
        earliest = _records().order_by("updated_at").values_list("updated_at", flat=True).first()
        for name, value in (
            ("repositoryName", "OpenVET"),
            ("baseURL", request.build_absolute_uri(request.path)),
            ("protocolVersion", "2.0"),
            ("adminEmail", getattr(settings, "RESOURCES_OAI_ADMIN_EMAIL", "admin@localhost")),
            ("earliestDatestamp", _stamp(earliest or datetime(2020, 1, 1, tzinfo=UTC))),
            ("deletedRecord", "no"),
            ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
        ):
            SubElement(body, name).text = value
    elif verb == "ListMetadataFormats":
        if "identifier" in params:
            _resource_of(params["identifier"])
        formats = SubElement(root, "ListMetadataFormats")
        for prefix, (schema, namespace) in FORMATS.items():
            body = SubElement(formats, "metadataFormat")
            SubElement(body, "metadataPrefix").text = prefix
            SubElement(body, "schema").text = schema
            SubElement(body, "metadataNamespace").text = namespace
    elif verb == "ListSets":
        if "resumptionToken" in params:
            raise OaiError("badResumptionToken", "ListSets is answered in one response")
        body = SubElement(root, "ListSets")
        for level in LibraryLevel:
            node = SubElement(body, "set")
            SubElement(node, "setSpec").text = f"level:{level.value}"
            SubElement(node, "setName").text = str(level.label)
        for row in CodeItem.objects.filter(table=MAJOR_TABLE).order_by("sort"):
            if len(row.code) == 6:
                node = SubElement(body, "set")
                SubElement(node, "setSpec").text = f"major:{row.code}"
                SubElement(node, "setName").text = row.name
    elif verb == "GetRecord":
        if params["metadataPrefix"] not in FORMATS:
            raise OaiError("cannotDisseminateFormat", "Formats: oai_dc, lom")
        resource = _resource_of(params["identifier"])
        record = SubElement(SubElement(root, "GetRecord"), "record")
        _header(record, request, resource)
        _metadata(record, request, resource, params["metadataPrefix"])
    else:
        _list(verb, root, request, params)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def oai_pmh(request: HttpRequest) -> HttpResponse:
    source = request.GET if request.method == "GET" else request.POST
    params: dict[str, Any] = {key: source.get(key) for key in source}
    root = Element(
        "OAI-PMH",
        {
            "xmlns": OAI,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
        },
    )
    SubElement(root, "responseDate").text = _stamp(datetime.now(UTC))
    verb = str(params.get("verb", ""))
    request_element = SubElement(root, "request")
    request_element.text = request.build_absolute_uri(request.path)
    try:
        if verb not in ARGUMENTS or any(len(source.getlist(k)) > 1 for k in source):
            raise OaiError("badVerb", "Unknown or repeated verb or argument")
        _check_arguments(verb, params)
        for key, value in params.items():
            request_element.set(key, value)
        _respond(verb, root, request, params)
    except OaiError as exc:
        SubElement(root, "error", {"code": exc.code}).text = exc.message
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
