"""Approvals over the API: my pending tasks, deciding one, an instance's trail."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from openvet.workflow import selectors, services
from openvet.workflow.api.schemas import InstanceOut, TaskDecideIn, TaskOut, TaskPage
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
