"""Pages of timetable adjustments and the notices they send."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openvet.core.errors import NotFound
from openvet.teaching import selectors, services
from openvet.teaching.forms import AdjustmentForm
from openvet.teaching.permissions import REQUEST_ADJUSTMENT
from openvet.teaching.services.publish import change_line
from openvet.teaching.views.common import can, form_page, page, task_label


@page
def adjustment_list(request: HttpRequest, term_id: int) -> HttpResponse:
    term = selectors.term_get_for(actor=request.user, term_id=term_id)
    tasks = selectors.task_list_for(actor=request.user, term=term)
    if not selectors.is_staff_of(request.user, term.org):
        raise NotFound()
    rooms = [(r.pk, str(r)) for r in selectors.room_list_for(actor=request.user, school=term.org)]
    form = AdjustmentForm(
        request.POST or None, rooms=rooms, tasks=[(t.pk, task_label(t)) for t in tasks]
    )

    def request_adjustment() -> Any:
        data = dict(form.cleaned_data)
        task = selectors.task_get_for(actor=request.user, task_id=data.pop("task"))
        room_id = data.pop("new_room")
        data["new_room"] = (
            selectors.room_get_for(actor=request.user, room_id=room_id) if room_id else None
        )
        return services.adjustment_request(actor=request.user, task=task, **data)

    return form_page(
        request,
        form,
        request_adjustment,
        done=lambda _adjustment: redirect("teaching:adjustment-list", term_id=term.pk),
        success=_("The request was sent for approval."),
        template="teaching/adjustment_list.html",
        context=lambda: {
            "term": term,
            "adjustments": selectors.adjustment_list_for(actor=request.user, term=term),
            "can_request": bool(tasks) or can(request, REQUEST_ADJUSTMENT, term.org),
        },
    )


@page
def notice_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notices: adjustments, and each published timetable with their
    own changes lesson by lesson."""
    notices = [
        (notice, [change_line(c) for c in notice.changes])
        for notice in selectors.notices_for(user=request.user)[:100]
    ]
    services.notice_mark_read(actor=request.user)
    return render(request, "teaching/notice_list.html", {"notices": notices})
