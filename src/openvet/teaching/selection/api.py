"""Course selection over the API: list offerings, select, drop, my selections, preferences."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from openvet.teaching import selectors as teaching_selectors
from openvet.teaching.selection import selectors, services
from openvet.teaching.selection.models import Offering, Selection

router = Router(tags=["course selection"])


class OfferingOut(Schema):
    id: int
    term_id: int
    task_id: int
    course_code: str
    course_name: str
    capacity: int
    taken: int
    seats_left: int
    prerequisites: list[str]


class OfferingPage(Schema):
    count: int
    items: list[OfferingOut]


class SelectionOut(Schema):
    id: int
    offering_id: int
    source: str


class SelectionPage(Schema):
    count: int
    items: list[SelectionOut]


class PreferencesIn(Schema):
    offering_ids: list[int]


class PreferenceOut(Schema):
    offering_id: int
    rank: int
    outcome: str


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


@router.get("/terms/{term_id}/offerings", response=OfferingPage)
def offering_list(request: HttpRequest, term_id: int, limit: int = 50, offset: int = 0) -> Any:
    term = teaching_selectors.term_get_for(actor=request.user, term_id=term_id)
    queryset = selectors.offering_list_for(actor=request.user, term=term)
    start, end = max(0, offset), max(0, offset) + max(1, min(limit, 200))
    return {"count": queryset.count(), "items": [offering_out(o) for o in queryset[start:end]]}


@router.post("/offerings/{offering_id}/select", response=SelectionOut)
def offering_select(request: HttpRequest, offering_id: int) -> Any:
    offering = selectors.offering_get_for(actor=request.user, offering_id=offering_id)
    return selection_out(services.selection_create(actor=request.user, offering=offering))


@router.get("/selections", response=SelectionPage)
def selection_list(request: HttpRequest) -> Any:
    items = list(selectors.selection_list_for(actor=request.user))
    return {"count": len(items), "items": [selection_out(s) for s in items]}


@router.post("/selections/{selection_id}/drop", response={204: None})
def selection_drop(request: HttpRequest, selection_id: int) -> Any:
    selection = selectors.selection_get_for(actor=request.user, selection_id=selection_id)
    services.selection_drop(actor=request.user, selection=selection)
    return 204, None


@router.put("/selection-rounds/{round_id}/preferences", response=list[PreferenceOut])
def preferences_put(request: HttpRequest, round_id: int, payload: PreferencesIn) -> Any:
    selection_round = selectors.round_get_for(actor=request.user, round_id=round_id)
    offerings = [
        selectors.offering_get_for(actor=request.user, offering_id=i) for i in payload.offering_ids
    ]
    chosen = services.preferences_set(
        actor=request.user, selection_round=selection_round, offerings=offerings
    )
    return [{"offering_id": p.offering_id, "rank": p.rank, "outcome": p.outcome} for p in chosen]
