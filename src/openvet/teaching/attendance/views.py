"""Pages of attendance: the teacher's rotating code / QR and live list (htmx polling), the
student's sign-in on the phone, rates, leave requests, counsellor alerts."""

from typing import Any

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.roles import Role
from openvet.core.view_helpers import service_call
from openvet.teaching import selectors as teaching_selectors
from openvet.teaching.attendance import codes, selectors, services
from openvet.teaching.attendance.forms import LeaveForm, MarkForm, SessionOpenForm, SignInForm
from openvet.teaching.capabilities import VIEW_ATTENDANCE
from openvet.teaching.views.common import page


def _teacher_tasks(request: HttpRequest) -> list[tuple[int, str]]:
    if policy.roles_of(request.user) == {Role.STUDENT}:
        return []  # a student teaches no task: no terms or tasks to read
    tasks = []
    for term in teaching_selectors.term_list_for(actor=request.user)[:2]:
        chosen = teaching_selectors.task_list_for(
            actor=request.user, term=term, teacher_id=request.user.pk
        )
        # The choices name the course only: no classes, teachers or room to load.
        chosen = chosen.prefetch_related(None).select_related(None).select_related("course")
        tasks += [(t.pk, f"{t.course} ({term})") for t in chosen]
    return tasks


def _lecture_from_query(request: HttpRequest) -> dict[str, str]:
    """The lecture a teacher chose in their timetable (course, date, period), to fill the form."""
    names = {"task": "task", "day": "day", "period": "period_start"}
    return {field: request.GET[key] for key, field in names.items() if request.GET.get(key)}


@page
def attendance_home(request: HttpRequest) -> HttpResponse:
    student = selectors._student(request.user)
    terms = list(teaching_selectors.term_list_for(actor=request.user)[:1])
    open_sessions = (
        selectors.open_sessions_for(actor=request.user, now=timezone.now())
        if student is not None
        else []
    )
    signed = selectors.my_records_of(actor=request.user, sessions=open_sessions)
    chosen = _lecture_from_query(request)
    return render(
        request,
        "teaching/attendance/home.html",
        {
            "student": student,
            "rates": selectors.student_rates(student=student, term_id=terms[0].pk)
            if student is not None and terms
            else [],
            "open_sessions": [(s, signed.get(s.pk)) for s in open_sessions],
            "records": selectors.my_records(actor=request.user)[:20],
            "leaves": selectors.leave_list_for(actor=request.user)[:20],
            "leave_form": LeaveForm(),
            "sessions": selectors.session_list_for(actor=request.user)[:20],
            "open_form": SessionOpenForm(initial=chosen, tasks=_teacher_tasks(request)),
            "lecture_chosen": bool(chosen),
            "alerts": selectors.alerts_for(actor=request.user)[:20],
        },
    )


@page
@require_POST
def session_open(request: HttpRequest) -> HttpResponse:
    form = SessionOpenForm(request.POST, tasks=_teacher_tasks(request))
    if not form.is_valid():
        messages.error(request, _("Choose a course, a date and a period."))
        return redirect("teaching:attendance-home")
    data = form.cleaned_data
    task = teaching_selectors.task_get_for(actor=request.user, task_id=data["task"])
    session = service_call(
        request,
        lambda: services.session_open(
            actor=request.user,
            task=task,
            day=data["day"],
            period_start=data["period_start"],
            require_location=data["require_location"],
        ),
    ).value
    if session is None:
        return redirect("teaching:attendance-home")
    return redirect("teaching:session-detail", session_id=session.pk)


@page
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_for(actor=request.user, session_id=session_id)
    if not selectors.is_staff_view(request.user, session):
        return redirect("teaching:sign-in", session_id=session.pk)
    return render(
        request,
        "teaching/attendance/session_detail.html",
        {
            "session": session,
            "lines": selectors.live_list(session),
            "mark_form": MarkForm(),
            "rates": selectors.task_rates(task=session.task) if session.is_closed else [],
            "far_from_lecture": not session.is_closed
            and selectors.is_far_from_lecture(session, timezone.now()),
            **_code_context(request, session),
        },
    )


def _code_context(request: HttpRequest, session: Any) -> dict[str, Any]:
    code, left = codes.current_code(session.pk, timezone.now())
    url = request.build_absolute_uri(reverse("teaching:sign-in", args=[session.pk])) + (
        f"?code={code}"
    )
    # segno writes plain SVG elements with attributes only (no script or style): CSP-safe.
    svg = segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return {"code": code, "seconds_left": left, "qr_svg": mark_safe(svg)}  # noqa: S308


@page
def session_live(request: HttpRequest, session_id: int) -> HttpResponse:
    """The htmx fragment polled by the teacher's screen: code, QR and the live list."""
    session = selectors.session_get_for(actor=request.user, session_id=session_id)
    if not selectors.is_staff_view(request.user, session):
        raise NotFound()
    return render(
        request,
        "teaching/attendance/partials/_live.html",
        {
            "session": session,
            "lines": selectors.live_list(session),
            "mark_form": MarkForm(),
            **_code_context(request, session),
        },
    )


@page
@require_POST
def session_close(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_for(actor=request.user, session_id=session_id)
    services.session_close(actor=request.user, session=session)
    messages.success(request, _("Sign-in is closed; students without a record are absent."))
    return redirect("teaching:session-detail", session_id=session.pk)


@page
@require_POST
def session_mark(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_for(actor=request.user, session_id=session_id)
    form = MarkForm(request.POST)
    if form.is_valid():
        service_call(
            request,
            lambda: services.mark(
                actor=request.user,
                session=session,
                student_id=form.cleaned_data["student"],
                status=form.cleaned_data["status"],
            ),
        )
    return redirect("teaching:session-detail", session_id=session.pk)


@page
def sign_in(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_for(actor=request.user, session_id=session_id)
    form = SignInForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        signed = service_call(
            request,
            lambda: services.sign_in(
                actor=request.user,
                session=session,
                code=data["code"],
                latitude=data["latitude"],
                longitude=data["longitude"],
            ),
            form=form,
            field="code",
            success=_("You are signed in."),
        )
        if signed.ok:
            return redirect("teaching:attendance-home")
    record = selectors.my_records_of(actor=request.user, sessions=[session]).get(session.pk)
    return render(
        request,
        "teaching/attendance/sign_in.html",
        {"session": session, "form": form, "record": record},
    )


@page
@require_POST
def leave_create(request: HttpRequest) -> HttpResponse:
    form = LeaveForm(request.POST)
    if form.is_valid():
        service_call(
            request,
            lambda: services.leave_request(actor=request.user, **form.cleaned_data),
            success=_("Your leave request was sent to your counsellor."),
        )
    else:
        messages.error(request, _("Enter the dates and a reason."))
    return redirect("teaching:attendance-home")


@page
def attendance_rates(request: HttpRequest) -> HttpResponse:
    """Per class and per student attendance rates of the classes the actor looks after."""
    if not policy.capability_paths(request.user, VIEW_ATTENDANCE):
        raise PermissionDenied()
    terms = list(teaching_selectors.term_list_for(actor=request.user))
    chosen = request.GET.get("term", "")
    term = next((t for t in terms if str(t.pk) == chosen), terms[0] if terms else None)
    classes = (
        selectors.attendance_by_class(actor=request.user, term_id=term.pk)
        if term is not None
        else []
    )
    wanted = request.GET.get("class", "")
    selected = next((c for c in classes if str(c.class_unit.pk) == wanted), None)
    return render(
        request,
        "teaching/attendance/rates.html",
        {"terms": terms, "term": term, "classes": classes, "selected": selected},
    )
