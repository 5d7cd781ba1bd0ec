"""Pages of the learning space (ADR 0755): my notes, favourites, certificates and portfolio
links; a unit's note and favourite; the public certificate and portfolio pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from openvet.core.view_helpers import domain_errors, page, service_call
from openvet.learning import selectors as learning
from openvet.learning.space import forms, selectors, services


@page
def my_space(request: HttpRequest) -> HttpResponse:
    space = selectors.space_of(actor=request.user)
    form = forms.PortfolioForm(request.POST or None, space=space)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            outcome = service_call(
                request,
                lambda: services.portfolio_share(
                    actor=request.user,
                    title=data["title"],
                    course_ids=data["course_ids"],
                    certificate_ids=data["certificate_ids"],
                    attempt_ids=data["attempt_ids"],
                ),
                form=form,
                success=_("The portfolio link was made. Anyone with it can read the chosen items."),
            )
            if outcome.ok:
                return redirect("learning:my-space")
        status = 422
    return render(request, "learning/space/me.html", {"space": space, "form": form}, status=status)


@page
@require_POST
def note_save(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = learning.unit_get_for(actor=request.user, unit_id=unit_id)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        service_call(
            request,
            lambda: services.note_save(
                actor=request.user, unit=unit, text=form.cleaned_data["text"]
            ),
            form=form,
            success=_("Your note was saved."),
        )
    return redirect("learning:unit-detail", unit_id=unit.pk)


@page
@require_POST
def favourite_set(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = learning.unit_get_for(actor=request.user, unit_id=unit_id)
    on = request.POST.get("on") == "1"
    service_call(
        request,
        lambda: services.favourite_set(actor=request.user, unit=unit, on=on),
        success=_("Added to your favourites.") if on else _("Removed from your favourites."),
    )
    return redirect("learning:unit-detail", unit_id=unit.pk)


@page
@require_POST
def certificate_claim(request: HttpRequest, course_id: int) -> HttpResponse:
    course = learning.course_get_for(actor=request.user, course_id=course_id)
    outcome = service_call(
        request,
        lambda: services.certificate_issue(actor=request.user, course=course),
        success=_("Your certificate was issued."),
    )
    if outcome.ok and outcome.value is not None:
        return redirect("learning:certificate", code=outcome.value.code)
    return redirect("learning:my-space")


@page
@require_POST
def portfolio_revoke(request: HttpRequest, link_id: int) -> HttpResponse:
    service_call(
        request,
        lambda: services.portfolio_revoke(actor=request.user, link_id=link_id),
        success=_("The link was revoked: its address no longer opens."),
    )
    return redirect("learning:my-space")


@require_GET
@domain_errors
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone can check a certificate by its code; the name is masked."""
    found = selectors.certificate_public(code)
    return render(
        request,
        "learning/space/certificate.html",
        {"certificate": found, "name": selectors.mask_name(str(found.user.full_name))},
    )


@require_GET
@domain_errors
def portfolio(request: HttpRequest, token: str) -> HttpResponse:
    """Public, read only: the items the learner chose; 404 once the link is revoked."""
    shown = selectors.portfolio_public(token)
    response = render(request, "learning/space/portfolio.html", {"portfolio": shown})
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response
