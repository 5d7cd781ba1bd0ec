"""The iCalendar feed of a person's timetable and resetting its secret URL."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.teaching import selectors, services
from openvet.teaching.views.common import page

# iCalendar ------------------------------------------------------------------------------------


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed is read by calendar apps without a session: the secret token is the key."""
    user = services.ical.user_of_token(token)
    if user is None:
        raise Http404()
    terms = list(selectors.term_list_for(actor=user)[:4])
    text = services.calendar_feed(user=user, terms=terms)
    return HttpResponse(text, content_type="text/calendar; charset=utf-8")


@page
@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    services.feed_token_reset(actor=request.user)
    messages.success(request, _("A new calendar link was made; the old one no longer works."))
    return redirect("teaching:my-timetable")
