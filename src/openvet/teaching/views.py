"""Pages of the teaching app: parse → call a selector or service → render."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgUnit
from openvet.core.selectors import org_school_get
from openvet.core.view_helpers import domain_errors, service_call
from openvet.teaching import presenters, review, selectors, services
from openvet.teaching.forms import (
    AdjustmentForm,
    BellScheduleForm,
    CalendarDayForm,
    CourseForm,
    EntryForm,
    NewVersionForm,
    ProgrammeCourseForm,
    ProgrammeForm,
    RoomForm,
    SolutionUploadForm,
    SolverForm,
    StyledForm,
    TaskForm,
    TermForm,
)
from openvet.teaching.models import SolverStatus, Term
from openvet.teaching.permissions import (
    MANAGE_PROGRAMME,
    MANAGE_TASK,
    MANAGE_TERM,
    MANAGE_TIMETABLE,
    REQUEST_ADJUSTMENT,
)

View = Callable[..., HttpResponse]


def page(view: View) -> View:
    return login_required(domain_errors(view))


def _can(request: HttpRequest, capability: str, org: OrgUnit) -> bool:
    return policy.has_capability(request.user, capability, org)


def _form_page(
    request: HttpRequest,
    form: StyledForm,
    call: Callable[[], Any],
    *,
    done: Callable[[Any], HttpResponse],
    template: str,
    context: Callable[[], dict[str, Any]],
    success: str = "",
) -> HttpResponse:
    """The shape of a page with one form: a valid POST runs ``call`` (a service) and, when it
    succeeds, shows ``success`` and answers ``done(result)``; otherwise the page is rendered
    with the form and its errors (422 when there are errors)."""
    if request.method == "POST" and form.is_valid():
        outcome = service_call(request, call, form=form, success=success)
        if outcome.ok:
            return done(outcome.value)
    return render(
        request, template, {**context(), "form": form}, status=422 if form.errors else 200
    )


def _school(request: HttpRequest, school_id: int) -> OrgUnit:
    school = selectors.schools_for(actor=request.user).filter(pk=school_id).first()
    if school is None:
        raise NotFound()
    return school


def _term(request: HttpRequest, term_id: int) -> Term:
    term = selectors.term_get_for(actor=request.user, term_id=term_id)
    if not selectors.is_staff_of(request.user, term.org):
        raise NotFound()  # students reach only their own timetable
    return term


# Terms ------------------------------------------------------------------------------------


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
        school = _school(request, data.pop("school"))
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
    term = _term(request, term_id)
    form = CalendarDayForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda: services.calendar_day_set(actor=request.user, term=term, **form.cleaned_data),
        done=lambda _day: redirect("teaching:term-detail", term_id=term.pk),
        template="teaching/term_detail.html",
        context=lambda: {
            "term": term,
            "days": selectors.calendar_days(term),
            "bells": selectors.bell_periods(term.org),
            "can_manage": _can(request, MANAGE_TERM, term.org),
            "can_solve": _can(request, MANAGE_TIMETABLE, term.org),
        },
    )


@page
@require_POST
def calendar_day_delete(request: HttpRequest, term_id: int, day_id: int) -> HttpResponse:
    term = _term(request, term_id)
    entry = term.calendar_days.filter(pk=day_id).first()
    if entry is None:
        raise NotFound()
    services.calendar_day_delete(actor=request.user, entry=entry)
    return redirect("teaching:term-detail", term_id=term.pk)


# School set-up: bells, rooms, courses -------------------------------------------------------


@page
def bell_schedule(request: HttpRequest, school_id: int) -> HttpResponse:
    school = _school(request, school_id)
    bells = selectors.bell_periods(school)
    initial = "\n".join(f"{b.starts_at:%H:%M}-{b.ends_at:%H:%M}" for b in bells)
    form = BellScheduleForm(request.POST or None, initial={"periods": initial})
    return _form_page(
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
            "can_manage": _can(request, MANAGE_TERM, school),
        },
    )


@page
def room_list(request: HttpRequest, school_id: int) -> HttpResponse:
    school = _school(request, school_id)
    form = RoomForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda: services.room_create(actor=request.user, school=school, **form.cleaned_data),
        done=lambda _room: redirect("teaching:room-list", school_id=school.pk),
        template="teaching/room_list.html",
        context=lambda: {
            "school": school,
            "rooms": selectors.room_list_for(actor=request.user, school=school),
            "can_manage": _can(request, MANAGE_TERM, school),
        },
    )


@page
def course_list(request: HttpRequest, school_id: int) -> HttpResponse:
    school = _school(request, school_id)
    form = CourseForm(request.POST or None)
    return _form_page(
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
            "can_manage": _can(request, MANAGE_TERM, school),
        },
    )


# Programmes -------------------------------------------------------------------------------


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

    return _form_page(
        request,
        form,
        add_course,
        done=lambda _row: redirect("teaching:programme-detail", programme_id=programme.pk),
        template="teaching/programme_detail.html",
        context=lambda: {
            "programme": programme,
            "rows": selectors.programme_courses(programme),
            "version_form": NewVersionForm(),
            "can_manage": _can(request, MANAGE_PROGRAMME, programme.org),
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


# Tasks --------------------------------------------------------------------------------------


@page
def task_list(request: HttpRequest, term_id: int) -> HttpResponse:
    term = _term(request, term_id)
    tasks = selectors.task_list_for(actor=request.user, term=term)
    return render(
        request,
        "teaching/task_list.html",
        {"term": term, "tasks": tasks, "can_generate": _can(request, MANAGE_TASK, term.org)},
    )


@page
@require_POST
def task_generate(request: HttpRequest, term_id: int) -> HttpResponse:
    term = _term(request, term_id)
    result = services.teaching_tasks_generate(actor=request.user, term=term)
    messages.success(
        request,
        _("%(created)s tasks created, %(skipped)s already there.")
        % {"created": result.created, "skipped": result.skipped},
    )
    return redirect("teaching:task-list", term_id=term.pk)


def _teacher_choices(term: Term) -> list[tuple[int, str]]:
    return [(t.pk, t.full_name) for t in selectors.teachers_of(term.org)]


@page
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get_for(actor=request.user, task_id=task_id)
    rooms = [
        (r.pk, str(r)) for r in selectors.room_list_for(actor=request.user, school=task.term.org)
    ]
    initial = {name: getattr(task, name) for name in services.tasks.TASK_FIELDS}
    initial.update(room=task.room_id, teachers=[t.pk for t in task.teachers.all()])
    form = TaskForm(
        request.POST or None, initial=initial, rooms=rooms, teachers=_teacher_choices(task.term)
    )

    def update() -> Any:
        data = dict(form.cleaned_data)
        teachers = selectors.teachers_by_ids(task.term.org, data.pop("teachers"))
        data["room"] = (
            selectors.room_get_for(actor=request.user, room_id=data["room"])
            if data["room"]
            else None
        )
        return services.task_update(actor=request.user, task=task, teachers=teachers, **data)

    return _form_page(
        request,
        form,
        update,
        done=lambda _task: redirect("teaching:task-list", term_id=task.term_id),
        template="teaching/task_edit.html",
        context=lambda: {"task": task, "can_manage": _can(request, MANAGE_TASK, task.org)},
    )


# Timetables ---------------------------------------------------------------------------------


def _week(request: HttpRequest, term: Term) -> int:
    try:
        return int(request.GET.get("week", ""))
    except ValueError:
        return presenters.current_week(term, timezone.localdate())


@page
def timetable(request: HttpRequest, term_id: int, kind: str, target_id: int) -> HttpResponse:
    term = selectors.term_get_for(actor=request.user, term_id=term_id)
    label, filters = selectors.timetable_target(
        actor=request.user, term=term, kind=kind, target_id=target_id
    )
    entries = selectors.entries_for(term=term, **filters)
    clash_ids = (
        selectors.clashing_entry_ids(selectors.term_clashes(term))
        if (selectors.is_staff_of(request.user, term.org))
        else set()
    )
    week = presenters.week_view(term, entries, _week(request, term), clash_ids)
    return render(
        request,
        "teaching/timetable.html",
        {
            "term": term,
            "label": label,
            "week": week,
            "kind": kind,
            "target_id": target_id,
            "entries": entries,
            "can_edit": _can(request, MANAGE_TIMETABLE, term.org),
        },
    )


@page
def timetable_index(request: HttpRequest, term_id: int) -> HttpResponse:
    term = _term(request, term_id)
    clashes = selectors.term_clashes(term)
    rooms = [(r.pk, str(r)) for r in selectors.room_list_for(actor=request.user, school=term.org)]
    tasks = selectors.task_list_for(actor=request.user, term=term)
    form = EntryForm(tasks=[(t.pk, _task_label(t)) for t in tasks], rooms=rooms)
    classes = selectors.classes_of(term.org)
    return render(
        request,
        "teaching/timetable_index.html",
        {
            "term": term,
            "clashes": clashes,
            "classes": classes,
            "form": form,
            "rooms": selectors.room_list_for(actor=request.user, school=term.org),
            "teachers": _teacher_choices(term),
            "can_edit": _can(request, MANAGE_TIMETABLE, term.org),
        },
    )


def _task_label(task: Any) -> str:
    return f"{task.course.name} · {', '.join(c.name for c in task.classes.all())}"


@page
@require_POST
def entry_create(request: HttpRequest, term_id: int) -> HttpResponse:
    term = _term(request, term_id)
    rooms = [(r.pk, str(r)) for r in selectors.room_list_for(actor=request.user, school=term.org)]
    tasks = selectors.task_list_for(actor=request.user, term=term)
    form = EntryForm(request.POST, tasks=[(t.pk, _task_label(t)) for t in tasks], rooms=rooms)
    if form.is_valid():
        data = dict(form.cleaned_data)
        task = selectors.task_get_for(actor=request.user, task_id=data.pop("task"))
        room_id = data.pop("room")
        room = selectors.room_get_for(actor=request.user, room_id=room_id) if room_id else None
        if service_call(
            request,
            lambda: services.entry_create(actor=request.user, task=task, room=room, **data),
            form=form,
        ).value:
            messages.success(request, _("The lecture was added."))
            return redirect("teaching:timetable-index", term_id=term.pk)
    for error in form.non_field_errors() + [e for f in form for e in f.errors]:
        messages.error(request, str(error))
    return redirect("teaching:timetable-index", term_id=term.pk)


@page
@require_POST
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.entry_get_for(actor=request.user, entry_id=entry_id)
    services.entry_delete(actor=request.user, entry=entry)
    return redirect(
        request.POST.get("next") or reverse("teaching:timetable-index", args=[entry.term_id])
    )


@page
def my_timetable(request: HttpRequest) -> HttpResponse:
    terms = list(selectors.term_list_for(actor=request.user))
    term = next((t for t in terms if str(t.pk) == request.GET.get("term")), None) or (
        terms[0] if terms else None
    )
    classes = selectors.student_classes(request.user)
    entries = []
    if term is not None:
        entries = selectors.entries_for(term=term, teacher_id=request.user.pk)
        for klass in classes:
            entries += selectors.entries_for(term=term, class_id=klass.pk)
    week = presenters.week_view(term, entries, _week(request, term)) if term else None
    token = services.feed_token_for(user=request.user)
    return render(
        request,
        "teaching/my_timetable.html",
        {
            "terms": terms,
            "term": term,
            "week": week,
            "feed_url": request.build_absolute_uri(reverse("teaching:feed", args=[token.token])),
            "notices": selectors.notices_for(user=request.user)[:5],
        },
    )


# Adjustments --------------------------------------------------------------------------------


@page
def adjustment_list(request: HttpRequest, term_id: int) -> HttpResponse:
    term = selectors.term_get_for(actor=request.user, term_id=term_id)
    tasks = selectors.task_list_for(actor=request.user, term=term)
    if not selectors.is_staff_of(request.user, term.org):
        raise NotFound()
    rooms = [(r.pk, str(r)) for r in selectors.room_list_for(actor=request.user, school=term.org)]
    form = AdjustmentForm(
        request.POST or None, rooms=rooms, tasks=[(t.pk, _task_label(t)) for t in tasks]
    )

    def request_adjustment() -> Any:
        data = dict(form.cleaned_data)
        task = selectors.task_get_for(actor=request.user, task_id=data.pop("task"))
        room_id = data.pop("new_room")
        data["new_room"] = (
            selectors.room_get_for(actor=request.user, room_id=room_id) if room_id else None
        )
        return services.adjustment_request(actor=request.user, task=task, **data)

    return _form_page(
        request,
        form,
        request_adjustment,
        done=lambda _adjustment: redirect("teaching:adjustment-list", term_id=term.pk),
        success=_("The request was sent for approval."),
        template="teaching/adjustment_list.html",
        context=lambda: {
            "term": term,
            "adjustments": selectors.adjustment_list_for(actor=request.user, term=term),
            "can_request": bool(tasks) or _can(request, REQUEST_ADJUSTMENT, term.org),
        },
    )


@page
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = list(selectors.notices_for(user=request.user)[:100])
    services.notice_mark_read(actor=request.user)
    return render(request, "teaching/notice_list.html", {"notices": notices})


# Solver ---------------------------------------------------------------------------------------


@page
def solver(request: HttpRequest, term_id: int) -> HttpResponse:
    term = _term(request, term_id)
    if not _can(request, MANAGE_TIMETABLE, term.org):
        raise NotFound()
    form = SolverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run = service_call(
            request,
            lambda: services.solver_run_start(actor=request.user, term=term, **form.cleaned_data),
            form=form,
        ).value
        if run is not None:
            return redirect("teaching:solver-run", run_id=run.pk)
    return render(
        request,
        "teaching/solver.html",
        {
            "term": term,
            "form": form,
            "upload_form": SolutionUploadForm(),
            "runs": selectors.solver_run_list(term=term),
        },
        status=422 if form.errors else 200,
    )


# What each component of the solver's report (timetabling.score, .extensions) counts.
COMPONENT_LABELS = {
    "Lectures": pgettext_lazy("timetabling", "Lectures left unscheduled"),
    "RoomOccupancy": pgettext_lazy("timetabling", "Rooms holding two lectures at once"),
    "Conflicts": pgettext_lazy("timetabling", "Class or teacher clashes"),
    "Availability": pgettext_lazy("timetabling", "Lectures in unavailable periods"),
    "RoomType": pgettext_lazy("timetabling", "Lectures in rooms of the wrong type"),
    "Fixed": pgettext_lazy("timetabling", "Locked lectures not kept"),
    "Blocks": pgettext_lazy("timetabling", "Consecutive periods broken up"),
    "RoomCapacity": pgettext_lazy("timetabling", "Students above room capacity"),
    "MinWorkingDays": pgettext_lazy("timetabling", "Courses on too few days"),
    "IsolatedLectures": pgettext_lazy("timetabling", "Isolated lectures of a class"),
    "RoomStability": pgettext_lazy("timetabling", "Room changes of a course"),
    "TeacherPreference": pgettext_lazy("timetabling", "Lectures in undesired periods"),
    "CurriculumDailyMax": pgettext_lazy("timetabling", "Periods above a class's daily maximum"),
    "Perturbation": pgettext_lazy("timetabling", "Lectures moved from the current timetable"),
}


def _components(run: Any) -> list[tuple[Any, int, bool]]:
    """(label, value, is_hard) of each component of the run's report."""
    rows = [(COMPONENT_LABELS.get(k, k), v, True) for k, v in run.hard.items()]
    return rows + [(COMPONENT_LABELS.get(k, k), v, False) for k, v in run.soft.items()]


def _run(request: HttpRequest, run_id: int) -> Any:
    run = selectors.solver_run_get_for(actor=request.user, run_id=run_id)
    if not _can(request, MANAGE_TIMETABLE, run.term.org):
        raise NotFound()
    return run


@page
def solver_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """The run's progress, then its summary and the review of its proposal one class,
    teacher or room at a time (``?show=class-<id>``); htmx asks for the progress fragment
    while polling, or for the review fragment alone when the picker changes."""
    run = _run(request, run_id)
    context: dict[str, Any] = {"run": run, "term": run.term, "components": _components(run)}
    if run.status in (SolverStatus.FINISHED, SolverStatus.PUBLISHED) and run.result:
        proposal = review.proposal_of(run)
        context["proposal"] = proposal
        context["review"] = review.review_for(proposal, request.GET.get("show", ""))
    template = "teaching/solver_run.html"
    if request.headers.get("HX-Request") == "true":
        template = (
            "teaching/partials/_solver_review.html"
            if request.headers.get("HX-Target") == "solver-review"
            else "teaching/partials/_solver_progress.html"
        )
    return render(request, template, context)


@page
@require_POST
def solver_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    outcome = service_call(
        request, lambda: services.solver_run_publish(actor=request.user, run=run)
    )
    if not outcome.ok:
        return redirect("teaching:solver-run", run_id=run.pk)
    messages.success(
        request, _("The timetable was published: %(count)s lectures.") % {"count": outcome.value}
    )
    return redirect("teaching:timetable-index", term_id=run.term_id)


@page
def export_ctt(request: HttpRequest, term_id: int) -> HttpResponse:
    term = _term(request, term_id)
    text = services.term_export_ctt(actor=request.user, term=term)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="term{term.pk}.ctt"'
    return response


@page
@require_POST
def import_solution(request: HttpRequest, term_id: int) -> HttpResponse:
    term = _term(request, term_id)
    form = SolutionUploadForm(request.POST, request.FILES)
    if form.is_valid():
        text = form.cleaned_data["file"].read().decode("utf-8", errors="replace")
        run = service_call(
            request,
            lambda: services.solution_import(actor=request.user, term=term, text=text),
            form=form,
        ).value
        if run is not None:
            return redirect("teaching:solver-run", run_id=run.pk)
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    return redirect("teaching:solver", term_id=term.pk)


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
