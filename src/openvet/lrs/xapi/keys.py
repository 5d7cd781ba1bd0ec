"""Search keys of agents and activities, and the agents and activities a statement mentions."""

from collections.abc import Iterator
from typing import Any


def agent_key(value: dict[str, Any]) -> str:
    """The identifier of an Agent or identified Group as one string ('' when anonymous).

    Agent keys start with the IFI name and '=', which no IRI scheme may contain, so agent and
    activity keys never collide in ``StatementLink``.
    """
    if "mbox" in value:
        return f"mbox={value['mbox']}"
    if "mbox_sha1sum" in value:
        return f"mbox_sha1sum={str(value['mbox_sha1sum']).lower()}"
    if "openid" in value:
        return f"openid={value['openid']}"
    if "account" in value:
        account = value["account"]
        return f"account={account.get('homePage')}|{account.get('name')}"
    return ""


def object_key(value: dict[str, Any]) -> str:
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        return str(value["id"])
    if kind in ("Agent", "Group"):
        return agent_key(value)
    if kind == "StatementRef":
        return f"statement={value['id']}"
    return ""


def _agents(value: dict[str, Any]) -> Iterator[str]:
    key = agent_key(value)
    if key:
        yield key
    for member in value.get("member") or []:
        yield from _agents(member)


def _activities_of_context(context: dict[str, Any]) -> Iterator[str]:
    for items in (context.get("contextActivities") or {}).values():
        for item in items if isinstance(items, list) else [items]:
            yield str(item["id"])


def related_keys(statement: dict[str, Any]) -> set[str]:
    """Every agent and activity key of the statement, its context and its sub-statement."""
    keys: set[str] = set()
    parts = [statement]
    target = statement.get("object") or {}
    if target.get("objectType") == "SubStatement":
        parts.append(target)
    for part in parts:
        keys.update(_agents(part["actor"]))
        inner = part["object"]
        kind = inner.get("objectType", "Activity")
        if kind == "Activity":
            keys.add(str(inner["id"]))
        elif kind in ("Agent", "Group"):
            keys.update(_agents(inner))
        context = part.get("context") or {}
        for role in ("instructor", "team"):
            if role in context:
                keys.update(_agents(context[role]))
        for item in context.get("contextAgents") or []:
            keys.update(_agents(item["agent"]))
        for item in context.get("contextGroups") or []:
            keys.update(_agents(item["group"]))
        keys.update(_activities_of_context(context))
    if "authority" in statement:
        keys.update(_agents(statement["authority"]))
    keys.discard("")
    return keys
