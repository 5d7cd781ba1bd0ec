"""Course selection over the API: list offerings, select, drop, my selections, preferences."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from openvet.core.api.pagination import PageIn, paginate
from openvet.core.api.schemas import PageOut, error_responses
from openvet.core.api.types import IdParam
from openvet.teaching import selectors as teaching_selectors
from openvet.teaching.api.schemas import OfferingOut, PreferenceOut, PreferencesIn, SelectionOut
from openvet.teaching.selection import selectors, services
from openvet.teaching.selection.models import Offering, Selection

router = Router(tags=["course selection"])


def offering_out(offering: Offering) -> dict[str, Any]:
    return {
        "id": offering.pk,
        "term_id": offering.term_id,
        "task_id": offering.task_id,
        "course_code": offering.task.course.code,
        "course_name": offering.task.course.name,
        "capacity": offering.capacity,
        "taken": offering.taken,
        "seats_left": offering.seats_left,
        "prerequisites": list(offering.prerequisites),
    }


def selection_out(selection: Selection) -> dict[str, Any]:
    return {"id": selection.pk, "offering_id": selection.offering_id, "source": selection.source}


@router.get(
    "/terms/{term_id}/offerings",
    response={200: PageOut[OfferingOut], **error_responses(401, 404, 422)},
    operation_id="teaching_offering_list",
    summary="The course offerings of a term you may select from",
)
def offering_list(request: HttpRequest, term_id: IdParam, page: Query[PageIn]) -> dict[str, Any]:
    term = teaching_selectors.term_get_for(actor=request.user, term_id=term_id)
    queryset = selectors.offering_list_for(actor=request.user, term=term)
    return paginate(queryset, page, item=offering_out)


@router.post(
    "/offerings/{offering_id}/select",
    response={200: SelectionOut, **error_responses(401, 403, 404, 409, 422)},
    operation_id="teaching_offering_select",
    summary="Take a seat in a course offering",
)
def offering_select(request: HttpRequest, offering_id: IdParam) -> dict[str, Any]:
    offering = selectors.offering_get_for(actor=request.user, offering_id=offering_id)
    return selection_out(services.selection_create(actor=request.user, offering=offering))


@router.get(
    "/selections",
    response={200: PageOut[SelectionOut], **error_responses(401, 422)},
    operation_id="teaching_selection_list",
    summary="Your course selections",
)
def selection_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    return paginate(selectors.selection_list_for(actor=request.user), page, item=selection_out)


@router.post(
    "/selections/{selection_id}/drop",
    response={204: None, **error_responses(401, 403, 404, 409, 422)},
    operation_id="teaching_selection_drop",
    summary="Drop one of your course selections",
)
def selection_drop(request: HttpRequest, selection_id: IdParam) -> Status[None]:
    selection = selectors.selection_get_for(actor=request.user, selection_id=selection_id)
    services.selection_drop(actor=request.user, selection=selection)
    return Status(204, None)


@router.put(
    "/selection-rounds/{round_id}/preferences",
    response={200: list[PreferenceOut], **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="teaching_preferences_set",
    summary="Set your ranked preferences in a preference round",
)
def preferences_put(
    request: HttpRequest, round_id: IdParam, payload: PreferencesIn
) -> list[dict[str, Any]]:
    selection_round = selectors.round_get_for(actor=request.user, round_id=round_id)
    offerings = [
        selectors.offering_get_for(actor=request.user, offering_id=i) for i in payload.offering_ids
    ]
    chosen = services.preferences_set(
        actor=request.user, selection_round=selection_round, offerings=offerings
    )
    return [{"offering_id": p.offering_id, "rank": p.rank, "outcome": p.outcome} for p in chosen]
