"""Approvals over the API: my pending tasks, deciding one, an instance's trail, and the
process definitions of a school (read, and a new version)."""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from openvet.core.api.schemas import error_responses
from openvet.workflow import selectors, services
from openvet.workflow.api.schemas import (
    DefinitionList,
    DefinitionOut,
    DefinitionVersionCreateIn,
    InstanceOut,
    TaskDecideIn,
    TaskOut,
    TaskPage,
)
from openvet.workflow.contracts import DefinitionInfo, StepSpec
from openvet.workflow.models import ProcessInstance, Task

router = Router(tags=["workflow"])
MAX_LIMIT = 100


def task_out(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "instance_id": task.instance_id,
        "title": task.instance.title,
        "process": task.instance.code,
        "step_order": task.step_order,
        "step_name": task.step_name,
        "role": task.role,
        "status": task.status,
        "due_at": task.due_at,
        "decided_at": task.decided_at,
        "comment": task.comment,
    }


def instance_out(instance: ProcessInstance) -> dict[str, Any]:
    return {
        "id": instance.pk,
        "code": instance.code,
        "title": instance.title,
        "status": instance.status,
        "current_step": instance.current_step,
        "subject_type": instance.subject_type,
        "subject_id": instance.subject_id,
        "created_at": instance.created_at,
        "finished_at": instance.finished_at,
        "tasks": [task_out(t) for t in selectors.instance_tasks(instance)],
    }


@router.get("/approval-tasks", response=TaskPage, summary="My pending approvals")
def list_tasks(
    request: HttpRequest, limit: Query[int] = 20, offset: Query[int] = 0
) -> dict[str, Any]:
    tasks = selectors.task_list_for(actor=request.user)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    return {"count": tasks.count(), "items": [task_out(t) for t in tasks[offset : offset + limit]]}


@router.post(
    "/approval-tasks/{task_id}/decide", response=TaskOut, summary="Approve, reject or return a task"
)
def decide_task(request: HttpRequest, task_id: int, payload: TaskDecideIn) -> dict[str, Any]:
    task = selectors.task_get_for(actor=request.user, task_id=task_id)
    task = services.task_decide(
        actor=request.user, task=task, decision=payload.decision, comment=payload.comment
    )
    return task_out(task)


@router.get(
    "/process-instances/{instance_id}",
    response=InstanceOut,
    summary="A request and its approval trail",
)
def get_instance(request: HttpRequest, instance_id: int) -> dict[str, Any]:
    instance = selectors.instance_get_for(actor=request.user, instance_id=instance_id)
    return instance_out(instance)


def definition_out(info: DefinitionInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "code": info.code,
        "label": str(info.label),
        "version": info.version,
        "school_id": info.school_id,
        "steps": [asdict(step) for step in info.steps],
    }


@router.get(
    "/process-definitions",
    response={200: DefinitionList, **error_responses(401, 403, 404)},
    operation_id="process_definition_list",
    summary="Every process kind with the definition in force for a school",
)
def list_definitions(request: HttpRequest, school_id: Query[int | None] = None) -> dict[str, Any]:
    """Without ``school_id``, the first school whose definitions you may see."""
    school = selectors.definition_school_for(actor=request.user, school_id=school_id)
    items = [definition_out(info) for info in selectors.definitions_in_force(school=school)]
    return {"count": len(items), "items": items}


@router.get(
    "/process-definitions/{code}",
    response={200: DefinitionOut, **error_responses(401, 403, 404)},
    operation_id="process_definition_get",
    summary="The definition of one process kind in force for a school",
)
def get_definition(
    request: HttpRequest, code: str, school_id: Query[int | None] = None
) -> dict[str, Any]:
    school = selectors.definition_school_for(actor=request.user, school_id=school_id)
    return definition_out(selectors.definition_in_force(code=code, school=school))


@router.post(
    "/process-definitions/{code}/versions",
    response={201: DefinitionOut, **error_responses(401, 403, 404, 409, 422)},
    operation_id="process_definition_version_create",
    summary="Put a new version of a process in force for a school",
)
def create_definition_version(
    request: HttpRequest, code: str, payload: DefinitionVersionCreateIn
) -> Status[dict[str, Any]]:
    """Requests already running keep the version they started with."""
    school = selectors.definition_school_get_for(actor=request.user, school_id=payload.school_id)
    selectors.definition_in_force(code=code, school=school)  # 404 for an unknown kind
    services.definition_create(
        actor=request.user,
        code=code,
        school=school,
        steps=[
            StepSpec(**{**step.model_dump(), "roles": tuple(step.roles)}) for step in payload.steps
        ],
        based_on_id=payload.based_on_id,
    )
    return Status(201, definition_out(selectors.definition_in_force(code=code, school=school)))
