"""Pages of lesson plans (ADR 0707): a plan's three parts, adding units and activities, and
copying the plan into another course."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.view_helpers import form_page, page, service_call
from openvet.learning import forms, plan_services, selectors
from openvet.learning import permissions as perms


def _can_build(request: HttpRequest, course: Any) -> bool:
    access = selectors.access_of(actor=request.user, course=course)
    return perms.can_build_course(request.user, set(access.teacher_ids))


@page
def plan_create(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_get_for(actor=request.user, course_id=course_id)
    if not _can_build(request, course):
        raise PermissionDenied()
    form = forms.PlanForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: plan_services.plan_create(actor=request.user, course=course, **form.cleaned_data),
        done=lambda plan: redirect("learning:plan-detail", lesson_plan_id=plan.pk),
        template="learning/form_page.html",
        context=lambda: {
            "title": _("New lesson plan of %(course)s") % {"course": course.title},
            "submit": _("Create the lesson plan"),
            "back": ("learning:course-detail", course.pk),
        },
        success=_("The lesson plan was created."),
    )


@page
def plan_detail(request: HttpRequest, lesson_plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for(actor=request.user, plan_id=lesson_plan_id)
    course = plan.course
    can_build = _can_build(request, course)
    units = selectors.course_units(course)
    form = forms.PlanEntryForm(
        request.POST if request.method == "POST" else None,
        units=units,
        initial={"phase": request.GET.get("phase", "before")},
    )
    status = 200
    if request.method == "POST":
        if not can_build:
            raise PermissionDenied()
        if form.is_valid():
            outcome = service_call(
                request,
                lambda: plan_services.plan_entry_add(
                    actor=request.user, plan=plan, **form.cleaned_data
                ),
                form=form,
                success=_("Added to the lesson plan."),
            )
            if outcome.ok:
                return redirect("learning:plan-detail", lesson_plan_id=plan.pk)
        status = 422
    targets = selectors.copy_targets(actor=request.user, plan=plan) if can_build else []
    return render(
        request,
        "learning/plan_detail.html",
        {
            "plan": plan,
            "course": course,
            "parts": selectors.plan_parts(actor=request.user, plan=plan),
            "can_build": can_build,
            "form": form if can_build else None,
            "copy_form": forms.PlanCopyForm(courses=targets) if targets else None,
        },
        status=status,
    )


@page
@require_POST
def plan_copy(request: HttpRequest, lesson_plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for(actor=request.user, plan_id=lesson_plan_id)
    targets = selectors.copy_targets(actor=request.user, plan=plan)
    form = forms.PlanCopyForm(request.POST, courses=targets)
    if not form.is_valid():
        raise NotFound()
    course = next(c for c in targets if c.pk == form.cleaned_data["course_id"])
    outcome = service_call(
        request,
        lambda: plan_services.plan_copy(actor=request.user, plan=plan, course=course),
        success=_("The lesson plan and its units were copied into %(course)s.")
        % {"course": course.title},
    )
    if outcome.ok and outcome.value is not None:
        return redirect("learning:plan-detail", lesson_plan_id=outcome.value.pk)
    return redirect("learning:plan-detail", lesson_plan_id=plan.pk)
