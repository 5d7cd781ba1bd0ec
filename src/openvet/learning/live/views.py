"""Pages of the live in-class mode: start from the course page, the classroom screen (join QR,
live chart, bullet comments, random call, raised hands), joining by code or QR, the phone
page, and the record of a class kept with the course. The pages load the state through the
WebSocket (``consumers``); these views only check who may see them."""

from typing import Any

import segno
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openvet.core.errors import NotFound
from openvet.core.view_helpers import page, service_call
from openvet.learning import selectors as course_selectors
from openvet.learning.live import selectors, services
from openvet.learning.live.models import LiveSession


def course_card(actor: Any, course: Any, access: Any) -> dict[str, Any]:
    """What the course page shows of live classes: start or rejoin, and past classes."""
    if not (access.is_teacher or access.is_learner):
        return {}
    return {
        "live_running": selectors.running_of(course=course),
        "live_history": list(selectors.history_of(course=course)[:20]) if access.is_teacher else [],
    }


def _socket_path(live: LiveSession) -> str:
    return f"/ws/learning/live/{live.pk}/"


@require_POST
@page
def live_start(request: HttpRequest, course_id: int) -> HttpResponse:
    course = course_selectors.course_get_for(actor=request.user, course_id=course_id)
    outcome = service_call(request, lambda: services.live_start(actor=request.user, course=course))
    if not outcome.ok or outcome.value is None:
        return redirect("learning:course-detail", course_id=course.pk)
    return redirect("learning:live-screen", live_id=outcome.value.pk)


@page
def live_screen(request: HttpRequest, live_id: int) -> HttpResponse:
    """The classroom screen: for the course's teachers only."""
    view = selectors.live_get_for(actor=request.user, live_id=live_id)
    if not view.is_teacher:
        raise NotFound()
    live = view.live
    if not live.is_running:
        return redirect("learning:live-record", live_id=live.pk)
    join_url = request.build_absolute_uri(reverse("learning:live-join")) + f"?code={live.code}"
    # segno writes plain SVG elements with attributes only (no script or style): CSP-safe.
    qr = segno.make(join_url, error="m").svg_inline(scale=6, dark="#000", light="#fff")
    return render(
        request,
        "learning/live/screen.html",
        {"live": live, "join_url": join_url, "qr": qr, "socket": _socket_path(live)},
    )


@page
def live_join(request: HttpRequest) -> HttpResponse:
    """Join by the code on the screen (the QR opens this page with the code filled in)."""
    code = (request.POST.get("code") or request.GET.get("code") or "").strip()[:12]
    error = ""
    if request.method == "POST":
        outcome = service_call(
            request, lambda: services.live_join(actor=request.user, code=code), show=False
        )
        if outcome.ok and outcome.value is not None:
            live = outcome.value
            if selectors.is_teacher(request.user, live):
                return redirect("learning:live-screen", live_id=live.pk)
            return redirect("learning:live-phone", live_id=live.pk)
        error = next(iter(outcome.errors.values()), "")
    return render(
        request,
        "learning/live/join.html",
        {"code": code, "error": error},
        status=422 if error else 200,
    )


@require_POST
@page
def live_follow(request: HttpRequest, live_id: int) -> HttpResponse:
    """Follow the class from elsewhere (ADR 0745): for the course's learners, without the
    code; not counted as present. Another school's or class's learner gets 404."""
    view = selectors.live_get_for(actor=request.user, live_id=live_id)
    if view.is_teacher:
        return redirect("learning:live-screen", live_id=view.live.pk)
    outcome = service_call(
        request, lambda: services.live_follow(actor=request.user, live=view.live)
    )
    if not outcome.ok:
        return redirect("learning:course-detail", course_id=view.live.course_id)
    return redirect("learning:live-phone", live_id=view.live.pk)


@page
def live_phone(request: HttpRequest, live_id: int) -> HttpResponse:
    """A learner's phone in class; one who has not joined goes to the join page first."""
    view = selectors.live_get_for(actor=request.user, live_id=live_id)
    if view.is_teacher:
        return redirect("learning:live-screen", live_id=view.live.pk)
    if not selectors.has_joined(actor=request.user, live=view.live):
        return redirect("learning:live-join")
    participant = selectors.participant_of(actor=request.user, live=view.live)
    return render(
        request,
        "learning/live/phone.html",
        {
            "live": view.live,
            "socket": _socket_path(view.live),
            "remote": bool(participant and participant.remote),
        },
    )


@page
def live_record(request: HttpRequest, live_id: int) -> HttpResponse:
    """What happened in a class: who joined, each question's answers, the comments."""
    view = selectors.live_get_for(actor=request.user, live_id=live_id)
    if not view.is_teacher:
        raise NotFound()
    return render(
        request,
        "learning/live/record.html",
        {"live": view.live, "record": selectors.record_of(view.live)},
    )


@require_POST
@page
def live_slides_upload(request: HttpRequest, live_id: int) -> HttpResponse:
    """The teacher's deck for this class (images); phones are sent its first slide."""
    view = selectors.live_get_for(actor=request.user, live_id=live_id)
    if not view.is_teacher:
        raise NotFound()
    live = view.live
    files = request.FILES.getlist("slides")
    outcome = service_call(
        request, lambda: services.slides_upload(actor=request.user, live=live, files=files)
    )
    if outcome.ok:
        live.refresh_from_db()
        async_to_sync(get_channel_layer().group_send)(
            f"live-{live.pk}", {"type": "live.event", "data": selectors.slide_message(live)}
        )
    return redirect("learning:live-screen", live_id=live.pk)


@page
def live_slide(request: HttpRequest, live_id: int, number: int) -> HttpResponseBase:
    """A slide's image, for the course's teachers and the learners who joined."""
    slide = selectors.slide_get_for(actor=request.user, live_id=live_id, number=number)
    response = FileResponse(slide.image.open("rb"), content_type=slide.content_type)
    response["Cache-Control"] = "private, max-age=300"
    return response
