"""Teaching evaluation over the API: a student submits anonymous answers for a course."""

from django.http import HttpRequest
from ninja import Router, Status

from openvet.core.api.schemas import error_responses
from openvet.core.api.types import IdParam
from openvet.core.errors import NotFound
from openvet.teaching.api.schemas import EvaluationAnswersIn
from openvet.teaching.evaluation import selectors, services

router = Router(tags=["teaching evaluation"])


@router.post(
    "/evaluation-windows/{window_id}/tasks/{task_id}/responses",
    response={204: None, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="teaching_evaluation_response_create",
    summary="Submit your anonymous evaluation of a course",
)
def response_create(
    request: HttpRequest, window_id: IdParam, task_id: IdParam, payload: EvaluationAnswersIn
) -> Status[None]:
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
    return Status(204, None)
