"""Reads of learning paths, scoped to the actor (ADR 0535, 0536): a published path is seen by
the readers of its school's library; a draft only by those who may change it."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.policy import Actor
from openvet.resources import permissions as perms
from openvet.resources.models import LearningPath, Licence, PathStep, UsageLog
from openvet.resources.selectors import has_access, resource_list_for


def _under(paths: frozenset[str] | list[str]) -> Q:
    condition = Q(pk__in=[])
    for prefix in paths:
        condition |= Q(org__path__startswith=prefix)
    return condition


def path_list_for(*, actor: Actor, major_code: str = "") -> QuerySet[LearningPath]:
    """Published paths of the schools whose library the actor reads, and the drafts they may
    change (their own, and their school's when they curate its library)."""
    reach = perms.reach_of(actor)
    if not reach.signed_in:
        return LearningPath.objects.none()
    readable = _under(reach.schools | reach.subtrees)
    drafts = Q(created_by=actor.pk) | _under(policy.capability_paths(actor, perms.MANAGE))
    found = LearningPath.objects.filter(readable & (Q(is_published=True) | drafts))
    if major_code:
        found = found.filter(major_code=major_code)
    return found.select_related("org")


def path_get_for(*, actor: Actor, path_id: int) -> LearningPath:
    found = path_list_for(actor=actor).filter(pk=path_id).first()
    if found is None:
        raise NotFound()
    return found


def path_get_for_change(*, actor: Actor, path_id: int) -> LearningPath:
    """The path to build: a 404 when the actor cannot see it, a 403 when they only read it."""
    found = path_get_for(actor=actor, path_id=path_id)
    if not perms.can_change_path(actor, found):
        raise PermissionDenied()
    return found


def step_get_for_change(*, actor: Actor, step_id: int) -> PathStep:
    found = PathStep.objects.filter(pk=step_id).select_related("path__org", "resource").first()
    if found is None:
        raise NotFound()
    found.path = path_get_for_change(actor=actor, path_id=found.path_id)
    return found


def path_steps(path: LearningPath) -> list[PathStep]:
    return list(path.steps.select_related("resource__org"))


@dataclass(frozen=True)
class StepState:
    step: PathStep
    done: bool
    # A paid resource the learner holds no licence for: listed, opened after buying one.
    locked: bool
    # The learner can no longer open the resource's page (withdrawn from their library).
    missing: bool


@dataclass(frozen=True)
class PathProgress:
    steps: list[StepState]

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.steps)) if self.steps else 0

    @property
    def next_step(self) -> StepState | None:
        """Where to continue: the first step not done that the learner can open."""
        return next((s for s in self.steps if not s.done and not s.locked and not s.missing), None)


def path_progress(*, actor: Actor, path: LearningPath) -> PathProgress:
    """Each step, done once the learner has opened its resource: the usage log's lines for
    the page viewed, a file opened or downloaded, the same moments the learning record store
    is told of (ADR 0536)."""
    steps = path_steps(path)
    ids = [s.resource_id for s in steps]
    seen = set(
        UsageLog.objects.filter(user=actor.pk, resource__in=ids).values_list(
            "resource_id", flat=True
        )
    )
    visible = set(resource_list_for(actor=actor).filter(pk__in=ids).values_list("pk", flat=True))
    states = []
    for step in steps:
        missing = step.resource_id not in visible
        locked = (
            not missing
            and step.resource.licence == Licence.PAID
            and not has_access(actor=actor, resource=step.resource)
        )
        states.append(StepState(step, step.resource_id in seen, locked, missing))
    return PathProgress(states)
