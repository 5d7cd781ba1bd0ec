"""Pages of talent-training programmes (人才培养方案) and their courses."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openvet.core.selectors import org_school_get
from openvet.core.view_helpers import service_call
from openvet.teaching import selectors, services
from openvet.teaching.forms import (
    NewVersionForm,
    ProgrammeCourseForm,
    ProgrammeForm,
)
from openvet.teaching.permissions import MANAGE_PROGRAMME
from openvet.teaching.views.common import can, form_page, page


def _major_choices(request: HttpRequest) -> list[tuple[int, str]]:
    return [
        (m.pk, m.name)
        for m in selectors.majors_for(actor=request.user, capability=MANAGE_PROGRAMME)
    ]


@page
def programme_list(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, majors=_major_choices(request))
    if request.method == "POST" and form.is_valid():
        major = selectors.major_get_for(
            actor=request.user, major_id=form.cleaned_data["major"], capability=MANAGE_PROGRAMME
        )
        programme = (
            major
            and service_call(
                request,
                lambda: services.programme_create(
                    actor=request.user,
                    major=major,
                    intake_year=form.cleaned_data["intake_year"],
                    name=form.cleaned_data["name"],
                ),
                form=form,
            ).value
        )
        if programme:
            return redirect("teaching:programme-detail", programme_id=programme.pk)
    return render(
        request,
        "teaching/programme_list.html",
        {
            "programmes": selectors.programme_list_for(actor=request.user),
            "form": form,
            "can_add": bool(_major_choices(request)),
        },
        status=422 if form.errors else 200,
    )


@page
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = selectors.programme_get_for(actor=request.user, programme_id=programme_id)
    school = org_school_get(org=programme.org, field="org")
    courses = [(c.pk, str(c)) for c in selectors.course_list_for(actor=request.user, school=school)]
    form = ProgrammeCourseForm(request.POST or None, courses=courses)

    def add_course() -> Any:
        data = dict(form.cleaned_data)
        course = selectors.course_get_for(actor=request.user, course_id=data.pop("course"))
        return services.programme_course_add(
            actor=request.user, programme=programme, course=course, **data
        )

    return form_page(
        request,
        form,
        add_course,
        done=lambda _row: redirect("teaching:programme-detail", programme_id=programme.pk),
        template="teaching/programme_detail.html",
        context=lambda: {
            "programme": programme,
            "rows": selectors.programme_courses(programme),
            "version_form": NewVersionForm(),
            "can_manage": can(request, MANAGE_PROGRAMME, programme.org),
        },
    )


@page
@require_POST
def programme_new_version(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = selectors.programme_get_for(actor=request.user, programme_id=programme_id)
    form = NewVersionForm(request.POST)
    new = (
        form.is_valid()
        and service_call(
            request,
            lambda: services.programme_new_version(
                actor=request.user,
                programme=programme,
                intake_year=form.cleaned_data["intake_year"],
            ),
            form=form,
        ).value
    )
    if new:
        return redirect("teaching:programme-detail", programme_id=new.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect("teaching:programme-detail", programme_id=programme.pk)
