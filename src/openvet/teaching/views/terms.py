"""Pages of terms and of a school's set-up: calendar, bell schedule, rooms, courses."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core.errors import NotFound
from openvet.core.view_helpers import service_call
from openvet.teaching import selectors, services
from openvet.teaching.forms import (
    BellScheduleForm,
    CalendarDayForm,
    CourseForm,
    RoomForm,
    TermForm,
)
from openvet.teaching.permissions import (
    MANAGE_TERM,
    MANAGE_TIMETABLE,
)
from openvet.teaching.views.common import can, form_page, page, staff_term, visible_school


def _school_choices(request: HttpRequest, capability: str) -> list[tuple[int, str]]:
    return [
        (s.pk, s.name) for s in selectors.schools_for(actor=request.user, capability=capability)
    ]


@page
def term_list(request: HttpRequest) -> HttpResponse:
    schools = list(selectors.schools_for(actor=request.user))
    if not schools:
        return redirect("teaching:my-timetable")
    terms = list(selectors.term_list_for(actor=request.user).filter(org__in=schools))
    form = TermForm(schools=_school_choices(request, MANAGE_TERM))
    return render(
        request,
        "teaching/term_list.html",
        {
            "terms": terms,
            "schools": schools,
            "form": form,
            "can_add": bool(_school_choices(request, MANAGE_TERM)),
        },
    )


@page
@require_POST
def term_create(request: HttpRequest) -> HttpResponse:
    form = TermForm(request.POST, schools=_school_choices(request, MANAGE_TERM))
    if form.is_valid():
        data = dict(form.cleaned_data)
        school = visible_school(request, data.pop("school"))
        term = service_call(
            request,
            lambda: services.term_create(actor=request.user, school=school, **data),
            form=form,
        ).value
        if term is not None:
            messages.success(request, _("The term was created."))
            return redirect("teaching:term-detail", term_id=term.pk)
    terms = selectors.term_list_for(actor=request.user)
    return render(
        request,
        "teaching/term_list.html",
        {
            "terms": terms,
            "schools": list(selectors.schools_for(actor=request.user)),
            "form": form,
            "can_add": True,
        },
        status=422,
    )


@page
def term_detail(request: HttpRequest, term_id: int) -> HttpResponse:
    term = staff_term(request, term_id)
    form = CalendarDayForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.calendar_day_set(actor=request.user, term=term, **form.cleaned_data),
        done=lambda _day: redirect("teaching:term-detail", term_id=term.pk),
        template="teaching/term_detail.html",
        context=lambda: {
            "term": term,
            "days": selectors.calendar_days(term),
            "bells": selectors.bell_periods(term.org),
            "can_manage": can(request, MANAGE_TERM, term.org),
            "can_solve": can(request, MANAGE_TIMETABLE, term.org),
        },
    )


@page
@require_POST
def calendar_day_delete(request: HttpRequest, term_id: int, day_id: int) -> HttpResponse:
    term = staff_term(request, term_id)
    entry = term.calendar_days.filter(pk=day_id).first()
    if entry is None:
        raise NotFound()
    services.calendar_day_delete(actor=request.user, entry=entry)
    return redirect("teaching:term-detail", term_id=term.pk)


@page
def bell_schedule(request: HttpRequest, school_id: int) -> HttpResponse:
    school = visible_school(request, school_id)
    bells = selectors.bell_periods(school)
    initial = "\n".join(f"{b.starts_at:%H:%M}-{b.ends_at:%H:%M}" for b in bells)
    form = BellScheduleForm(request.POST or None, initial={"periods": initial})
    return form_page(
        request,
        form,
        lambda: services.bell_schedule_set(
            actor=request.user, school=school, periods=form.cleaned_data["periods"]
        ),
        done=lambda _bells: redirect("teaching:bell-schedule", school_id=school.pk),
        success=_("The bell schedule was saved."),
        template="teaching/bell_schedule.html",
        context=lambda: {
            "school": school,
            "bells": bells,
            "can_manage": can(request, MANAGE_TERM, school),
        },
    )


@page
def room_list(request: HttpRequest, school_id: int) -> HttpResponse:
    school = visible_school(request, school_id)
    form = RoomForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.room_create(actor=request.user, school=school, **form.cleaned_data),
        done=lambda _room: redirect("teaching:room-list", school_id=school.pk),
        template="teaching/room_list.html",
        context=lambda: {
            "school": school,
            "rooms": selectors.room_list_for(actor=request.user, school=school),
            "can_manage": can(request, MANAGE_TERM, school),
        },
    )


@page
def course_list(request: HttpRequest, school_id: int) -> HttpResponse:
    school = visible_school(request, school_id)
    form = CourseForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.course_create(actor=request.user, school=school, **form.cleaned_data),
        done=lambda _course: redirect("teaching:course-list", school_id=school.pk),
        template="teaching/course_list.html",
        context=lambda: {
            "school": school,
            "courses": selectors.course_list_for(
                actor=request.user, school=school, search=request.GET.get("q", "")
            ),
            "can_manage": can(request, MANAGE_TERM, school),
        },
    )
