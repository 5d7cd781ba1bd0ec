"""Reads of industry, scoped by role and org."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.industry import evidence, permissions, rules
from openvet.industry.codes import NOT_PLACED
from openvet.industry.models import (
    CheckIn,
    EnterpriseProfile,
    GraduateDestination,
    InternshipPlan,
    InternshipPost,
    JobSkill,
    JobStandard,
    Journal,
    Placement,
    PlacementStatus,
    PostApproval,
    PostStatus,
)
from openvet.teaching import selectors as teaching


def enterprise_list_for(*, actor: Actor) -> QuerySet[OrgUnit]:
    """The enterprise library: open to every role holding the view capability."""
    if not policy.has_capability(actor, permissions.VIEW_ENTERPRISE):
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, is_active=True).order_by("name")


def enterprise_get_for(*, actor: Actor, enterprise_id: int) -> OrgUnit:
    found = enterprise_list_for(actor=actor).filter(pk=enterprise_id).first()
    if found is None:
        raise NotFound()
    return found


def profiles_by_enterprise(ids: list[int]) -> dict[int, EnterpriseProfile]:
    return {p.enterprise_id: p for p in EnterpriseProfile.objects.filter(enterprise_id__in=ids)}


def profile_of(enterprise: OrgUnit) -> EnterpriseProfile | None:
    return EnterpriseProfile.objects.filter(enterprise=enterprise).first()


def open_posts(
    enterprise: OrgUnit | None = None, *, school_id: int | None = None
) -> QuerySet[InternshipPost]:
    """Open posts a school has approved (of one enterprise, or for one school)."""
    posts = InternshipPost.objects.filter(
        status=PostStatus.OPEN, approval=PostApproval.APPROVED
    ).select_related("org", "school")
    if enterprise is not None:
        posts = posts.filter(org=enterprise)
    if school_id is not None:
        posts = posts.filter(school_id=school_id)
    return posts


def _sees_unapproved(actor: Actor, post: InternshipPost) -> bool:
    """The enterprise's own mentors, and the staff of the school asked to approve it."""
    if permissions.can_publish_post(actor, post.org):
        return True
    return post.school is not None and policy.has_capability(
        actor, permissions.MANAGE_PLACEMENT, post.school
    )


def posts_of_enterprise_for(*, actor: Actor, enterprise: OrgUnit) -> list[InternshipPost]:
    """The enterprise's posts a reader sees: its own mentors see every one with its approval;
    others see the open approved ones, and the pending ones their school is asked about."""
    posts = InternshipPost.objects.filter(org=enterprise).select_related("org", "school")
    return [
        p
        for p in posts
        if (p.approval == PostApproval.APPROVED and p.status == PostStatus.OPEN)
        or _sees_unapproved(actor, p)
    ]


def post_get_for(*, actor: Actor, post_id: int) -> InternshipPost:
    post = InternshipPost.objects.select_related("org", "school").filter(pk=post_id).first()
    if post is None or not policy.has_capability(actor, permissions.VIEW_ENTERPRISE):
        raise NotFound()
    if post.approval != PostApproval.APPROVED and not _sees_unapproved(actor, post):
        raise NotFound()
    return post


def schools_for_posts() -> QuerySet[OrgUnit]:
    """The schools an enterprise may publish a post for."""
    return OrgUnit.objects.filter(kind=OrgKind.SCHOOL, is_active=True).order_by("name")


def _own_placements(actor: Actor) -> Q | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return Q(student__user=actor) | Q(school_mentor=actor) | Q(enterprise_mentor=actor)


def placement_list_for(*, actor: Actor) -> QuerySet[Placement]:
    return policy.scope(
        Placement.objects.all(), actor, permissions.VIEW_PLACEMENT, own=_own_placements(actor)
    ).select_related("student", "post", "enterprise", "plan", "school_mentor", "enterprise_mentor")


def placement_get_for(*, actor: Actor, placement_id: int) -> Placement:
    found = placement_list_for(actor=actor).filter(pk=placement_id).first()
    if found is None:
        raise NotFound()
    return found


def plan_list_for(*, actor: Actor) -> QuerySet[InternshipPlan]:
    return policy.scope(
        InternshipPlan.objects.all(), actor, permissions.VIEW_PLACEMENT
    ).select_related("org")


def plan_get_for(*, actor: Actor, plan_id: int) -> InternshipPlan:
    found = plan_list_for(actor=actor).filter(pk=plan_id).first()
    if found is None:
        raise NotFound()
    return found


def classes_for_plans(*, actor: Actor) -> QuerySet[OrgUnit]:
    return policy.scope(
        OrgUnit.objects.filter(kind=OrgKind.CLASS, is_active=True),
        actor,
        permissions.MANAGE_PLACEMENT,
        path_field="path",
    ).order_by("path")


@dataclass
class Watch:
    """One placement as the mentors' work list shows it: its alerts and fake-evidence flags."""

    placement: Placement
    last_checkin: Any = None
    alerts: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)


def work_list(placements: list[Placement], today: date | None = None) -> list[Watch]:
    """Alerts (no check-in for N days) and flags (faked check-ins and journals) of
    ``placements``, in at most five queries whatever their number. The check-in flags judge
    the last ``evidence_window_days`` (ADR 0625), read through the indexes (placement, day)
    and (device, day)."""
    today = today or timezone.localdate()
    ids = [p.pk for p in placements]
    settings = rules.rule_settings()
    silent_days = settings["silent_days"]
    since = today - timedelta(days=settings["evidence_window_days"])
    recent = CheckIn.objects.filter(day__gte=since)
    points: dict[int, list[evidence.Point]] = defaultdict(list)
    devices: dict[str, set[int]] = defaultdict(set)
    for row in (
        recent.filter(placement_id__in=ids)
        .order_by("at")
        .values_list("placement_id", "at", "latitude", "longitude", "device")
    ):
        points[row[0]].append(evidence.Point(row[1], float(row[2]), float(row[3]), row[4]))
    device_points: dict[str, list[evidence.DevicePoint]] = defaultdict(list)
    for device, student, placement_id, at, lat, lon in (
        recent.exclude(device="")
        .filter(device__in=recent.filter(placement_id__in=ids).values("device"))
        .values_list(
            "device", "placement__student_id", "placement_id", "at", "latitude", "longitude"
        )
    ):
        devices[device].add(student)
        device_points[device].append(evidence.DevicePoint(placement_id, at, float(lat), float(lon)))
    shared = evidence.shared_devices(devices)
    teleported = evidence.device_teleports(
        {d: p for d, p in device_points.items() if len({x.placement_id for x in p}) > 1}
    )
    older = _last_checkins([pk for pk in ids if pk not in points])
    journals: dict[int, list[str]] = defaultdict(list)
    repeated: set[int] = set()
    for placement_id, text in (
        Journal.objects.filter(placement_id__in=ids)
        .order_by("week_start")
        .values_list("placement_id", "text")
    ):
        if evidence.is_repeated(text, journals[placement_id]):
            repeated.add(placement_id)
        journals[placement_id].append(text)
    watches = []
    for placement in placements:
        series = points.get(placement.pk, [])
        last = series[-1].at if series else older.get(placement.pk)
        watch = Watch(placement, last_checkin=last)
        watch.flags = evidence.checkin_flags(series)
        if any(p.device in shared for p in series):
            watch.flags.add("shared_device")
        if placement.pk in teleported:
            watch.flags.add("teleport")
        if placement.pk in repeated:
            watch.flags.add("repeated_journal")
        started = placement.start_date <= today <= placement.end_date
        last_day = timezone.localdate(last) if last else placement.start_date
        if (
            started
            and placement.status == PlacementStatus.ACTIVE
            and (today - last_day >= timedelta(days=silent_days))
        ):
            watch.alerts.append("silent")
        watches.append(watch)
    return watches


def _last_checkins(placement_ids: list[int]) -> dict[int, datetime]:
    """The last check-in of placements with none in the evidence window (shown, and the
    silent-days alert counts from it)."""
    if not placement_ids:
        return {}
    return dict(
        CheckIn.objects.filter(placement_id__in=placement_ids)
        .order_by()
        .values("placement_id")
        .annotate(last=Max("at"))
        .values_list("placement_id", "last")
    )


def journals_of(placement: Placement) -> QuerySet[Journal]:
    return placement.journals.select_related("cosigned_by").order_by("-week_start")


def journal_get_for(*, actor: Actor, journal_id: int) -> Journal:
    journal = Journal.objects.select_related("placement").filter(pk=journal_id).first()
    if (
        journal is None
        or not placement_list_for(actor=actor).filter(pk=journal.placement_id).exists()
    ):
        raise NotFound()
    return journal


def checkins_of_student(student: Any) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(placement__student=student).order_by("-at", "-id")


def last_checkin_of(placement: Placement) -> CheckIn | None:
    return placement.checkins.order_by("-at").first()


@dataclass(frozen=True)
class RateRow:
    label: str
    graduates: int
    placed: int

    @property
    def rate(self) -> float:
        return round(100 * self.placed / self.graduates, 1) if self.graduates else 0.0

    @property
    def rate_text(self) -> str:
        """One decimal and a percent sign, as attendance rates read (ADR 0309); a dash when
        there is no graduate to count rather than a misleading 0%."""
        return f"{self.rate:.1f}%" if self.graduates else "—"


def destination_list_for(*, actor: Actor) -> QuerySet[GraduateDestination]:
    return policy.scope(
        GraduateDestination.objects.all(), actor, permissions.VIEW_EMPLOYMENT
    ).select_related("student__major", "student__class_unit")


def destination_rates(*, actor: Actor, by: str = "major") -> list[RateRow]:
    """去向落实率 by major, class or year: graduates whose destination counts as placed."""
    key = {"major": "student__major__name", "class": "student__class_unit__name"}.get(
        by, "graduation_year"
    )
    rows = (
        destination_list_for(actor=actor)
        .values(key)
        .annotate(
            graduates=Count("pk"),
            placed=Count("pk", filter=~Q(destination__in=list(NOT_PLACED))),
            latest=Max("updated_at"),
        )
        .order_by(key)
    )
    return [RateRow(str(r[key] or ""), r["graduates"], r["placed"]) for r in rows]


# --- Job-skill standards (ADR 0607) -----------------------------------------------------------


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def standard_list_for(*, actor: Actor) -> QuerySet[JobStandard]:
    """The standards of the schools where ``actor`` works: a grant anywhere inside the school
    (a teacher's department) reaches its standards, as does a grant above it."""
    condition = Q()
    for path in policy.capability_paths(actor, permissions.VIEW_STANDARD):
        condition |= Q(org__path__startswith=path) | Q(org__path__in=_prefixes(path))
    if not condition:
        return JobStandard.objects.none()
    return (
        JobStandard.objects.filter(condition, org__kind=OrgKind.SCHOOL)
        .select_related("org", "enterprise")
        .prefetch_related("majors")
    )


def standard_get_for(*, actor: Actor, standard_id: int) -> JobStandard:
    found = standard_list_for(actor=actor).filter(pk=standard_id).first()
    if found is None:
        raise NotFound()
    return found


def standard_skills(standard: JobStandard) -> QuerySet[JobSkill]:
    return standard.skills.select_related("task").prefetch_related("courses")


@dataclass(frozen=True)
class CoverageRow:
    standard: JobStandard
    skill: JobSkill
    courses: list[Any]

    @property
    def taught(self) -> bool:
        return bool(self.courses)


@dataclass(frozen=True)
class Coverage:
    major: OrgUnit
    has_programme: bool
    rows: list[CoverageRow]

    @property
    def gaps(self) -> list[CoverageRow]:
        return [r for r in self.rows if not r.taught]


def coverage_of_major(*, actor: Actor, major: OrgUnit) -> Coverage:
    """Every skill of the standards linked to ``major``, with the courses of the major's
    training programmes that teach it; a skill no such course teaches is a gap."""
    school = major.parent
    while school is not None and school.kind != OrgKind.SCHOOL:
        school = school.parent
    programmes = [
        p for p in teaching.programme_list_for(actor=actor, school=school) if p.org_id == major.pk
    ]
    taught_ids: set[int] = set()
    for programme in programmes:
        taught_ids |= {pc.course_id for pc in teaching.programme_courses(programme)}
    rows = []
    for standard in standard_list_for(actor=actor).filter(majors=major).order_by("name"):
        for skill in standard_skills(standard):
            courses = [c for c in skill.courses.all() if c.pk in taught_ids]
            rows.append(CoverageRow(standard, skill, courses))
    return Coverage(major, bool(programmes), rows)
