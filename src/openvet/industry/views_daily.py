"""Pages of an internship's days: the intern's leave, incidents, monthly journals and skills
evidence; the mentors' page of one placement (leave decisions, visits, incidents, co-signing);
the counsellor's alert list."""

from collections.abc import Callable
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.view_helpers import page, service_call
from openvet.industry import (
    daily_forms,
    daily_selectors,
    daily_services,
    permissions,
    selectors,
    services,
)
from openvet.industry.models import LeaveStatus, Placement, SkillEvidence
from openvet.records.selectors import student_of_user


def _bound(request: HttpRequest, action: str) -> Any:
    """The POST data when the page's form ``action`` was sent, else None."""
    return request.POST if request.POST.get("action") == action else None


def _run(request: HttpRequest, form: Any, call: Callable[[Any], Any], success: str) -> bool:
    """Run ``call(cleaned_data)`` when ``form`` is bound and valid; True when it succeeded."""
    if form is None or not form.is_bound or not form.is_valid():
        return False
    return service_call(request, lambda: call(form.cleaned_data), form=form, success=success).ok


def _journal_choices(placement: Placement) -> list[tuple[str, str]]:
    weekly = [
        (f"w{j.pk}", _("Week of %(day)s") % {"day": j.week_start.isoformat()})
        for j in selectors.journals_of(placement)
    ]
    monthly = [
        (f"m{j.pk}", _("Month %(month)s") % {"month": j.month.strftime("%Y-%m")})
        for j in daily_selectors.monthlies_of(placement)
    ]
    return weekly + monthly


def _attach(request: HttpRequest, placement: Placement, data: dict[str, Any]) -> Any:
    choice = str(data["journal"])
    kind, pk = choice[:1], int(choice[1:])
    journal = placement.journals.filter(pk=pk).first() if kind == "w" else None
    monthly = placement.monthlies.filter(pk=pk).first() if kind == "m" else None
    task = {t.pk: t for t in daily_services.tasks_of_post(placement.post)}.get(int(data["task"]))
    if task is None or (journal is None and monthly is None):
        raise NotFound()
    return daily_services.evidence_attach(
        actor=request.user,
        journal=journal,
        monthly=monthly,
        task=task,
        note=data["note"],
        file=data["file"],
    )


@page
def my_internship_daily(request: HttpRequest) -> HttpResponse:
    """The intern's leave, incidents, monthly journals and skills evidence."""
    student = student_of_user(user=request.user)
    if student is None:
        raise NotFound()
    today = timezone.localdate()
    placement = (
        services.active_placement_of(student, today)
        or selectors.placement_list_for(actor=request.user).filter(student=student).first()
    )
    if placement is None:
        return redirect("industry:my-internship")
    tasks = daily_services.tasks_of_post(placement.post)
    leave_form = daily_forms.LeaveForm(_bound(request, "leave"), prefix="leave")
    incident_form = daily_forms.IncidentForm(_bound(request, "incident"), prefix="incident")
    monthly_form = daily_forms.MonthlyJournalForm(
        _bound(request, "monthly"), prefix="monthly", initial={"month": today.replace(day=1)}
    )
    evidence_form = daily_forms.EvidenceForm(
        _bound(request, "evidence"),
        request.FILES if _bound(request, "evidence") else None,
        prefix="evidence",
        journals=_journal_choices(placement),
        tasks=tasks,
    )
    actor = request.user
    done = (
        _run(
            request,
            leave_form,
            lambda d: daily_services.leave_request(actor=actor, placement=placement, **d),
            _("Your leave request was sent to your school mentor."),
        )
        or _run(
            request,
            incident_form,
            lambda d: daily_services.incident_report(actor=actor, placement=placement, **d),
            _("The incident was reported."),
        )
        or _run(
            request,
            monthly_form,
            lambda d: daily_services.monthly_journal_submit(actor=actor, placement=placement, **d),
            _("Your monthly journal was submitted."),
        )
        or _run(
            request,
            evidence_form,
            lambda d: _attach(request, placement, d),
            _("Your evidence was attached."),
        )
    )
    if done:
        return redirect("industry:my-internship-daily")
    return render(
        request,
        "industry/my_internship_daily.html",
        {
            "placement": placement,
            "leave_form": leave_form,
            "incident_form": incident_form,
            "monthly_form": monthly_form,
            "evidence_form": evidence_form if tasks else None,
            "leaves": daily_selectors.leaves_of(placement),
            "incidents": daily_selectors.incidents_of(placement),
            "monthlies": daily_selectors.monthlies_of(placement),
            "evidence": daily_selectors.evidence_of(placement),
            "pending": LeaveStatus.PENDING,
        },
        status=422 if request.method == "POST" else 200,
    )


@page
def placement_daily(request: HttpRequest, placement_id: int) -> HttpResponse:
    """One placement's days for its mentors and the school: leave, visits, incidents, monthly
    journals and evidence."""
    placement = selectors.placement_get_for(actor=request.user, placement_id=placement_id)
    user = request.user
    school_mentor = permissions.is_school_mentor(user, placement)
    enterprise_mentor = permissions.is_enterprise_mentor(user, placement)
    visit_form = (
        daily_forms.VisitForm(_bound(request, "visit"), prefix="visit") if school_mentor else None
    )
    incident_form = (
        daily_forms.IncidentForm(_bound(request, "incident"), prefix="incident")
        if school_mentor or enterprise_mentor
        else None
    )
    if request.method == "POST" and not (visit_form or incident_form):
        raise PermissionDenied()
    done = _run(
        request,
        visit_form,
        lambda d: daily_services.visit_record(actor=user, placement=placement, **d),
        _("The visit was recorded."),
    ) or _run(
        request,
        incident_form,
        lambda d: daily_services.incident_report(actor=user, placement=placement, **d),
        _("The incident was reported."),
    )
    if done:
        return redirect("industry:placement-daily", placement_id=placement.pk)
    return render(
        request,
        "industry/placement_daily.html",
        {
            "placement": placement,
            "visit_form": visit_form,
            "incident_form": incident_form,
            "decision_form": daily_forms.LeaveDecisionForm(prefix="decide"),
            "close_form": daily_forms.IncidentCloseForm(prefix="close"),
            "is_school_mentor": school_mentor,
            "is_enterprise_mentor": enterprise_mentor,
            "school_side": school_mentor
            or policy.has_capability(user, permissions.VIEW_PLACEMENT, placement.org),
            "leaves": daily_selectors.leaves_of(placement),
            "incidents": daily_selectors.incidents_of(placement),
            "visits": daily_selectors.visits_of(placement),
            "monthlies": daily_selectors.monthlies_of(placement),
            "evidence": daily_selectors.evidence_of(placement),
            "pending": LeaveStatus.PENDING,
        },
        status=422 if request.method == "POST" else 200,
    )


@page
@require_POST
def leave_decide(request: HttpRequest, leave_id: int) -> HttpResponse:
    leave = daily_selectors.leave_get_for(actor=request.user, leave_id=leave_id)
    form = daily_forms.LeaveDecisionForm(request.POST, prefix="decide")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    approve = request.POST.get("decision") == "approve"
    service_call(
        request,
        lambda: daily_services.leave_decide(
            actor=request.user, leave=leave, approve=approve, note=note
        ),
        success=_("The leave was approved.") if approve else _("The leave was refused."),
    )
    return redirect("industry:placement-daily", placement_id=leave.placement_id)


@page
@require_POST
def leave_withdraw(request: HttpRequest, leave_id: int) -> HttpResponse:
    leave = daily_selectors.leave_get_for(actor=request.user, leave_id=leave_id)
    service_call(
        request,
        lambda: daily_services.leave_withdraw(actor=request.user, leave=leave),
        success=_("Your leave request was withdrawn."),
    )
    return redirect("industry:my-internship-daily")


@page
@require_POST
def incident_escalate(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = daily_selectors.incident_get_for(actor=request.user, incident_id=incident_id)
    service_call(
        request,
        lambda: daily_services.incident_escalate(actor=request.user, incident=incident),
        success=_("The school was told of the incident."),
    )
    return redirect("industry:placement-daily", placement_id=incident.placement_id)


@page
@require_POST
def incident_close(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = daily_selectors.incident_get_for(actor=request.user, incident_id=incident_id)
    form = daily_forms.IncidentCloseForm(request.POST, prefix="close")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    service_call(
        request,
        lambda: daily_services.incident_close(actor=request.user, incident=incident, note=note),
        success=_("The incident was closed."),
    )
    return redirect("industry:placement-daily", placement_id=incident.placement_id)


@page
@require_POST
def monthly_cosign(request: HttpRequest, journal_id: int) -> HttpResponse:
    journal = daily_selectors.monthly_get_for(actor=request.user, journal_id=journal_id)
    service_call(
        request,
        lambda: daily_services.monthly_journal_cosign(actor=request.user, journal=journal),
        success=_("The journal was co-signed."),
    )
    return redirect("industry:placement-daily", placement_id=journal.placement_id)


@page
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    """The evidence's file, to the intern and those who see the placement."""
    found = (
        SkillEvidence.objects.select_related("journal", "monthly").filter(pk=evidence_id).first()
    )
    if found is None:
        raise NotFound()
    owner: Any = found.journal or found.monthly
    selectors.placement_get_for(actor=request.user, placement_id=owner.placement_id)
    stream = found.file.open("rb")
    head = stream.read(8)
    stream.seek(0)
    # The type comes from the bytes checked at upload, never from the name the intern gave.
    kind = next((k for sig, k in _TYPES if head.startswith(sig)), "application/octet-stream")
    return FileResponse(stream, content_type=kind, as_attachment=kind == "application/pdf")


_TYPES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG", "image/png"),
    (b"%PDF-", "application/pdf"),
)


@page
def alert_list(request: HttpRequest) -> HttpResponse:
    """The counsellor's (and mentors') work list: interns needing attention, incident notices."""
    if not (
        policy.has_capability(request.user, permissions.VIEW_PLACEMENT)
        or policy.has_capability(request.user, permissions.MENTOR)
    ):
        raise PermissionDenied()
    return render(
        request,
        "industry/alert_list.html",
        {
            "rows": daily_selectors.alert_list_for(actor=request.user),
            "notices": daily_selectors.unread_notices(user=request.user),
        },
    )
