"""Reads of the learning record store for its pages: clients and forwarding, scoped by org."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.identity.models import User
from openvet.lrs import learners, retention
from openvet.lrs.early_warning import Rule, rules_of
from openvet.lrs.models import (
    AcademicWarning,
    Client,
    ForwardEntry,
    RetentionRemoval,
    RetentionRun,
    SchoolRetention,
    Statement,
    Upstream,
    WarningStatus,
)
from openvet.lrs.vocabulary import platform_iri
from openvet.lrs.xapi.keys import agent_key

VIEW_CLIENT = "lrs.view_client"
ADD_CLIENT = "lrs.add_client"
CHANGE_UPSTREAM = "lrs.change_upstream"
# Read the learning records of the learners whose home org is within the grant (counsellors,
# granted on their classes).
VIEW_LEARNER = "lrs.view_learner_statements"
CHANGE_WARNING_RULE = "lrs.change_warningrule"
VIEW_ANALYTICS = "lrs.view_learning_analytics"


def client_schools_for(*, actor: Actor, capability: str = VIEW_CLIENT) -> QuerySet[OrgUnit]:
    """The schools within the subtrees where ``actor`` holds ``capability``."""
    paths = policy.capability_paths(actor, capability)
    if not paths:
        return OrgUnit.objects.none()
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    return OrgUnit.objects.filter(within, kind=OrgKind.SCHOOL).order_by("path")


def client_list_for(*, actor: Actor) -> QuerySet[Client]:
    schools = client_schools_for(actor=actor)
    return Client.objects.filter(school__in=schools).select_related("school")


@dataclass(frozen=True)
class ForwardingInfo:
    """How a school forwards its statements: its upstream (None when not set) and how many
    statements wait to be sent."""

    school: OrgUnit
    upstream: Upstream | None
    queued: int


def forwarding_list_for(*, actor: Actor) -> list[ForwardingInfo]:
    """The forwarding of every school where ``actor`` may set it, in three queries."""
    schools = list(client_schools_for(actor=actor, capability=CHANGE_UPSTREAM))
    upstreams = {row.school_id: row for row in Upstream.objects.filter(school__in=schools)}
    queued = dict(
        ForwardEntry.objects.filter(upstream__school__in=schools)
        .values_list("upstream__school")
        .annotate(n=Count("id"))
        .values_list("upstream__school", "n")
    )
    return [
        ForwardingInfo(school, upstreams.get(school.pk), queued.get(school.pk, 0))
        for school in schools
    ]


def upstream_school_get_for(*, actor: Actor, school_id: int) -> OrgUnit:
    """A school whose forwarding ``actor`` may set; NotFound otherwise."""
    found = client_schools_for(actor=actor, capability=CHANGE_UPSTREAM).filter(pk=school_id)
    school = found.first()
    if school is None:
        raise NotFound()
    return school


def upstream_of(*, school: OrgUnit) -> Upstream | None:
    return Upstream.objects.filter(school=school).first()


def learner_account_key(user_id: int) -> str:
    """The agent key of a learner's platform account (how ``record_learning_event`` names
    the actor, ADR 0401)."""
    return agent_key({"account": {"homePage": platform_iri(), "name": str(user_id)}})


def learner_get_for(*, actor: Actor, user_id: int) -> User:
    """A learner whose records ``actor`` may read: their own, a learner of a course they
    teach, a student of a class they counsel; NotFound otherwise (ADR 0407)."""
    learner = User.objects.select_related("home_org").filter(pk=user_id).first()
    if learner is None or not getattr(actor, "is_authenticated", False):
        raise NotFound()
    if learner.pk == actor.pk:
        return learner
    home = learner.home_org
    # Counsellors over their classes; whoever reads the learning analytics of a subtree
    # drills down from its dashboards to a learner of it (ADR 0410).
    paths = [
        *policy.capability_paths(actor, VIEW_LEARNER),
        *policy.capability_paths(actor, VIEW_ANALYTICS),
    ]
    if home is not None and any(home.path.startswith(path) for path in paths):
        return learner
    if learner.pk in learners.taught_by(actor):
        return learner
    raise NotFound()


def learner_statement_list_for(
    *, actor: Actor, user_id: int, limit: int = 100
) -> tuple[User, list[dict[str, Any]]]:
    """The platform learning records of a learner ``actor`` may read, newest first."""
    learner = learner_get_for(actor=actor, user_id=user_id)
    rows = (
        Statement.objects.filter(actor_key=learner_account_key(learner.pk), voided=False)
        .order_by("-stored", "-pk")
        .only("body")[:limit]
    )
    return learner, [row.body for row in rows]


def warning_list_for(*, actor: Actor, closed: bool = False) -> QuerySet[AcademicWarning]:
    """The warnings ``actor`` may see: their counselled learners' and their own."""
    rows = AcademicWarning.objects.select_related("learner", "learner__home_org")
    rows = (
        rows.filter(status=WarningStatus.CLOSED)
        if closed
        else rows.exclude(status=WarningStatus.CLOSED)
    )
    own = Q(learner_id=actor.pk) if getattr(actor, "is_authenticated", False) else None
    return policy.scope(rows, actor, VIEW_LEARNER, path_field="learner__home_org__path", own=own)


def warning_get_for(*, actor: Actor, warning_id: int) -> AcademicWarning:
    found = (
        warning_list_for(actor=actor).filter(pk=warning_id).first()
        or warning_list_for(actor=actor, closed=True).filter(pk=warning_id).first()
    )
    if found is None:
        raise NotFound()
    return found


def can_handle_warning(actor: Actor, warning: AcademicWarning) -> bool:
    home = warning.learner.home_org
    return home is not None and policy.has_capability(actor, VIEW_LEARNER, home)


def warning_rule_schools_for(*, actor: Actor) -> QuerySet[OrgUnit]:
    return client_schools_for(actor=actor, capability=CHANGE_WARNING_RULE)


def warning_rules_of(*, school: OrgUnit) -> list[Rule]:
    return rules_of(school)


CHANGE_RETENTION = "lrs.change_schoolretention"
MANAGE_PARTITIONS = "lrs.manage_statement_partitions"


def retention_schools_for(*, actor: Actor) -> QuerySet[OrgUnit]:
    """The schools whose retention period ``actor`` may see and set."""
    return client_schools_for(actor=actor, capability=CHANGE_RETENTION)


def retention_school_get_for(*, actor: Actor, school_id: int) -> OrgUnit:
    """A school whose retention period ``actor`` may set; NotFound otherwise."""
    found = retention_schools_for(actor=actor).filter(pk=school_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class MonthCount:
    month: date
    count: int


@dataclass(frozen=True)
class RetentionInfo:
    """A school's retention: its own period (None: the platform's), the platform's period,
    its statements per month of the last twelve, and the last run of the retention job with
    how many of its statements that run removed."""

    school: OrgUnit
    own_days: int | None
    platform_days: int
    months: list[MonthCount]
    last_run: RetentionRun | None
    last_removed: int

    @property
    def days(self) -> int:
        return self.platform_days if self.own_days is None else self.own_days

    @property
    def most(self) -> int:
        return max((month.count for month in self.months), default=0)


def retention_of(*, school: OrgUnit, now: datetime | None = None) -> RetentionInfo:
    """``school``'s retention (the caller has checked the school is visible); the months are
    one range of the ``(school, stored)`` index grouped by month."""
    here = timezone.localtime(now or timezone.now()).date().replace(day=1)
    firsts = [here]
    for _step in range(11):
        firsts.append((firsts[-1] - timedelta(days=1)).replace(day=1))
    since = timezone.make_aware(datetime.combine(firsts[-1], datetime.min.time()))
    counted = {
        timezone.localtime(row["month"]).date()
        if isinstance(row["month"], datetime)
        else row["month"]: row["n"]
        for row in Statement.objects.filter(school=school, stored__gte=since)
        .annotate(month=TruncMonth("stored"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    own = SchoolRetention.objects.filter(school=school).values_list("days", flat=True).first()
    run = RetentionRun.objects.first()
    removed = 0
    if run is not None:
        found = RetentionRemoval.objects.filter(run=run, school=school).first()
        removed = found.deleted if found is not None else 0
    return RetentionInfo(
        school=school,
        own_days=own,
        platform_days=retention.retention_days(),
        months=[MonthCount(first, counted.get(first, 0)) for first in reversed(firsts)],
        last_run=run,
        last_removed=removed,
    )


def retention_list_for(*, actor: Actor) -> list[tuple[OrgUnit, int | None]]:
    """Every school ``actor`` may set the retention of, with its own period (None: the
    platform's), in two queries."""
    schools = list(retention_schools_for(actor=actor))
    own = dict(SchoolRetention.objects.filter(school__in=schools).values_list("school_id", "days"))
    return [(school, own.get(school.pk)) for school in schools]


def can_manage_partitions(actor: Actor) -> bool:
    return policy.has_capability(actor, MANAGE_PARTITIONS)
