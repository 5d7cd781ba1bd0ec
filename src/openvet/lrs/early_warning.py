"""Early warning (学业预警): rules over what the LRS knows of each learner (ADR 0408).

Activity and grades are statements: inactivity, falling activity and low grades are counted
from the statement table. An absence is not something the learner did, so it is no
statement: the app that keeps attendance registers a *fact source* (``register_facts``) that
counts each learner account's absences since a date, and the absence rule asks it. The LRS
imports no app above it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q

from openvet.core.models import OrgUnit
from openvet.core.roles import Role
from openvet.identity.models import RoleAssignment, User
from openvet.lrs.models import AcademicWarning, Statement, WarningKind, WarningRule, WarningStatus
from openvet.lrs.vocabulary import platform_iri, verb_of
from openvet.lrs.xapi.keys import agent_key

# Given a school id and a moment, how many times each learner account (by user id) ...
FactSource = Callable[[int, datetime], dict[int, int]]
ABSENCES = "absences"
_facts: dict[str, FactSource] = {}

# kind -> (threshold, days) when a school has not set the rule.
DEFAULTS: dict[str, tuple[int, int]] = {
    WarningKind.INACTIVE: (1, 14),  # fewer than 1 record in 14 days
    WarningKind.ABSENCES: (3, 30),  # 3 absences or more in 30 days
    WarningKind.LOW_GRADE: (60, 180),  # a grade below 60 in 180 days
    WarningKind.FALLING: (50, 14),  # at least 50 % fewer records than the 14 days before
}
# What a rule found: the figures of each matching learner account, by user id.
Matches = dict[int, dict[str, Any]]
# Falling activity needs a base: fewer records than this in the earlier window is no trend.
FALLING_BASE = 5


def register_facts(name: str, source: FactSource) -> None:
    _facts[name] = source


def facts(name: str, school_id: int, since: datetime) -> dict[int, int]:
    source = _facts.get(name)
    return source(school_id, since) if source is not None else {}


@dataclass(frozen=True)
class Rule:
    kind: str
    threshold: int
    days: int
    is_active: bool


def rules_of(school: OrgUnit) -> list[Rule]:
    """The school's rules: its own settings, the defaults for the rest."""
    saved = {row.kind: row for row in WarningRule.objects.filter(school=school)}
    found = []
    for kind in WarningKind.values:
        row = saved.get(kind)
        if row is not None:
            found.append(Rule(kind, row.threshold, row.days, row.is_active))
        else:
            threshold, days = DEFAULTS[kind]
            found.append(Rule(kind, threshold, days, True))
    return found


def account_key(user_id: int) -> str:
    return agent_key({"account": {"homePage": platform_iri(), "name": str(user_id)}})


def learners_of(school: OrgUnit) -> dict[str, int]:
    """The school's student accounts, by the agent key their statements carry."""
    students = RoleAssignment.objects.filter(role=Role.STUDENT, org__path__startswith=school.path)
    ids = User.objects.filter(is_active=True, pk__in=students.values("user_id")).values_list(
        "pk", flat=True
    )
    return {account_key(pk): pk for pk in ids}


def _counts(
    school: OrgUnit, keys: Iterable[str], since: datetime, until: datetime
) -> dict[str, int]:
    rows = (
        Statement.objects.filter(
            school=school, actor_key__in=list(keys), stored__gte=since, stored__lt=until
        )
        .values("actor_key")
        .annotate(n=Count("id"))
        .values_list("actor_key", "n")
    )
    found: dict[str, int] = dict(rows)
    return found


def _inactive(school: OrgUnit, learners: dict[str, int], rule: Rule, now: datetime) -> Matches:
    counts = _counts(school, learners, now - timedelta(days=rule.days), now)
    return {
        pk: {"count": counts.get(key, 0), "days": rule.days, "threshold": rule.threshold}
        for key, pk in learners.items()
        if counts.get(key, 0) < rule.threshold
    }


def _falling(school: OrgUnit, learners: dict[str, int], rule: Rule, now: datetime) -> Matches:
    middle = now - timedelta(days=rule.days)
    after = _counts(school, learners, middle, now)
    before = _counts(school, learners, middle - timedelta(days=rule.days), middle)
    found: Matches = {}
    for key, pk in learners.items():
        earlier, later = before.get(key, 0), after.get(key, 0)
        if earlier >= FALLING_BASE and later * 100 <= earlier * (100 - rule.threshold):
            found[pk] = {"before": earlier, "after": later, "days": rule.days}
    return found


def _low_grades(school: OrgUnit, learners: dict[str, int], rule: Rule, now: datetime) -> Matches:
    scored = Statement.objects.filter(
        school=school,
        verb_id=verb_of("scored").iri,
        actor_key__in=list(learners),
        stored__gte=now - timedelta(days=rule.days),
        voided=False,
    ).values_list("actor_key", "body")
    found: Matches = {}
    for key, body in scored:
        raw = ((body.get("result") or {}).get("score") or {}).get("raw")
        if not isinstance(raw, int | float) or raw >= rule.threshold:
            continue
        pk = learners[key]
        seen = found.setdefault(pk, {"count": 0, "lowest": raw, "threshold": rule.threshold})
        seen["count"] += 1
        seen["lowest"] = min(seen["lowest"], raw)
    for seen in found.values():
        seen["days"] = rule.days
    return found


def _absences(school: OrgUnit, learners: dict[str, int], rule: Rule, now: datetime) -> Matches:
    counts = facts(ABSENCES, school.pk, now - timedelta(days=rule.days))
    ids = set(learners.values())
    return {
        pk: {"count": n, "days": rule.days}
        for pk, n in counts.items()
        if pk in ids and n >= rule.threshold
    }


_CHECKS: dict[str, Callable[[OrgUnit, dict[str, int], Rule, datetime], Matches]] = {
    WarningKind.INACTIVE: _inactive,
    WarningKind.FALLING: _falling,
    WarningKind.LOW_GRADE: _low_grades,
    WarningKind.ABSENCES: _absences,
}


def evaluate(school: OrgUnit, now: datetime) -> list[AcademicWarning]:
    """The new warnings of a school's learners at ``now`` (not yet saved): one per learner and
    rule that matches, unless one is being dealt with or was closed within the rule's days."""
    learners = learners_of(school)
    if not learners:
        return []
    new = []
    for rule in rules_of(school):
        if not rule.is_active:
            continue
        matched = _CHECKS[rule.kind](school, learners, rule, now)
        if not matched:
            continue
        settled = AcademicWarning.objects.filter(
            Q(status__in=[WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED])
            | Q(closed_at__gte=now - timedelta(days=rule.days)),
            kind=rule.kind,
            learner_id__in=list(matched),
        ).values_list("learner_id", flat=True)
        skip = set(settled)
        new += [
            AcademicWarning(
                school=school, learner_id=pk, kind=rule.kind, details=details, raised_at=now
            )
            for pk, details in sorted(matched.items())
            if pk not in skip
        ]
    return new
