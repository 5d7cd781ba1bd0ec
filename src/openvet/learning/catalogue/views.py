"""Pages of self-enrolment (ADR 0759-0760): the catalogue of open courses and a course's
public page (both open to signed-out visitors), enrolling and leaving, and the teacher's
enrolment settings with the list of self-enrolled learners."""

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openvet.core.errors import PermissionDenied
from openvet.core.view_helpers import domain_errors, form_page, page, service_call
from openvet.learning import permissions as perms
from openvet.learning import selectors as learning
from openvet.learning.catalogue import forms, selectors, services


@require_GET
@domain_errors
def catalogue(request: HttpRequest) -> HttpResponse:
    """课程广场: the open courses the visitor may see, searched by title, by school or major."""
    everything = selectors.catalogue_for(actor=request.user)
    form = forms.CatalogueFilterForm(
        request.GET or None, places=[(p.id, p.name) for p in everything.places]
    )
    listing = everything
    status = 200
    if request.GET:
        if form.is_valid():
            listing = selectors.catalogue_for(
                actor=request.user,
                query=form.cleaned_data["q"] or "",
                place_id=form.cleaned_data["place"],
            )
        else:
            status = 400
    return render(
        request,
        "learning/catalogue/catalogue.html",
        {"listing": listing, "form": form},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@domain_errors
def course_public(request: HttpRequest, course_id: int) -> HttpResponse:
    """A course's public page; POST enrols (signed-out visitors are sent to sign in)."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    public = selectors.course_public(actor=request.user, course_id=course_id)
    form = forms.EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcome = service_call(
            request,
            lambda: services.enrol(
                actor=request.user, course=public.course, key=form.cleaned_data["key"]
            ),
            form=form,
            success=_("You are enrolled. Happy learning!"),
        )
        if outcome.ok:
            return redirect("learning:course-detail", course_id=public.course.pk)
    return render(
        request,
        "learning/catalogue/course_public.html",
        {"public": public, "form": form},
        status=422 if form.errors else 200,
    )


@page
@require_POST
def unenrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = learning.course_get_for(actor=request.user, course_id=course_id)
    outcome = service_call(
        request,
        lambda: services.unenrol(actor=request.user, course=course),
        success=_("You left the course. Your progress is kept if you enrol again."),
    )
    if outcome.ok:
        return redirect("learning:space")
    return redirect("learning:course-detail", course_id=course.pk)


def _teacher_course(request: HttpRequest, course_id: int) -> Any:
    course = learning.course_get_for(actor=request.user, course_id=course_id)
    access = learning.access_of(actor=request.user, course=course)
    if not perms.can_build_course(request.user, set(access.teacher_ids)):
        raise PermissionDenied()
    return course


@page
def enrolment_settings(request: HttpRequest, course_id: int) -> HttpResponse:
    """The teacher's enrolment settings and the self-enrolled learners."""
    course = _teacher_course(request, course_id)
    policy = selectors.policy_of(course)
    initial = (
        {
            "scope": policy.scope,
            "opens_at": policy.opens_at,
            "closes_at": policy.closes_at,
            "key": policy.key,
            "capacity": policy.capacity,
        }
        if policy is not None
        else {"capacity": 0}
    )
    form = forms.EnrolmentSettingsForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: services.enrolment_settings_save(
            actor=request.user, course=course, **form.cleaned_data
        ),
        done=lambda _p: redirect("learning:enrolment-settings", course_id=course.pk),
        template="learning/catalogue/settings.html",
        context=lambda: {
            "course": course,
            "policy": policy,
            "enrolments": selectors.enrolments_of(course),
        },
        success=_("The enrolment settings were saved."),
    )


@page
@require_POST
def enrolment_remove(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.enrolment_get_for(actor=request.user, enrolment_id=enrolment_id)
    service_call(
        request,
        lambda: services.enrolment_remove(actor=request.user, enrolment=enrolment),
        success=_("The learner was removed from the course; their progress is kept."),
    )
    return redirect("learning:enrolment-settings", course_id=enrolment.course_id)
