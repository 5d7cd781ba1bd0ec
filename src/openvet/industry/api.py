"""Internship check-ins over the API: an intern's phone (or app) checks in with a bearer token
and lists its own check-ins. The service does every check: the placement in progress today,
the distance to the workplace, one check-in a day (ADR 0608)."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from openvet.core.api.pagination import PageIn, paginate
from openvet.core.api.schemas import FIELD_INVALID, LocalDatetime, PageOut, error_responses
from openvet.core.errors import PermissionDenied
from openvet.industry import selectors, services
from openvet.industry.models import CheckIn
from openvet.records.selectors import student_of_user

router = Router(tags=["internships"])


def _device_check(value: str) -> str:
    """A device identifier is printable text (no control characters, which PostgreSQL would
    refuse in a NUL and a list would show garbled)."""
    if any(not ch.isprintable() for ch in value):
        raise PydanticCustomError(
            FIELD_INVALID,
            "{message}",
            {"message": _("The device identifier holds characters that cannot be printed.")},
        )
    return value.strip()


Device = Annotated[str, Field(max_length=64), AfterValidator(_device_check)]


class CheckInIn(Schema):
    latitude: float = Field(ge=-90, le=90, allow_inf_nan=False, examples=[30.274085])
    longitude: float = Field(ge=-180, le=180, allow_inf_nan=False, examples=[120.15507])
    device: Device = Field(
        default="",
        description="A stable identifier of the phone (the app's installation id).",
        examples=["a1b2c3d4"],
    )


class CheckInOut(Schema):
    id: int
    placement_id: int
    at: LocalDatetime
    latitude: float
    longitude: float
    distance_m: int = Field(description="Distance from the workplace, in metres.")


def checkin_out(checkin: CheckIn) -> dict[str, Any]:
    return {
        "id": checkin.pk,
        "placement_id": checkin.placement_id,
        "at": checkin.at,
        "latitude": float(checkin.latitude),
        "longitude": float(checkin.longitude),
        "distance_m": checkin.distance_m,
    }


def _student(request: HttpRequest) -> Any:
    student = student_of_user(user=request.user)
    if student is None:
        raise PermissionDenied()
    return student


@router.post(
    "/checkins",
    response={201: CheckInOut, **error_responses(400, 401, 403, 409, 413, 422)},
    operation_id="industry_checkin_create",
    summary="Check in at your internship workplace (once a day, near the workplace)",
)
def checkin_create(request: HttpRequest, payload: CheckInIn) -> Status[dict[str, Any]]:
    checkin = services.checkin_record(
        actor=request.user,
        student=_student(request),
        latitude=payload.latitude,
        longitude=payload.longitude,
        device=payload.device,
    )
    return Status(201, checkin_out(checkin))


@router.get(
    "/checkins",
    response={200: PageOut[CheckInOut], **error_responses(401, 403, 422)},
    operation_id="industry_checkin_list",
    summary="Your internship check-ins, latest first",
)
def checkin_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    student = _student(request)
    return paginate(selectors.checkins_of_student(student), page, item=checkin_out)
