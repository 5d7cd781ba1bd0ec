"""Pages of certification and nominations: submit, the experts' queue and review form, the
public certificate, and the provincial library's nominations."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.view_helpers import domain_errors, service_call
from openvet.resources import permissions as perms
from openvet.resources import selectors, services
from openvet.resources.forms import ReviewForm
from openvet.resources.models import LibraryLevel
from openvet.resources.presenters import major_name
from openvet.resources.services.certification import certificate_is_genuine
from openvet.resources.views.common import page


@page
@require_POST
def certification_submit(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get_for(actor=request.user, resource_id=resource_id)
    outcome = service_call(
        request, lambda: services.certification_submit(actor=request.user, resource=resource)
    )
    if outcome.ok and outcome.value is not None:
        if outcome.value.status == "in_review":
            from django.contrib import messages

            messages.success(request, _("The automated checks passed; two experts will review it."))
        else:
            from django.contrib import messages

            messages.error(request, _("The automated checks refused the resource; see below."))
    return redirect("resources:detail", resource_id=resource.pk)


def _criteria() -> list[tuple[str, str]]:
    return [(c.key, _(c.label)) for c in services.rubric()]


@page
def review_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, perms.REVIEW)
    queue = list(selectors.review_queue_for(actor=request.user))
    return render(request, "resources/review_list.html", {"queue": queue})


@page
def review(request: HttpRequest, certification_id: int) -> HttpResponse:
    certification = selectors.review_certification_get_for(
        actor=request.user, certification_id=certification_id
    )
    form = ReviewForm(request.POST or None, criteria=_criteria())
    if request.method == "POST" and form.is_valid():
        outcome = service_call(
            request,
            lambda: services.review_submit(
                actor=request.user,
                certification=certification,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            ),
            form=form,
            success=_("Your review was recorded."),
        )
        if outcome.ok:
            return redirect("resources:review-list")
    resource = certification.resource
    return render(
        request,
        "resources/review_form.html",
        {
            "form": form,
            "certification": certification,
            "resource": resource,
            "files": list(certification.version.files.select_related("blob")),
            "major": major_name(resource.major_code),
        },
        status=422 if form.errors else 200,
    )


@domain_errors
def certificate(request: HttpRequest, certificate_id: str) -> HttpResponse:
    found = selectors.certificate_get(certificate_id=certificate_id[:40])
    return render(
        request,
        "resources/certificate.html",
        {
            "certification": found,
            "genuine": certificate_is_genuine(found),
            "level_label": LibraryLevel(found.level).label,
            "files": list(found.version.files.select_related("blob")),
        },
    )


@page
@require_POST
def nomination_create(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get_for(actor=request.user, resource_id=resource_id)
    service_call(
        request,
        lambda: services.nomination_create(actor=request.user, resource=resource),
        success=_("The resource was nominated to the library above."),
    )
    return redirect("resources:detail", resource_id=resource.pk)


@page
def nomination_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, perms.DECIDE_NOMINATION)
    nominations = list(selectors.nomination_list_for(actor=request.user))
    return render(request, "resources/nomination_list.html", {"nominations": nominations})


@page
@require_POST
def nomination_decide(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = selectors.nomination_get_for(actor=request.user, nomination_id=nomination_id)
    accept = request.POST.get("decision") == "accept"
    service_call(
        request,
        lambda: services.nomination_decide(
            actor=request.user, nomination=nomination, accept=accept
        ),
        success=_("Accepted into the library.") if accept else _("The nomination was declined."),
    )
    return redirect("resources:nomination-list")
