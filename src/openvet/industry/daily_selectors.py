"""Reads of an internship's days and the counsellor's work list of alerts (ADR 0616), scoped by
the placement selectors of ``selectors``."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone

from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.industry import rules, selectors
from openvet.industry.models import (
    CheckIn,
    Incident,
    IncidentNotice,
    IncidentStatus,
    Journal,
    LeaveRequest,
    LeaveStatus,
    MentorVisit,
    MonthlyJournal,
    Placement,
    PlacementStatus,
    SkillEvidence,
)


def leaves_of(placement: Placement) -> QuerySet[LeaveRequest]:
    return placement.leaves.select_related("decided_by").order_by("-first_day", "-id")


def incidents_of(placement: Placement) -> QuerySet[Incident]:
    return placement.incidents.select_related("reporter", "closed_by").order_by("-happened_at")


def visits_of(placement: Placement) -> QuerySet[MentorVisit]:
    return placement.visits.select_related("mentor").order_by("-day", "-id")


def monthlies_of(placement: Placement) -> QuerySet[MonthlyJournal]:
    return placement.monthlies.select_related("cosigned_by").order_by("-month")


def evidence_of(placement: Placement) -> QuerySet[SkillEvidence]:
    return SkillEvidence.objects.filter(journal__placement=placement).select_related(
        "task", "journal"
    ) | SkillEvidence.objects.filter(monthly__placement=placement).select_related("task", "monthly")


def _placement_of(actor: Actor, placement_id: int) -> None:
    if not selectors.placement_list_for(actor=actor).filter(pk=placement_id).exists():
        raise NotFound()


def leave_get_for(*, actor: Actor, leave_id: int) -> LeaveRequest:
    leave = LeaveRequest.objects.select_related("placement__student").filter(pk=leave_id).first()
    if leave is None:
        raise NotFound()
    _placement_of(actor, leave.placement_id)
    return leave


def incident_get_for(*, actor: Actor, incident_id: int) -> Incident:
    incident = Incident.objects.select_related("placement__org").filter(pk=incident_id).first()
    if incident is None:
        raise NotFound()
    _placement_of(actor, incident.placement_id)
    return incident


def monthly_get_for(*, actor: Actor, journal_id: int) -> MonthlyJournal:
    journal = MonthlyJournal.objects.select_related("placement").filter(pk=journal_id).first()
    if journal is None:
        raise NotFound()
    _placement_of(actor, journal.placement_id)
    return journal


def unread_notices(*, user: Any) -> QuerySet[IncidentNotice]:
    return (
        IncidentNotice.objects.filter(user=user.pk, read_at__isnull=True)
        .select_related("incident__placement__student", "incident__placement__enterprise")
        .order_by("-created_at")
    )


@dataclass
class AlertRow:
    """One placement on the counsellor's work list, with what needs attention."""

    placement: Placement
    alerts: list[str] = field(default_factory=list)
    silent_days: int = 0
    missing_weeks: int = 0


def _leave_days(ids: list[int], since: date, today: date) -> dict[int, set[date]]:
    days: dict[int, set[date]] = defaultdict(set)
    for pid, first, last in LeaveRequest.objects.filter(
        placement_id__in=ids, status=LeaveStatus.APPROVED, last_day__gte=since, first_day__lte=today
    ).values_list("placement_id", "first_day", "last_day"):
        day = first
        while day <= last:
            days[pid].add(day)
            day += timedelta(days=1)
    return days


def _silent_days(placement: Placement, last: date | None, leave: set[date], today: date) -> int:
    """Working days since the last check-in (or the start), leave days not counted."""
    day = max(last + timedelta(days=1) if last else placement.start_date, placement.start_date)
    count = 0
    while day <= min(today, placement.end_date):
        if day not in leave:
            count += 1
        day += timedelta(days=1)
    return count


def _missing_weeks(placement: Placement, written: set[date], today: date) -> int:
    """Weeks of the internship past their grace days with no journal."""
    grace = int(rules.rule_settings()["journal_grace_days"])
    week = placement.start_date - timedelta(days=placement.start_date.weekday())
    missing = 0
    while week + timedelta(days=6 + grace) < today and week <= placement.end_date:
        if week not in written:
            missing += 1
        week += timedelta(days=7)
    return missing


def alert_list(placements: list[Placement], today: date | None = None) -> list[AlertRow]:
    """The alerts of ``placements`` (in progress): no check-in for N days (leave excused),
    a check-in far from the workplace this week, weekly journals missing, an incident open,
    leave awaiting a decision; in five queries whatever their number. Placements with no alert
    are left out."""
    today = today or timezone.localdate()
    settings = rules.rule_settings()
    ids = [p.pk for p in placements]
    last_checkin = dict(
        CheckIn.objects.filter(placement_id__in=ids)
        .order_by()
        .values("placement_id")
        .annotate(last=Max("day"))
        .values_list("placement_id", "last")
    )
    far = set(
        CheckIn.objects.filter(
            placement_id__in=ids,
            day__gte=today - timedelta(days=6),
            distance_m__gt=settings["far_alert_m"],
        ).values_list("placement_id", flat=True)
    )
    written: dict[int, set[date]] = defaultdict(set)
    for pid, week in Journal.objects.filter(placement_id__in=ids).values_list(
        "placement_id", "week_start"
    ):
        written[pid].add(week)
    incidents = set(
        Incident.objects.filter(placement_id__in=ids)
        .exclude(status=IncidentStatus.CLOSED)
        .values_list("placement_id", flat=True)
    )
    pending = set(
        LeaveRequest.objects.filter(placement_id__in=ids, status=LeaveStatus.PENDING).values_list(
            "placement_id", flat=True
        )
    )
    leave = _leave_days(ids, today - timedelta(days=60), today)
    rows = []
    for placement in placements:
        row = AlertRow(placement)
        if placement.status == PlacementStatus.ACTIVE and placement.start_date <= today:
            row.silent_days = _silent_days(
                placement, last_checkin.get(placement.pk), leave[placement.pk], today
            )
            if row.silent_days >= settings["silent_days"]:
                row.alerts.append("silent")
            row.missing_weeks = _missing_weeks(placement, written[placement.pk], today)
        if placement.pk in far:
            row.alerts.append("far")
        if row.missing_weeks:
            row.alerts.append("missing_journal")
        if placement.pk in incidents:
            row.alerts.append("incident")
        if placement.pk in pending:
            row.alerts.append("leave")
        if row.alerts:
            rows.append(row)
    return rows


def alert_list_for(*, actor: Actor, today: date | None = None) -> list[AlertRow]:
    """The work list of the placements ``actor`` sees (counsellor: their classes; school mentor:
    their interns), incidents first."""
    placements = list(
        selectors.placement_list_for(actor=actor)
        .filter(status=PlacementStatus.ACTIVE)
        .order_by("student__student_number")
    )
    rows = alert_list(placements, today)
    return sorted(rows, key=lambda r: ("incident" not in r.alerts, -len(r.alerts)))
