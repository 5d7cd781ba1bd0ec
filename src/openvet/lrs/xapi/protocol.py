"""The xAPI resources at /xapi/, for 1.0.3 and 2.0, as one function: ``handle(XRequest)``.

Served by ``xapi.asgi`` before Django's middleware (ADR 0403) and by a plain Django view
for WSGI deployments and the test client; both give the same ``XRequest`` to ``handle``.
Behaviour follows the request's ``X-Experience-API-Version`` where the versions differ
(ADR 0402): the alternate request syntax (required in 1.0.3, refused in 2.0), the ETag
precondition on State PUTs, contextAgents / contextGroups and the statement versions.
"""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.utils import timezone

from openvet.lrs.xapi import documents, formats, multipart, signatures, statements, validate
from openvet.lrs.xapi.auth import ClientCredentials, client_of
from openvet.lrs.xapi.errors import Forbidden, NotFound, Unauthorized, XapiError, XapiInvalid
from openvet.lrs.xapi.http import XRequest, XResponse
from openvet.lrs.xapi.keys import agent_key

PREFIX = "/xapi"
MAX_BODY = 20 * 1024 * 1024
VERSIONS = {
    "1.0": "1.0",
    "1.0.0": "1.0",
    "1.0.1": "1.0",
    "1.0.2": "1.0",
    "1.0.3": "1.0",
    "2.0": "2.0",
    "2.0.0": "2.0",
}
ANSWER_VERSION = {"1.0": "1.0.3", "2.0": "2.0.0"}
ABOUT = {"version": ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0"], "extensions": {}}
ALTERNATE_HEADERS = {
    "authorization",
    "x-experience-api-version",
    "content-type",
    "content-length",
    "if-match",
    "if-none-match",
}
STATEMENT_GET_PARAMS = {
    "statementId",
    "voidedStatementId",
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
    "more",
}


class Context:
    """One request being answered: its version and the client that sent it."""

    def __init__(self, request: XRequest, version: str, client: ClientCredentials) -> None:
        self.request = request
        self.version = version
        self.client = client

    @property
    def params(self) -> dict[str, str]:
        return self.request.params

    def needs(self, *, write: bool) -> None:
        allowed = self.client.can_write if write else self.client.can_read
        if not allowed:
            raise Forbidden(f"this client may not {'write' if write else 'read'}")


def _version_of(request: XRequest) -> str:
    """The version to answer under: the request's; without one, the version of the client's
    content (ADR 0418), else the deployment's choice (ADR 0402)."""
    named = VERSIONS.get(request.headers.get("x-experience-api-version", "").strip())
    if named is not None:
        return named
    client = client_of(request.headers.get("authorization", ""))
    unnamed = client.xapi_version if client is not None else None
    fallback = unnamed or str(getattr(settings, "XAPI_VERSION_WITHOUT_HEADER", "2.0.0"))
    return VERSIONS.get(fallback, "2.0")


TOO_LARGE = "the body is larger than the LRS accepts"


def too_large(request: XRequest) -> XResponse:
    """The answer to a body over ``MAX_BODY``, read no further by either route."""
    response = XResponse.json(413, {"error": TOO_LARGE})
    response.headers["x-experience-api-version"] = ANSWER_VERSION[_version_of(request)]
    return response


def handle(request: XRequest) -> XResponse:
    version = _version_of(request)
    try:
        if len(request.body) > MAX_BODY:
            raise XapiError(TOO_LARGE, status=413)
        if request.method == "POST" and "method" in request.params:
            request = _alternate(request)
        version = _version_of(request)
        response = _route(request)
    except XapiError as exc:
        response = XResponse.json(exc.status, {"error": exc.message})
        if exc.status == 401:
            response.headers["www-authenticate"] = 'Basic realm="xAPI"'
    response.headers["x-experience-api-version"] = ANSWER_VERSION[version]
    if request.path.rstrip("/") == "/statements" and request.method in ("GET", "HEAD"):
        response.headers.setdefault(
            "x-experience-api-consistent-through", statements.iso(timezone.now())
        )
    if request.method == "HEAD":
        response.headers["content-length"] = str(len(response.body))
        response.body = b""
    return response


def _alternate(request: XRequest) -> XRequest:
    """The 1.0.3 alternate request syntax: POST ?method=X with the headers, parameters and
    content as form fields. 2.0 removed it: refused there."""
    header_version = request.headers.get("x-experience-api-version", "").strip()
    if VERSIONS.get(header_version) == "2.0":
        raise XapiInvalid("the alternate request syntax is not allowed in xAPI 2.0")
    if set(request.params) != {"method"}:
        raise XapiInvalid("the alternate request syntax takes only 'method' in the query")
    method = request.params["method"].upper()
    if method not in ("GET", "PUT", "POST", "DELETE", "HEAD"):
        raise XapiInvalid("method: must be GET, PUT, POST or DELETE")
    if request.media_type != "application/x-www-form-urlencoded":
        raise XapiInvalid("the alternate request syntax needs application/x-www-form-urlencoded")
    fields = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    headers = dict(request.headers)
    headers.pop("content-type", None)
    params: dict[str, str] = {}
    body = b""
    for name, value in fields.items():
        if name.lower() in ALTERNATE_HEADERS:
            headers[name.lower()] = value
        elif name == "content":
            body = value.encode()
        else:
            params[name] = value
    if VERSIONS.get(headers.get("x-experience-api-version", "").strip()) == "2.0":
        raise XapiInvalid("the alternate request syntax is not allowed in xAPI 2.0")
    if body and "content-type" not in headers:
        headers["content-type"] = "application/json"
    return XRequest(method, request.path, params, headers, body)


def _route(request: XRequest) -> XResponse:
    path = "/" + "/".join(part for part in request.path.split("/") if part)
    if path == "/about":
        if request.method not in ("GET", "HEAD"):
            raise XapiError("the About resource answers GET", status=405)
        return XResponse.json(200, ABOUT)
    resource = RESOURCES.get(path)
    if resource is None:
        raise NotFound("no such xAPI resource")
    raw_version = request.headers.get("x-experience-api-version", "").strip()
    if not raw_version:
        raise XapiInvalid("X-Experience-API-Version: the header is required")
    if raw_version not in VERSIONS:
        raise XapiInvalid(f"X-Experience-API-Version: {raw_version!r} is not supported")
    client = client_of(request.headers.get("authorization", ""))
    if client is None:
        raise Unauthorized("send the key and secret of an xAPI client (HTTP Basic)")
    method = "GET" if request.method == "HEAD" else request.method
    answer = resource.get(method)
    if answer is None:
        raise XapiError(f"{request.method} is not allowed here", status=405)
    if request.repeated:
        raise XapiInvalid(f"{sorted(request.repeated)[0]}: given more than once")
    return answer(Context(request, VERSIONS[raw_version], client))


# Parameters ------------------------------------------------------------------------------


def _only(context: Context, allowed: set[str]) -> None:
    for name in context.params:
        if name not in allowed:
            raise XapiInvalid(f"{name}: not a parameter of this resource")


def _required(context: Context, name: str) -> str:
    if name not in context.params:
        raise XapiInvalid(f"{name}: the parameter is required")
    return context.params[name]


def _agent_param(raw: str, name: str = "agent") -> dict[str, Any]:
    try:
        value: dict[str, Any] = json.loads(raw)
    except ValueError as exc:
        raise XapiInvalid(f"{name}: must be an Agent as JSON") from exc
    validate.agent_param(value, name)
    if not agent_key(value):
        raise XapiInvalid(f"{name}: must be identified (an Agent or identified Group)")
    return value


def _flag(context: Context, name: str) -> bool:
    value = context.params.get(name, "false")
    if value not in ("true", "false"):
        raise XapiInvalid(f"{name}: must be true or false")
    return value == "true"


def _since(context: Context) -> datetime | None:
    if "since" not in context.params:
        return None
    return validate.timestamp(context.params["since"], "since")


# Statements ------------------------------------------------------------------------------


def _parse_json(content: bytes, what: str) -> Any:
    def refuse(constant: str) -> None:
        raise XapiInvalid(f"{what}: {constant} is not JSON")

    try:
        return json.loads(content.decode("utf-8"), parse_constant=refuse)
    except (ValueError, UnicodeDecodeError) as exc:
        raise XapiInvalid(f"{what}: not valid JSON ({exc})") from exc


def _read_statements(context: Context) -> tuple[list[Any], dict[str, tuple[str, bytes]] | None]:
    request = context.request
    if request.media_type == "application/json":
        parsed, attachments = _parse_json(request.body, "statement"), None
    elif request.media_type == "multipart/mixed":
        parts = multipart.parts(request.body, request.content_type)
        first = parts[0] if parts else None
        if first is None or first.headers.get("content-type", "").split(";")[0] != (
            "application/json"
        ):
            raise XapiInvalid("multipart: the first part must be the statements as JSON")
        parsed = _parse_json(first.content, "statement")
        attachments = multipart.attachment_parts(parts[1:])
    else:
        raise XapiInvalid("Content-Type: must be application/json or multipart/mixed")
    batch = parsed if isinstance(parsed, list) else [parsed]
    if not batch:
        raise XapiInvalid("statement: the batch is empty")
    return batch, attachments


def _validate_batch(
    context: Context, batch: list[Any], attachments: dict[str, tuple[str, bytes]] | None
) -> None:
    for index, statement in enumerate(batch):
        path = "statement" if len(batch) == 1 else f"statement[{index}]"
        validate.statement(statement, context.version, path)
    needed: set[str] = set()
    allowed: set[str] = set()
    for statement in batch:
        for attachment in statement.get("attachments") or []:
            sha2 = attachment["sha2"].lower()
            if "fileUrl" in attachment:
                allowed.add(sha2)
            elif attachments is None:
                raise XapiInvalid(
                    "statement.attachments: without fileUrl the content must be sent "
                    "as multipart/mixed"
                )
            else:
                needed.add(sha2)
        signatures.check(statement, attachments or {})
    if attachments is not None:
        missing = needed - set(attachments)
        extra = set(attachments) - needed - allowed
        if missing:
            raise XapiInvalid(f"multipart: no part for the attachment {sorted(missing)[0]}")
        if extra:
            raise XapiInvalid(f"multipart: the part {sorted(extra)[0]} is no statement's")


def _writer(context: Context) -> statements.Writer:
    client = context.client
    return statements.Writer(
        school_id=client.school_id,
        client_id=client.id,
        authority={
            "objectType": "Agent",
            "name": client.name,
            "account": {"homePage": "https://openvet.invalid/xapi/clients", "name": client.key},
        },
    )


def statements_put(context: Context) -> XResponse:
    context.needs(write=True)
    _only(context, {"statementId"})
    statement_id = validate.uuid(_required(context, "statementId"), "statementId").lower()
    batch, attachments = _read_statements(context)
    if len(batch) != 1 or not isinstance(batch[0], dict):
        raise XapiInvalid("statement: PUT takes one statement")
    statement = batch[0]
    if "id" in statement and str(statement["id"]).lower() != statement_id:
        raise XapiInvalid("statement.id: differs from the statementId parameter")
    statement["id"] = statement_id
    _validate_batch(context, batch, attachments)
    statements.save(batch, _writer(context), context.version, attachments)
    return XResponse(204)


def statements_post(context: Context) -> XResponse:
    context.needs(write=True)
    _only(context, set())
    batch, attachments = _read_statements(context)
    _validate_batch(context, batch, attachments)
    ids = statements.save(batch, _writer(context), context.version, attachments)
    return XResponse.json(200, ids)


def _query(context: Context) -> statements.Query:
    params = context.params
    query = statements.Query(
        related_activities=_flag(context, "related_activities"),
        related_agents=_flag(context, "related_agents"),
        ascending=_flag(context, "ascending"),
    )
    if "agent" in params:
        query.agent = agent_key(_agent_param(params["agent"]))
    if "verb" in params:
        query.verb = validate.iri(params["verb"], "verb")
    if "activity" in params:
        query.activity = validate.iri(params["activity"], "activity")
    if "registration" in params:
        query.registration = validate.uuid(params["registration"], "registration").lower()
    for name in ("since", "until"):
        if name in params:
            validate.timestamp(params[name], name)
            setattr(query, name, params[name])
    if "limit" in params:
        if not params["limit"].isdigit():
            raise XapiInvalid("limit: must be a non-negative integer")
        query.limit = int(params["limit"])
    return query


def _format(context: Context) -> str:
    chosen = context.params.get("format", "exact")
    if chosen not in ("exact", "ids", "canonical"):
        raise XapiInvalid("format: must be ids, exact or canonical")
    return chosen


def _statement_response(
    context: Context, body: Any, found: list[dict[str, Any]], with_attachments: bool
) -> XResponse:
    if not with_attachments:
        return XResponse.json(200, body)
    sha2s = {
        str(attachment["sha2"]).lower()
        for statement in found
        for attachment in statement.get("attachments") or []
    }
    boundary = "xapi-openvet-boundary"
    parts: list[tuple[dict[str, str], bytes]] = [
        ({"Content-Type": "application/json"}, json.dumps(body, ensure_ascii=False).encode())
    ]
    for attachment in statements.attachment_contents(sha2s):
        headers = {
            "Content-Type": attachment.content_type,
            "Content-Transfer-Encoding": "binary",
            "X-Experience-API-Hash": attachment.sha2,
        }
        parts.append((headers, bytes(attachment.content)))
    content = multipart.build(parts, boundary)
    return XResponse(200, content, {"content-type": f'multipart/mixed; boundary="{boundary}"'})


def statements_get(context: Context) -> XResponse:
    context.needs(write=False)
    _only(context, STATEMENT_GET_PARAMS)
    params = context.params
    chosen = _format(context)
    with_attachments = _flag(context, "attachments")
    language = context.request.headers.get("accept-language", "")
    school_id = context.client.school_id
    single = [name for name in ("statementId", "voidedStatementId") if name in params]
    if single:
        extra = set(params) - {single[0], "format", "attachments"}
        if extra:
            raise XapiInvalid(f"{single[0]}: cannot be combined with {sorted(extra)[0]}")
        wanted = validate.uuid(params[single[0]], single[0]).lower()
        found = statements.one(school_id, wanted, voided=single[0] == "voidedStatementId")
        shaped = formats.shape(found, chosen, language)
        response = _statement_response(context, shaped, [found], with_attachments)
        response.headers["last-modified"] = _http_date(found["stored"])
        return response
    if "more" in params:
        if set(params) - {"more"}:
            raise XapiInvalid("more: cannot be combined with other parameters")
        query = statements.decode_more(params["more"])
    else:
        query = _query(context)
    found_page, following = statements.find(school_id, query)
    more = f"{PREFIX}/statements?more={statements.encode_more(following)}" if following else ""
    result = {"statements": [formats.shape(s, chosen, language) for s in found_page], "more": more}
    return _statement_response(context, result, found_page, with_attachments)


def _http_date(stored: str) -> str:
    moment = validate.parse_timestamp(stored) or timezone.now()
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")


# Documents -------------------------------------------------------------------------------


def _state_key(context: Context) -> documents.Key:
    activity_id = validate.iri(_required(context, "activityId"), "activityId")
    agent = _agent_param(_required(context, "agent"))
    registration = context.params.get("registration", "")
    if registration:
        validate.uuid(registration, "registration")
    return documents.Key(
        school_id=context.client.school_id,
        kind="state",
        activity_id=activity_id,
        agent_key=agent_key(agent),
        registration=registration.lower(),
        document_id=context.params.get("stateId", ""),
    )


def _activity_profile_key(context: Context) -> documents.Key:
    activity_id = validate.iri(_required(context, "activityId"), "activityId")
    return documents.Key(
        school_id=context.client.school_id,
        kind="activity_profile",
        activity_id=activity_id,
        document_id=context.params.get("profileId", ""),
    )


def _agent_profile_key(context: Context) -> documents.Key:
    agent = _agent_param(_required(context, "agent"))
    return documents.Key(
        school_id=context.client.school_id,
        kind="agent_profile",
        agent_key=agent_key(agent),
        document_id=context.params.get("profileId", ""),
    )


def _preconditions(context: Context, kind: str) -> documents.Preconditions:
    headers = context.request.headers
    return documents.Preconditions(
        if_match=headers.get("if-match"),
        if_none_match=headers.get("if-none-match"),
        required=kind != "state" or context.version == "2.0",
        always=kind != "state" and context.version == "1.0",
    )


def _document_resource(
    key_of: Callable[[Context], documents.Key], id_name: str, params: set[str]
) -> dict[str, Callable[[Context], XResponse]]:
    def get(context: Context) -> XResponse:
        context.needs(write=False)
        _only(context, params | {"since"})
        key = key_of(context)
        if key.document_id:
            if "since" in context.params:
                raise XapiInvalid(f"since: only without {id_name}")
            found = documents.get(key)
            return XResponse(
                200,
                bytes(found.content),
                {
                    "content-type": found.content_type,
                    "etag": f'"{found.etag}"',
                    "last-modified": found.updated.strftime("%a, %d %b %Y %H:%M:%S GMT"),
                },
            )
        return XResponse.json(200, documents.ids(key, _since(context)))

    def write(context: Context, *, merge: bool) -> XResponse:
        context.needs(write=True)
        _only(context, params)
        key = key_of(context)
        if not key.document_id:
            raise XapiInvalid(f"{id_name}: the parameter is required")
        content_type = context.request.content_type or "application/octet-stream"
        pre = _preconditions(context, key.kind)
        documents.put(key, context.request.body, content_type, pre, merge=merge)
        return XResponse(204)

    def delete(context: Context) -> XResponse:
        context.needs(write=True)
        _only(context, params)
        key = key_of(context)
        if not key.document_id and key.kind != "state":
            raise XapiInvalid(f"{id_name}: the parameter is required")
        documents.delete(key, _preconditions(context, key.kind))
        return XResponse(204)

    return {
        "GET": get,
        "PUT": lambda context: write(context, merge=False),
        "POST": lambda context: write(context, merge=True),
        "DELETE": delete,
    }


def agents_get(context: Context) -> XResponse:
    context.needs(write=False)
    _only(context, {"agent"})
    agent = _agent_param(_required(context, "agent"))
    person: dict[str, Any] = {"objectType": "Person"}
    if "name" in agent:
        person["name"] = [agent["name"]]
    for ifi in validate.IFIS:
        if ifi in agent:
            person[ifi] = [agent[ifi]]
    return XResponse.json(200, person)


def activities_get(context: Context) -> XResponse:
    context.needs(write=False)
    _only(context, {"activityId"})
    activity_id = validate.iri(_required(context, "activityId"), "activityId")
    return XResponse.json(200, formats.activity_of(context.client.school_id, activity_id))


RESOURCES: dict[str, dict[str, Callable[[Context], XResponse]]] = {
    "/statements": {"GET": statements_get, "PUT": statements_put, "POST": statements_post},
    "/activities/state": _document_resource(
        _state_key, "stateId", {"activityId", "agent", "registration", "stateId"}
    ),
    "/activities/profile": _document_resource(
        _activity_profile_key, "profileId", {"activityId", "profileId"}
    ),
    "/agents/profile": _document_resource(_agent_profile_key, "profileId", {"agent", "profileId"}),
    "/agents": {"GET": agents_get},
    "/activities": {"GET": activities_get},
}
