"""Attendance over the API: the phone signs in with the code (and its location)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from openvet.core.api.pagination import PageIn, paginate
from openvet.core.api.schemas import PageOut, error_responses
from openvet.core.api.types import IdParam
from openvet.teaching.api.schemas import AttendanceRecordOut, AttendanceSignInIn
from openvet.teaching.attendance import selectors, services
from openvet.teaching.attendance.models import AttendanceRecord

router = Router(tags=["attendance"])


def record_out(record: AttendanceRecord) -> dict[str, Any]:
    return {
        "session_id": record.session_id,
        "status": record.status,
        "distance_m": record.distance_m,
    }


@router.post(
    "/attendance-sessions/{session_id}/sign-in",
    response={200: AttendanceRecordOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="teaching_attendance_sign_in",
    summary="Sign in to a lecture with its code (and your location)",
)
def sign_in(
    request: HttpRequest, session_id: IdParam, payload: AttendanceSignInIn
) -> dict[str, Any]:
    session = selectors.session_get_for(actor=request.user, session_id=session_id)
    record = services.sign_in(
        actor=request.user,
        session=session,
        code=payload.code,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return record_out(record)


@router.get(
    "/attendance-records",
    response={200: PageOut[AttendanceRecordOut], **error_responses(401, 422)},
    operation_id="teaching_attendance_record_list",
    summary="Your attendance records, newest first",
)
def attendance_record_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    return paginate(selectors.my_records(actor=request.user), page, item=record_out)
