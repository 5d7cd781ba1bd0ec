"""The shape of the whole API, checked on the live schema (ADR 0014).

Every operation: a path of the form ``/api/v1/<app>/<plural-kebab-nouns>/...``, an explicit
operation id, a summary, a tag, every error status it can answer documented in the one error
shape; every list paged with a capped ``limit`` and a bounded ``offset``; and no two schemas
sharing a component name (Ninja would silently document one under the other's name).
"""

import json
import re
from typing import Any, get_args

import pytest
from ninja import NinjaAPI
from pydantic import BaseModel

from openvet.config.api import api
from openvet.core.api.pagination import MAX_LIMIT, MAX_OFFSET
from openvet.identity.api.auth import session_or_token

PREFIX = "/api/v1/"
# The app segments: one per app that has an API.
APPS = frozenset({"core", "identity", "industry", "records", "resources", "teaching", "workflow"})
# Nouns whose plural does not end in "s".
IRREGULAR_PLURALS = frozenset({"staff"})
# Stand-ins for an id: the caller's own record, or the caller's current session.
SINGLETONS = frozenset({"me", "current"})
# State changes, as a last segment after an id (POST only).
ACTIONS = frozenset(
    {"decide", "drop", "generate-tasks", "publish", "select", "sign-in", "withdraw"}
)
KEBAB = re.compile(r"^[a-z]+(-[a-z]+)*$")
PARAMETER = re.compile(r"^\{[a-z_]+\}$")


def path_problems(path: str, method: str) -> list[str]:
    """What is wrong with one path of the API; an empty list when it follows the rule."""
    if not path.startswith(PREFIX):
        return [f"{path}: not under {PREFIX}"]
    app, *segments = path.removeprefix(PREFIX).split("/")
    problems = [] if app in APPS else [f"{path}: {app!r} is not an app segment"]
    if not segments:
        return [*problems, f"{path}: no resource after the app"]
    previous = "app"
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if PARAMETER.match(segment) or segment in SINGLETONS:
            ok, kind = previous == "collection", "id"
        elif segment in ACTIONS and last and method == "post" and previous == "id":
            ok, kind = True, "action"
        else:
            plural = segment.endswith("s") or segment.split("-")[-1] in IRREGULAR_PLURALS
            ok, kind = (
                bool(KEBAB.match(segment)) and plural and previous != "collection",
                "collection",
            )
        if not ok:
            problems.append(f"{path}: {segment!r} breaks the rule")
        previous = kind
    return problems


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    # Through JSON, as a client reads it (status codes become strings).
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix=PREFIX), default=str))


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/records/students/{student_id}", "get"),
        ("/api/v1/records/status-changes/{change_id}/withdraw", "post"),
        ("/api/v1/records/staff", "get"),
        ("/api/v1/identity/users/me", "get"),
        ("/api/v1/identity/sessions/current", "delete"),
        ("/api/v1/teaching/evaluation-windows/{window_id}/tasks/{task_id}/responses", "post"),
    ],
)
def test_the_rule_accepts_plural_kebab_nouns_ids_and_actions(path: str, method: str) -> None:
    assert path_problems(path, method) == []


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/students", "get"),  # no app segment
        ("/api/v1/records/student/{student_id}", "get"),  # singular
        ("/api/v1/records/status_changes", "get"),  # snake case
        ("/api/v1/records/statusChanges", "get"),  # camel case
        ("/api/v1/teaching/terms/{term_id}/tasks/generate", "post"),  # action after a collection
        ("/api/v1/records/status-changes/{change_id}/withdraw", "get"),  # action on a GET
        ("/api/v1/teaching/me/lectures", "get"),  # "me" without a collection
        ("/api/v1/records/students/staff", "get"),  # two collections in a row
        ("/api/v1/auth/login", "post"),  # not an app
    ],
)
def test_the_rule_refuses_other_paths(path: str, method: str) -> None:
    assert path_problems(path, method) != []


def test_every_path_follows_the_url_rule(schema: dict[str, Any]) -> None:
    problems = [
        problem
        for path, method, _operation in _operations(schema)
        for problem in path_problems(path, method)
    ]
    assert problems == []


def _error_statuses_needed(path: str, method: str, operation: dict[str, Any]) -> set[str]:
    needed = set()
    security = operation.get("security")
    if security and {} not in security:
        needed.add("401")
        if method != "get":
            needed.add("403")  # a read-only token, or a session without its CSRF token
    if "{" in path:
        needed.add("404")
    if operation.get("parameters") or operation.get("requestBody"):
        needed.add("422")
    if operation.get("requestBody"):
        needed |= {"400", "413"}  # a body that is not JSON, or too large
    return needed


def operation_problems(schema: dict[str, Any]) -> list[str]:
    """Operations without an explicit id, a summary, a tag or their documented errors."""
    problems = []
    for path, method, operation in _operations(schema):
        where = f"{method.upper()} {path}"
        operation_id = operation.get("operationId", "")
        if not operation_id or operation_id.startswith("openvet_"):
            problems.append(f"{where}: no explicit operation_id")
        summary = operation.get("summary", "")
        if not summary or summary == summary.title():
            problems.append(f"{where}: no written summary")
        if not operation.get("tags"):
            problems.append(f"{where}: no tag")
        responses = operation["responses"]
        missing = _error_statuses_needed(path, method, operation) - set(responses)
        if missing:
            problems.append(f"{where}: undocumented errors {sorted(missing)}")
        for status, response in responses.items():
            if status.startswith("4"):
                ref = response["content"]["application/json"]["schema"].get("$ref", "")
                if ref != "#/components/schemas/ErrorOut":
                    problems.append(f"{where}: {status} is not in the error shape")
    return problems


def test_every_operation_is_named_summarised_and_documents_its_errors(
    schema: dict[str, Any],
) -> None:
    assert operation_problems(schema) == []


def test_an_undocumented_route_is_found() -> None:
    from ninja import Router

    router = Router()

    @router.patch("/things/{thing_id}", response={200: None})
    def change_thing(request: Any, thing_id: int) -> None:
        return None

    bare = NinjaAPI(urls_namespace="contract-probe", auth=session_or_token)
    bare.add_router("/records", router)
    probe = json.loads(json.dumps(bare.get_openapi_schema(path_prefix=PREFIX), default=str))

    assert operation_problems(probe) == [
        "PATCH /api/v1/records/things/{thing_id}: no explicit operation_id",
        "PATCH /api/v1/records/things/{thing_id}: no written summary",
        "PATCH /api/v1/records/things/{thing_id}: no tag",
        "PATCH /api/v1/records/things/{thing_id}: undocumented errors ['401', '403', '404', '422']",
    ]


def _is_list(operation: dict[str, Any], schema: dict[str, Any]) -> bool:
    ok = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
    body = ok.get("schema", {})
    if body.get("type") == "array":
        return True
    ref = body.get("$ref", "").rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"].get(ref, {}).get("properties", {})
    return set(properties) == {"count", "items"}


def test_every_list_is_paged_with_a_capped_limit(schema: dict[str, Any]) -> None:
    lists = [
        (path, operation)
        for path, method, operation in _operations(schema)
        if method == "get" and _is_list(operation, schema)
    ]
    assert len(lists) >= 15
    problems = []
    for path, operation in lists:
        query = {
            p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "query"
        }
        limit, offset = query.get("limit", {}), query.get("offset", {})
        if (limit.get("minimum"), limit.get("maximum")) != (1, MAX_LIMIT):
            problems.append(f"{path}: limit {limit}")
        if (offset.get("minimum"), offset.get("maximum")) != (0, MAX_OFFSET):
            problems.append(f"{path}: offset {offset}")
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        if body.get("type") == "array":
            problems.append(f"{path}: a bare array, not a page")
    assert problems == []


def _models_in(annotation: Any, found: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
        return
    for argument in get_args(annotation):
        _models_in(argument, found)


def api_models(ninja_api: NinjaAPI) -> set[type[BaseModel]]:
    """Every pydantic model an operation of the API reads or answers, nested ones included."""
    found: set[type[BaseModel]] = set()
    for _prefix, router in ninja_api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    _models_in(model, found)
    return found


def component_name_clashes(models: set[type[BaseModel]]) -> dict[str, list[str]]:
    by_name: dict[str, list[str]] = {}
    for model in models:
        by_name.setdefault(model.__name__, []).append(f"{model.__module__}.{model.__qualname__}")
    return {name: sorted(paths) for name, paths in by_name.items() if len(paths) > 1}


def test_no_two_schemas_share_a_component_name() -> None:
    models = api_models(api)
    assert len(models) > 40
    # Ninja's own parameter wrappers are named after the operation; only ours can clash.
    ours = {model for model in models if model.__module__.startswith("openvet.")}
    assert component_name_clashes(ours) == {}


def test_a_clash_is_found() -> None:
    def model(module: str) -> type[BaseModel]:
        return type("TaskOut", (BaseModel,), {"__module__": module, "__annotations__": {"id": int}})

    teaching, workflow = model("openvet.teaching.api"), model("openvet.workflow.api")

    assert component_name_clashes({teaching, workflow}) == {
        "TaskOut": ["openvet.teaching.api.TaskOut", "openvet.workflow.api.TaskOut"]
    }
