"""Statement validation: every structural rule of xAPI 1.0.3 and 2.0 (IEEE 9274.1.1).

Pure functions over parsed JSON: no database, no Django. A refusal is ``XapiInvalid`` with
the JSON path of the offending field (``statement.actor.mbox``), which the protocol layer
answers as 400. ``version`` is the request's major version, "1.0" or "2.0", where the two
differ (contextAgents / contextGroups, the statement ``version`` values).
"""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from openvet.lrs.xapi.errors import XapiInvalid

IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+\.?[^@\s]*$")
SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
VERSION = {"1.0": re.compile(r"^1\.0(\.\d+)?$"), "2.0": re.compile(r"^(1|2)\.0(\.\d+)?$")}
# RFC 3339 / ISO 8601 extended date-time with a zone; "-00:00" (unknown offset) is refused.
TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)
# ISO 8601:2004 4.4.3.2: weeks stand alone (PnW), never with the other components.
DURATION = re.compile(
    r"^P(?:\d+(?:\.\d+)?W|(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?D)?"
    r"(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?)$"
)
# RFC 5646 language tags (section 2.1 ABNF, without the grandfathered irregular tags).
LANGUAGE = re.compile(
    r"^(?:(?:[a-zA-Z]{2,3}(?:-[a-zA-Z]{3}){0,3}|[a-zA-Z]{4,8})(?:-[a-zA-Z]{4})?"
    r"(?:-(?:[a-zA-Z]{2}|\d{3}))?(?:-(?:[a-zA-Z0-9]{5,8}|\d[a-zA-Z0-9]{3}))*"
    r"(?:-[0-9a-wy-zA-WY-Z](?:-[a-zA-Z0-9]{2,8})+)*(?:-x(?:-[a-zA-Z0-9]{1,8})+)?"
    r"|x(?:-[a-zA-Z0-9]{1,8})+)$"
)
MIME = re.compile(r"^[A-Za-z0-9!#$&^_.+\-]+/[A-Za-z0-9!#$&^_.+\-]+(\s*;.*)?$")
INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
}
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def fail(path: str, message: str) -> XapiInvalid:
    return XapiInvalid(f"{path}: {message}")


def obj(value: Any, path: str, allowed: set[str] | tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(path, "must be a JSON object")
    for key, item in value.items():
        if key not in allowed:
            raise fail(f"{path}.{key}", "is not an allowed property")
        if item is None:
            raise fail(f"{path}.{key}", "must not be null")
    return value


def string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise fail(path, "must be a string")
    return value


def iri(value: Any, path: str) -> str:
    if not isinstance(value, str) or not IRI.match(value):
        raise fail(path, "must be an absolute IRI")
    return value


def uuid(value: Any, path: str) -> str:
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise fail(path, "must be a UUID")
    return value


def boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise fail(path, "must be true or false")
    return value


def number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(path, "must be a number")
    return float(value)


def stored_time(value: str) -> datetime:
    """A timestamp this LRS wrote or validated."""
    parsed = parse_timestamp(value)
    if parsed is None:
        raise fail("timestamp", "must be an ISO 8601 timestamp with a time zone")
    return parsed


def timestamp(value: Any, path: str) -> datetime:
    if not isinstance(value, str):
        raise fail(path, "must be an ISO 8601 timestamp")
    parsed = parse_timestamp(value)
    if parsed is None:
        raise fail(path, "must be an ISO 8601 timestamp with a time zone")
    return parsed


def duration_key(value: str) -> str:
    """A duration as compared: seconds cut to hundredths (xAPI 2.0 4.2.7)."""
    return re.sub(r"(\d+)\.(\d{0,2})\d*S$", lambda m: f"{m[1]}.{m[2]}S", value)


def parse_timestamp(value: str) -> datetime | None:
    match = TIMESTAMP.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if zone in ("-00", "-00:00", "-0000"):
        return None
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=UTC
        )
    except ValueError:
        return None
    if fraction:
        moment += timedelta(microseconds=int((fraction[1:] + "000000")[:6]))
    offset = timedelta(0)
    if zone and zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return moment - offset


def language_map(value: Any, path: str) -> None:
    obj(value, path, set(value) if isinstance(value, dict) else ())
    for tag, text in value.items():
        if not LANGUAGE.match(tag):
            raise fail(f"{path}.{tag}", "is not an RFC 5646 language tag")
        string(text, f"{path}.{tag}")


def extensions(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise fail(path, "must be a JSON object")
    for key in value:
        iri(key, f"{path} key {key!r}")


def agent(value: Any, path: str, *, object_type_required: bool = False) -> None:
    obj(value, path, ("objectType", "name", *IFIS))
    if object_type_required and value.get("objectType") != "Agent":
        raise fail(f"{path}.objectType", "must be 'Agent'")
    if value.get("objectType", "Agent") != "Agent":
        raise fail(f"{path}.objectType", "must be 'Agent'")
    if "name" in value:
        string(value["name"], f"{path}.name")
    if ifi_count(value, path) != 1:
        raise fail(path, "an Agent must have exactly one of mbox, mbox_sha1sum, openid, account")


def ifi_count(value: dict[str, Any], path: str) -> int:
    found = [key for key in IFIS if key in value]
    for key in found:
        item = value[key]
        where = f"{path}.{key}"
        if key == "mbox" and (not isinstance(item, str) or not MAILTO.match(item)):
            raise fail(where, "must be a mailto: IRI")
        if key == "mbox_sha1sum" and (not isinstance(item, str) or not SHA1.match(item)):
            raise fail(where, "must be a hex-encoded SHA-1")
        if key == "openid":
            iri(item, where)
        if key == "account":
            obj(item, where, ("homePage", "name"))
            if "homePage" not in item or "name" not in item:
                raise fail(where, "needs homePage and name")
            iri(item["homePage"], f"{where}.homePage")
            string(item["name"], f"{where}.name")
    return len(found)


def group(value: Any, path: str) -> None:
    obj(value, path, ("objectType", "name", "member", *IFIS))
    if value.get("objectType") != "Group":
        raise fail(f"{path}.objectType", "must be 'Group'")
    if "name" in value:
        string(value["name"], f"{path}.name")
    count = ifi_count(value, path)
    if count > 1:
        raise fail(path, "a Group must have at most one identifier")
    if "member" in value:
        members = value["member"]
        if not isinstance(members, list):
            raise fail(f"{path}.member", "must be an array of Agents")
        for index, member in enumerate(members):
            agent(member, f"{path}.member[{index}]")
    elif count == 0:
        raise fail(f"{path}.member", "an anonymous Group needs its members")


def actor(value: Any, path: str) -> None:
    if isinstance(value, dict) and value.get("objectType") == "Group":
        group(value, path)
    else:
        agent(value, path)


def verb(value: Any, path: str) -> None:
    obj(value, path, ("id", "display"))
    if "id" not in value:
        raise fail(f"{path}.id", "is required")
    iri(value["id"], f"{path}.id")
    if "display" in value:
        language_map(value["display"], f"{path}.display")


def components(value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise fail(path, "must be an array")
    seen: set[str] = set()
    for index, component in enumerate(value):
        where = f"{path}[{index}]"
        obj(component, where, ("id", "description"))
        if "id" not in component:
            raise fail(f"{where}.id", "is required")
        string(component["id"], f"{where}.id")
        if component["id"] in seen:
            raise fail(f"{where}.id", "must be unique")
        seen.add(component["id"])
        if "description" in component:
            language_map(component["description"], f"{where}.description")


def definition(value: Any, path: str) -> None:
    allowed = (
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        *COMPONENT_LISTS,
    )
    obj(value, path, allowed)
    for key in ("name", "description"):
        if key in value:
            language_map(value[key], f"{path}.{key}")
    for key in ("type", "moreInfo"):
        if key in value:
            iri(value[key], f"{path}.{key}")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    interaction = [key for key in ("correctResponsesPattern", *COMPONENT_LISTS) if key in value]
    if "interactionType" in value:
        if not isinstance(value["interactionType"], str) or (
            value["interactionType"] not in INTERACTION_TYPES
        ):
            raise fail(f"{path}.interactionType", "is not an xAPI interaction type")
    elif interaction:
        raise fail(f"{path}.interactionType", f"is required with {interaction[0]}")
    if "correctResponsesPattern" in value:
        patterns = value["correctResponsesPattern"]
        if not isinstance(patterns, list):
            raise fail(f"{path}.correctResponsesPattern", "must be an array of strings")
        for index, pattern in enumerate(patterns):
            string(pattern, f"{path}.correctResponsesPattern[{index}]")
    for key in COMPONENT_LISTS:
        if key in value:
            components(value[key], f"{path}.{key}")


def activity(value: Any, path: str) -> None:
    obj(value, path, ("objectType", "id", "definition"))
    if value.get("objectType", "Activity") != "Activity":
        raise fail(f"{path}.objectType", "must be 'Activity'")
    if "id" not in value:
        raise fail(f"{path}.id", "is required")
    iri(value["id"], f"{path}.id")
    if "definition" in value:
        definition(value["definition"], f"{path}.definition")


def statement_ref(value: Any, path: str) -> None:
    obj(value, path, ("objectType", "id"))
    if value.get("objectType") != "StatementRef":
        raise fail(f"{path}.objectType", "must be 'StatementRef'")
    if "id" not in value:
        raise fail(f"{path}.id", "is required")
    uuid(value["id"], f"{path}.id")


def statement_object(value: Any, path: str, version: str, *, sub: bool = False) -> None:
    if not isinstance(value, dict):
        raise fail(path, "must be a JSON object")
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        activity(value, path)
    elif kind == "Agent":
        agent(value, path, object_type_required=True)
    elif kind == "Group":
        group(value, path)
    elif kind == "StatementRef":
        statement_ref(value, path)
    elif kind == "SubStatement" and not sub:
        substatement(value, path, version)
    else:
        raise fail(f"{path}.objectType", f"{kind!r} is not allowed here")


def substatement(value: Any, path: str, version: str) -> None:
    allowed = ("objectType", "actor", "verb", "object", "result", "context", "timestamp")
    obj(value, path, (*allowed, "attachments"))
    body(value, path, version, sub=True)


def score(value: Any, path: str) -> None:
    obj(value, path, ("scaled", "raw", "min", "max"))
    numbers = {key: number(value[key], f"{path}.{key}") for key in value}
    if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
        raise fail(f"{path}.scaled", "must be between -1 and 1")
    low, high = numbers.get("min"), numbers.get("max")
    if low is not None and high is not None and low >= high:
        raise fail(f"{path}.min", "must be less than max")
    raw = numbers.get("raw")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        raise fail(f"{path}.raw", "must be between min and max")


def result(value: Any, path: str) -> None:
    obj(value, path, ("score", "success", "completion", "response", "duration", "extensions"))
    if "score" in value:
        score(value["score"], f"{path}.score")
    for key in ("success", "completion"):
        if key in value:
            boolean(value[key], f"{path}.{key}")
    if "response" in value:
        string(value["response"], f"{path}.response")
    if "duration" in value and (
        not isinstance(value["duration"], str) or not DURATION.match(value["duration"])
    ):
        raise fail(f"{path}.duration", "must be an ISO 8601 duration")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")


def context_activities(value: Any, path: str) -> None:
    obj(value, path, CONTEXT_ACTIVITY_KEYS)
    for key, item in value.items():
        items = item if isinstance(item, list) else [item]
        for index, one in enumerate(items):
            activity(one, f"{path}.{key}[{index}]")


def relevant_types(value: dict[str, Any], path: str) -> None:
    if "relevantTypes" in value:
        types = value["relevantTypes"]
        if not isinstance(types, list) or not types:
            raise fail(f"{path}.relevantTypes", "must be a non-empty array of IRIs")
        for index, one in enumerate(types):
            iri(one, f"{path}.relevantTypes[{index}]")


def context_agents(value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise fail(path, "must be an array")
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        obj(item, where, ("objectType", "agent", "relevantTypes"))
        if item.get("objectType") != "contextAgent":
            raise fail(f"{where}.objectType", "must be 'contextAgent'")
        if "agent" not in item:
            raise fail(f"{where}.agent", "is required")
        agent(item["agent"], f"{where}.agent")
        relevant_types(item, where)


def context_groups(value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise fail(path, "must be an array")
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        obj(item, where, ("objectType", "group", "relevantTypes"))
        if item.get("objectType") != "contextGroup":
            raise fail(f"{where}.objectType", "must be 'contextGroup'")
        if "group" not in item:
            raise fail(f"{where}.group", "is required")
        group(item["group"], f"{where}.group")
        relevant_types(item, where)


def context(value: Any, path: str, version: str, object_kind: str) -> None:
    allowed = [
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    ]
    if version == "2.0":
        allowed += ["contextAgents", "contextGroups"]
    obj(value, path, tuple(allowed))
    if "registration" in value:
        uuid(value["registration"], f"{path}.registration")
    if "instructor" in value:
        actor(value["instructor"], f"{path}.instructor")
    if "team" in value:
        group(value["team"], f"{path}.team")
    if "contextActivities" in value:
        context_activities(value["contextActivities"], f"{path}.contextActivities")
    for key in ("revision", "platform"):
        if key in value:
            string(value[key], f"{path}.{key}")
            if object_kind != "Activity":
                raise fail(f"{path}.{key}", "is allowed only when the object is an Activity")
    if "language" in value and (
        not isinstance(value["language"], str) or not LANGUAGE.match(value["language"])
    ):
        raise fail(f"{path}.language", "must be an RFC 5646 language tag")
    if "statement" in value:
        statement_ref(value["statement"], f"{path}.statement")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    if "contextAgents" in value:
        context_agents(value["contextAgents"], f"{path}.contextAgents")
    if "contextGroups" in value:
        context_groups(value["contextGroups"], f"{path}.contextGroups")


def attachments(value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise fail(path, "must be an array")
    allowed = ("usageType", "display", "description", "contentType", "length", "sha2", "fileUrl")
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        obj(item, where, allowed)
        for key in ("usageType", "display", "contentType", "length", "sha2"):
            if key not in item:
                raise fail(f"{where}.{key}", "is required")
        iri(item["usageType"], f"{where}.usageType")
        language_map(item["display"], f"{where}.display")
        if "description" in item:
            language_map(item["description"], f"{where}.description")
        if not isinstance(item["contentType"], str) or not MIME.match(item["contentType"]):
            raise fail(f"{where}.contentType", "must be an Internet Media Type")
        if isinstance(item["length"], bool) or not isinstance(item["length"], int):
            raise fail(f"{where}.length", "must be an integer")
        string(item["sha2"], f"{where}.sha2")
        if "fileUrl" in item:
            iri(item["fileUrl"], f"{where}.fileUrl")


def body(value: dict[str, Any], path: str, version: str, *, sub: bool = False) -> None:
    """The parts common to a statement and a SubStatement."""
    for key in ("actor", "verb", "object"):
        if key not in value:
            raise fail(f"{path}.{key}", "is required")
    if sub and value.get("objectType") != "SubStatement":
        raise fail(f"{path}.objectType", "must be 'SubStatement'")
    actor(value["actor"], f"{path}.actor")
    verb(value["verb"], f"{path}.verb")
    statement_object(value["object"], f"{path}.object", version, sub=sub)
    if "result" in value:
        result(value["result"], f"{path}.result")
    object_kind = value["object"].get("objectType", "Activity")
    if "context" in value:
        context(value["context"], f"{path}.context", version, object_kind)
    if "timestamp" in value:
        timestamp(value["timestamp"], f"{path}.timestamp")
    if "attachments" in value:
        attachments(value["attachments"], f"{path}.attachments")


def authority(value: Any, path: str) -> None:
    if isinstance(value, dict) and value.get("objectType") == "Group":
        group(value, path)
        members = value.get("member") or []
        if len(members) != 2 or any(key in value for key in IFIS):
            raise fail(path, "an authority Group must be exactly two Agents (OAuth)")
    else:
        agent(value, path)


def statement(value: Any, version: str, path: str = "statement") -> None:
    """Refuse ``value`` unless it is a valid statement under ``version`` ("1.0" / "2.0")."""
    allowed = (
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    )
    obj(value, path, allowed)
    if "id" in value:
        uuid(value["id"], f"{path}.id")
    body(value, path, version)
    if "stored" in value:
        timestamp(value["stored"], f"{path}.stored")
    if "authority" in value:
        authority(value["authority"], f"{path}.authority")
    if "version" in value and (
        not isinstance(value["version"], str) or not VERSION[version].match(value["version"])
    ):
        raise fail(f"{path}.version", "must be 1.0.x" + (" or 2.0.x" if version == "2.0" else ""))
    if value["verb"]["id"] == VOIDED:
        target = value["object"]
        if target.get("objectType") != "StatementRef":
            raise fail(f"{path}.object", "a voiding statement's object must be a StatementRef")


def agent_param(value: Any, path: str = "agent") -> None:
    """An Agent or identified Group given as a query parameter."""
    actor(value, path)
