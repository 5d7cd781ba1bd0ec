"""Pages of the library: search with facets, my resources, add a resource, a resource."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core.models import OrgKind
from openvet.core.view_helpers import service_call
from openvet.lrs import services as lrs
from openvet.resources import selectors, services
from openvet.resources.forms import OfferForm, ResourceForm
from openvet.resources.models import (
    Audience,
    Difficulty,
    LibraryLevel,
    Licence,
    ResourceType,
    UsageAction,
)
from openvet.resources.path_selectors import path_list_for
from openvet.resources.permissions import (
    can_edit_resource,
    can_nominate_resource,
    in_own_school,
    reach_of,
)
from openvet.resources.presenters import facet_groups, major_name
from openvet.resources.previews import attach_thumbnails
from openvet.resources.services.nominations import next_level
from openvet.resources.services.resources import major_choices, require_add
from openvet.resources.views.common import page

PAGE_SIZE = 20
FILTERS = ("resource_type", "major_code", "level", "licence", "certified")


@page
def library(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    filters = {name: request.GET.get(name, "") for name in FILTERS}
    found = selectors.resource_search(
        actor=request.user, query=query, filters=filters, limit=PAGE_SIZE
    )
    attach_thumbnails(found.resources)
    major = filters["major_code"]
    return render(
        request,
        "resources/library.html",
        {
            "major": major_name(major) if major else "",
            "paths": list(path_list_for(actor=request.user, major_code=major)[:20])
            if major
            else [],
            "query": query,
            "found": found,
            "facets": facet_groups(found.facets, filters, query),
            "filtered": any(filters.values()),
        },
    )


@page
def mine(request: HttpRequest) -> HttpResponse:
    require_add(request.user)
    resources = list(selectors.my_resource_list(actor=request.user))
    attach_thumbnails(resources)
    return render(request, "resources/mine.html", {"resources": resources})


@page
def resource_create(request: HttpRequest) -> HttpResponse:
    require_add(request.user)
    form = ResourceForm(request.POST or None, majors=major_choices())
    if request.method == "POST" and form.is_valid():
        contributors = [
            services.ContributorIn(name, "", Decimal(share)) for name, share in form.contributors()
        ]
        outcome = service_call(
            request,
            lambda: services.resource_create(
                actor=request.user,
                contributors=contributors,
                upload_keys=form.keys(),
                **form.metadata(),
            ),
            form=form,
        )
        if outcome.ok and outcome.value is not None:
            messages.success(request, _("The resource was saved as a draft."))
            return redirect("resources:detail", resource_id=outcome.value.pk)
    return render(
        request,
        "resources/resource_form.html",
        {"form": form, "contributor_rows": _contributor_rows(form)},
        status=422 if form.errors else 200,
    )


def _contributor_rows(form: ResourceForm) -> list[tuple[Any, Any]]:
    from openvet.resources.forms import CONTRIBUTOR_ROWS

    return [
        (form[f"contributor_{row}_name"], form[f"contributor_{row}_share"])
        for row in range(CONTRIBUTOR_ROWS)
    ]


@page
def resource_detail(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get_for(actor=request.user, resource_id=resource_id)
    services.resource_count_use(resource=resource)
    services.usage_record(resource=resource, actor=request.user, action=UsageAction.VIEW)
    lrs.record_learning_event(
        user_id=request.user.pk,
        verb="viewed",
        object_type="resources.resource",
        object_id=resource.pk,
    )
    certifications = selectors.certifications_of(resource)
    open_nomination = resource.nominations.filter(status="pending").first()
    upward = next_level(resource.level) if resource.level else None
    in_review = any(c.status == "in_review" for c in certifications)
    can_nominate = (
        can_nominate_resource(request.user, resource)
        and upward is not None
        and resource.certified_level == resource.level
        and open_nomination is None
    )
    may_certify = resource.status == "published" and not in_review
    harvested = selectors.harvested_record_of(resource)
    # A draft of an enterprise goes to its project's lead, not into a school library (ADR 0538).
    in_school = resource.org.kind == OrgKind.SCHOOL
    has_actions = (
        harvested is None
        and in_school
        and (
            resource.status in ("draft", "published")
            or (may_certify and resource.certified_level != resource.level)
            or can_nominate
            or open_nomination is not None
        )
    )
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "harvested": harvested,
            "files": selectors.resource_files(resource),
            "versions": list(resource.versions.all()),
            "contributors": list(resource.contributors.all()),
            "certifications": certifications,
            "major": major_name(resource.major_code),
            "type_label": ResourceType(resource.resource_type).label,
            "licence_label": Licence(resource.licence).label,
            "level_label": LibraryLevel(resource.level).label if resource.level else "",
            "difficulty_label": Difficulty(resource.difficulty).label,
            "audience_label": Audience(resource.audience).label,
            "can_edit": can_edit_resource(request.user, resource),
            "can_nominate": can_nominate,
            "has_actions": has_actions,
            "upward_label": LibraryLevel(upward).label if upward else "",
            "open_nomination": open_nomination,
            "in_review": in_review,
            **_licence_context(request, resource),
        },
    )


def _licence_context(request: HttpRequest, resource: Any) -> dict[str, Any]:
    """What the page says of the licence: may the reader open the files, which licence they
    hold, what is on sale, and (for its owner) the form to sell it."""
    paid = resource.licence == Licence.PAID
    may_open = selectors.has_access(actor=request.user, resource=resource)
    own_school = in_own_school(reach_of(request.user), resource.org)
    return {
        "is_paid": paid,
        "may_download": may_open,
        "licence_held": selectors.licence_held(actor=request.user, resource=resource)
        if paid
        else None,
        "offers": selectors.offers_on_sale(resource=resource) if paid else [],
        "may_buy": paid and not may_open and not own_school,
        "offer_form": OfferForm(initial={"valid_until": timezone.localdate() + timedelta(days=365)})
        if paid and can_edit_resource(request.user, resource)
        else None,
    }


@page
@require_POST
def resource_publish(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get_for(actor=request.user, resource_id=resource_id)
    service_call(
        request,
        lambda: services.resource_publish(actor=request.user, resource=resource),
        success=_("Published in the school library."),
    )
    return redirect("resources:detail", resource_id=resource.pk)


@page
@require_POST
def resource_add_version(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get_for(actor=request.user, resource_id=resource_id)
    keys = [k for k in request.POST.get("upload_keys", "").split(",") if k]
    service_call(
        request,
        lambda: services.resource_add_version(
            actor=request.user,
            resource=resource,
            upload_keys=keys,
            note=request.POST.get("note", "")[:200],
        ),
        success=_("A new version was saved."),
    )
    return redirect("resources:detail", resource_id=resource.pk)
