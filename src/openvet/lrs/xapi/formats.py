"""The ``format`` of statements on retrieval: exact, ids or canonical."""

import copy
from typing import Any

from openvet.lrs.models import Activity
from openvet.lrs.xapi.validate import IFIS

LANGUAGE_MAPS = ("display", "name", "description")


def _ids_of_agent(value: dict[str, Any]) -> dict[str, Any]:
    shaped = {key: value[key] for key in ("objectType", *IFIS) if key in value}
    if "member" in value and len(shaped) == ("objectType" in shaped):  # anonymous Group
        shaped["member"] = [_ids_of_agent(member) for member in value["member"]]
    return shaped


def _ids_of_object(value: dict[str, Any]) -> dict[str, Any]:
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        return {"id": value["id"]}
    if kind in ("Agent", "Group"):
        return _ids_of_agent(value)
    if kind == "SubStatement":
        return _ids(value)
    return value


def _ids(statement: dict[str, Any]) -> dict[str, Any]:
    shaped = dict(statement)
    shaped["actor"] = _ids_of_agent(statement["actor"])
    shaped["verb"] = {"id": statement["verb"]["id"]}
    shaped["object"] = _ids_of_object(statement["object"])
    if "authority" in statement:
        shaped["authority"] = _ids_of_agent(statement["authority"])
    context = statement.get("context")
    if context:
        context = dict(context)
        for role in ("instructor", "team"):
            if role in context:
                context[role] = _ids_of_agent(context[role])
        if "contextActivities" in context:
            context["contextActivities"] = {
                key: [{"id": item["id"]} for item in items]
                for key, items in context["contextActivities"].items()
            }
        shaped["context"] = context
    return shaped


def _preferred(languages: str) -> list[str]:
    ranked = []
    for index, part in enumerate(languages.split(",")):
        tag, _semicolon, weight = part.strip().partition(";q=")
        if tag:
            try:
                quality = float(weight) if weight else 1.0
            except ValueError:
                quality = 0.0
            ranked.append((-quality, index, tag.strip().lower()))
    return [tag for _q, _i, tag in sorted(ranked)]


def _canonical(value: Any, preferred: list[str]) -> Any:
    """Every language map cut to the one language the reader prefers (else the first)."""
    if isinstance(value, list):
        return [_canonical(item, preferred) for item in value]
    if not isinstance(value, dict):
        return value
    shaped = {}
    for key, item in value.items():
        if key in LANGUAGE_MAPS and isinstance(item, dict) and item:
            chosen = next((tag for tag in item if tag.lower() in preferred), None)
            chosen = chosen or next(iter(item))
            shaped[key] = {chosen: item[chosen]}
        elif key == "extensions":
            shaped[key] = item
        else:
            shaped[key] = _canonical(item, preferred)
    return shaped


def shape(statement: dict[str, Any], chosen: str, languages: str) -> dict[str, Any]:
    if chosen == "ids":
        return _ids(statement)
    if chosen == "canonical":
        shaped: dict[str, Any] = _canonical(copy.deepcopy(statement), _preferred(languages))
        return shaped
    return statement


def activity_of(school_id: int, activity_id: str) -> dict[str, Any]:
    """The Activity with the definition merged from the school's statements."""
    found = Activity.objects.filter(school_id=school_id, activity_id=activity_id).first()
    activity: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if found is not None and found.definition:
        activity["definition"] = found.definition
    return activity
