"""The libraries a provincial (or the national) library harvests over OAI-PMH (ADR 0512)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.errors import PermissionDenied
from openvet.core.view_helpers import form_page, service_call
from openvet.resources import permissions as perms
from openvet.resources import selectors
from openvet.resources.forms import HarvestSourceForm
from openvet.resources.services import harvest
from openvet.resources.views.common import page


@page
def harvest_list(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, perms.HARVEST):
        raise PermissionDenied()
    form = HarvestSourceForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: harvest.source_create(actor=request.user, **form.cleaned_data),
        done=lambda _source: redirect("resources:harvest-list"),
        template="resources/harvest_list.html",
        context=lambda: {"sources": selectors.harvest_source_list_for(actor=request.user)},
        success=_("The library was added; it is harvested within the hour, or now on request."),
    )


@require_POST
@page
def harvest_now(request: HttpRequest, source_id: int) -> HttpResponse:
    source = selectors.harvest_source_get_for(actor=request.user, source_id=source_id)
    service_call(
        request,
        lambda: harvest.source_harvest_request(actor=request.user, source=source),
        success=_("Harvesting started; the counts below show its outcome."),
    )
    return redirect("resources:harvest-list")
