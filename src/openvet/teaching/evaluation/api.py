"""Teaching evaluation over the API: a student submits anonymous answers for a course."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from openvet.core.errors import NotFound
from openvet.teaching.evaluation import selectors, services

router = Router(tags=["teaching evaluation"])


class AnswersIn(Schema):
    answers: dict[str, int | str]


@router.post("/evaluation-windows/{window_id}/tasks/{task_id}/responses", response={204: None})
def respond(request: HttpRequest, window_id: int, task_id: int, payload: AnswersIn) -> Any:
    window = selectors.window_get_for(actor=request.user, window_id=window_id)
    task = next(
        (
            p["task"]
            for p in selectors.pending_tasks(actor=request.user, window=window)
            if p["task"].pk == task_id
        ),
        None,
    )
    if task is None:
        raise NotFound()
    services.response_submit(
        actor=request.user, window=window, task=task, answers=dict(payload.answers)
    )
    return 204, None
