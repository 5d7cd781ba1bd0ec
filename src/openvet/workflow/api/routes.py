"""Approvals over the API: my pending tasks, deciding one, an instance's trail, and the
process definitions of a school (read, and a new version)."""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from openvet.core.api.pagination import PageIn, paginate
from openvet.core.api.schemas import PageOut, error_responses
from openvet.core.api.types import IdParam
from openvet.workflow import selectors, services
from openvet.workflow.api.schemas import (
    ApprovalTaskDecideIn,
    ApprovalTaskOut,
    DefinitionFilterIn,
    DefinitionOut,
    DefinitionVersionCreateIn,
    InstanceOut,
)
from openvet.workflow.contracts import DefinitionInfo, StepSpec
from openvet.workflow.models import ProcessInstance, Task

router = Router(tags=["workflow"])


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


@router.get(
    "/approval-tasks",
    response={200: PageOut[ApprovalTaskOut], **error_responses(401, 422)},
    operation_id="workflow_approval_task_list",
    summary="List your pending approvals",
)
def approval_task_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    return paginate(selectors.task_list_for(actor=request.user), page, item=task_out)


@router.post(
    "/approval-tasks/{task_id}/decide",
    response={200: ApprovalTaskOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="workflow_approval_task_decide",
    summary="Approve, reject or return a task",
)
def approval_task_decide(
    request: HttpRequest, task_id: IdParam, payload: ApprovalTaskDecideIn
) -> dict[str, Any]:
    task = selectors.task_get_for(actor=request.user, task_id=task_id)
    task = services.task_decide(
        actor=request.user, task=task, decision=payload.decision, comment=payload.comment
    )
    return task_out(task)


@router.get(
    "/process-instances/{instance_id}",
    response={200: InstanceOut, **error_responses(401, 404, 422)},
    operation_id="workflow_process_instance_get",
    summary="A request and its approval trail",
)
def process_instance_get(request: HttpRequest, instance_id: IdParam) -> dict[str, Any]:
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
    response={200: PageOut[DefinitionOut], **error_responses(401, 403, 404, 422)},
    operation_id="process_definition_list",
    summary="Every process kind with the definition in force for a school",
)
def list_definitions(
    request: HttpRequest, filters: Query[DefinitionFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    """Without ``school_id``, the first school whose definitions you may see."""
    school = selectors.definition_school_for(actor=request.user, school_id=filters.school_id)
    infos = list(selectors.definitions_in_force(school=school))
    return paginate(infos, page, item=definition_out)


@router.get(
    "/process-definitions/{code}",
    response={200: DefinitionOut, **error_responses(401, 403, 404, 422)},
    operation_id="process_definition_get",
    summary="The definition of one process kind in force for a school",
)
def get_definition(
    request: HttpRequest, code: str, filters: Query[DefinitionFilterIn]
) -> dict[str, Any]:
    school = selectors.definition_school_for(actor=request.user, school_id=filters.school_id)
    return definition_out(selectors.definition_in_force(code=code, school=school))


@router.post(
    "/process-definitions/{code}/versions",
    response={201: DefinitionOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
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
