"""Aggregates of the statement table for the learning-analytics dashboards (ADR 0409, 0410).

The LRS knows accounts and the org tree, not courses: the dashboards (in ``learning``, which
knows teaching tasks and online courses) hand it the learner accounts a table is about and
fold what comes back. Every figure is grouped in SQL (``GROUP BY``), so the number of queries
does not grow with the number of statements or learners; the group keys come back as agent
keys and the caller maps them to its rows.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from openvet.core import policy
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.core.selectors import org_school_of
from openvet.identity.models import RoleAssignment
from openvet.lrs.early_warning import account_key
from openvet.lrs.models import AcademicWarning, Statement, WarningStatus

# Read the dashboards of a subtree: school administrators, department heads (their
# department), regional administrators (their province or city).
VIEW_ANALYTICS = "lrs.view_learning_analytics"
# SQLite accepts a few thousand parameters per statement at most in older builds: long
# lists of learners are asked in chunks.
_CHUNK = 500


def keys_of(user_ids: Iterable[int]) -> dict[str, int]:
    """Agent key -> user id for these accounts."""
    return {account_key(pk): pk for pk in user_ids}


def week_start(moment: datetime | date) -> date:
    """The Monday of the week of ``moment`` in the platform's time zone."""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return moment - timedelta(days=moment.weekday())


def weeks_back(count: int, today: date | None = None) -> list[date]:
    """The Mondays of the last ``count`` weeks, oldest first, this week last."""
    this_week = week_start(today or timezone.localdate())
    return [this_week - timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


@dataclass(frozen=True)
class LearnerWeek:
    """How many statements one learner account made in one week."""

    user_id: int
    week: date
    statements: int


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for offset in range(0, len(values), _CHUNK):
        yield values[offset : offset + _CHUNK]


def learner_weeks(
    *, school_ids: Iterable[int], user_ids: Iterable[int], since: date
) -> list[LearnerWeek]:
    """Statements per learner and week from the week of ``since`` to this one: one grouped
    query (per 500 learners) with a filtered count per week. Plain range comparisons on
    ``stored`` use its index on both databases, where truncating every row to its week would
    call a function per row (a Python one on SQLite, ADR 0411)."""
    keys = keys_of(user_ids)
    schools = list(school_ids)
    mondays = [week_start(since)]
    while mondays[-1] + timedelta(weeks=1) <= week_start(timezone.localdate()):
        mondays.append(mondays[-1] + timedelta(weeks=1))
    counts = {
        f"w{n}": Count(
            "id",
            filter=Q(stored__gte=_midnight(m), stored__lt=_midnight(m + timedelta(weeks=1))),
        )
        for n, m in enumerate(mondays)
    }
    found: list[LearnerWeek] = []
    for chunk in _chunks(sorted(keys)):
        rows = (
            Statement.objects.filter(
                school_id__in=schools,
                actor_key__in=chunk,
                stored__gte=_midnight(mondays[0]),
                voided=False,
            )
            .values("actor_key")
            .annotate(**counts)
            .order_by()
        )
        for row in rows:
            user_id = keys[row["actor_key"]]
            found += [
                LearnerWeek(user_id, m, row[f"w{n}"]) for n, m in enumerate(mondays) if row[f"w{n}"]
            ]
    return found


def open_warnings_by_learner(*, user_ids: Iterable[int]) -> dict[int, int]:
    """Open or acknowledged (not yet closed) early warnings per learner account."""
    ids = list(user_ids)
    found: dict[int, int] = {}
    for offset in range(0, len(ids), _CHUNK):
        rows = (
            AcademicWarning.objects.filter(learner_id__in=ids[offset : offset + _CHUNK])
            .exclude(status=WarningStatus.CLOSED)
            .values("learner_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("learner_id", "n")
        )
        found.update(dict(rows))
    return found


def learners_under(paths: Iterable[str]) -> dict[int, str]:
    """The active student accounts whose role sits in these subtrees: user id -> the path
    of the org their student role is granted on (their class)."""
    within = Q(pk__in=[])
    for path in paths:
        within |= Q(org__path__startswith=path)
    rows = (
        RoleAssignment.objects.filter(within, role=Role.STUDENT, user__is_active=True)
        .order_by("user_id", "org__path")
        .values_list("user_id", "org__path")
    )
    return dict(rows)


def analytics_paths(actor: Actor) -> list[str]:
    return policy.capability_paths(actor, VIEW_ANALYTICS)


def can_view_analytics(actor: Actor, org: OrgUnit) -> bool:
    return policy.has_capability(actor, VIEW_ANALYTICS, org)


def statement_lines(
    *, school_ids: Iterable[int], user_ids: Iterable[int], since: date | None = None
) -> Iterator[bytes]:
    """The learners' platform statements as JSON lines, oldest first, read in pages so that
    memory stays flat whatever their number (the caller streams them)."""
    keys = sorted(keys_of(user_ids))
    schools = list(school_ids)
    condition = Q(school_id__in=schools, voided=False)
    if since is not None:
        condition &= Q(
            stored__gte=timezone.make_aware(datetime.combine(since, datetime.min.time()))
        )
    for chunk in _chunks(keys):
        rows = (
            Statement.objects.filter(condition, actor_key__in=chunk)
            .order_by("stored", "pk")
            .values_list("body", flat=True)
        )
        for body in rows.iterator(chunk_size=2000):
            yield (json.dumps(body, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def school_ids_of(org: OrgUnit) -> list[int]:
    """The schools whose statements a place's dashboard reads: its own school, or every
    school below a region."""
    school = org_school_of(org)
    if school is not None:
        return [school.pk]
    return list(
        OrgUnit.objects.filter(path__startswith=org.path, kind=OrgKind.SCHOOL).values_list(
            "pk", flat=True
        )
    )


def analytics_ancestors(actor: Actor, org: OrgUnit) -> list[OrgUnit]:
    """The places above ``org`` whose dashboard ``actor`` may also read (the breadcrumb)."""
    above = OrgUnit.objects.filter(pk__in=org.ancestor_ids).exclude(pk=org.pk).order_by("depth")
    return [node for node in above if can_view_analytics(actor, node)]
