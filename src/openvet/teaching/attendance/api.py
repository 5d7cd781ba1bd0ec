"""Attendance over the API: the phone signs in with the code (and its location)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from openvet.teaching.attendance import selectors, services

router = Router(tags=["attendance"])


class SignInIn(Schema):
    code: str
    latitude: float | None = None
    longitude: float | None = None


class RecordOut(Schema):
    session_id: int
    status: str
    distance_m: int | None


@router.post("/attendance-sessions/{session_id}/sign-in", response=RecordOut)
def sign_in(request: HttpRequest, session_id: int, payload: SignInIn) -> Any:
    session = selectors.session_get_for(actor=request.user, session_id=session_id)
    record = services.sign_in(
        actor=request.user,
        session=session,
        code=payload.code,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return {"session_id": session.pk, "status": record.status, "distance_m": record.distance_m}


@router.get("/attendance-records", response=list[RecordOut])
def my_records(request: HttpRequest, limit: int = 50) -> Any:
    records = selectors.my_records(actor=request.user)[: max(1, min(limit, 200))]
    return [
        {"session_id": r.session_id, "status": r.status, "distance_m": r.distance_m}
        for r in records
    ]
