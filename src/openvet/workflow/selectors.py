"""Scoped reads: my pending approvals, an instance's trail, monitoring figures, and the
process definitions in force for a school."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.utils import timezone

from openvet.core import policy
from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.selectors import org_get_for
from openvet.workflow.contracts import DefinitionInfo, StepSpec
from openvet.workflow.models import (
    OPEN_STATUSES,
    Delegation,
    InstanceStatus,
    Notification,
    ProcessDefinition,
    ProcessInstance,
    StepDefinition,
    Task,
    TaskStatus,
)
from openvet.workflow.permissions import active_delegations_to
from openvet.workflow.registry import process_kind, process_kinds

VIEW_DEFINITIONS = "workflow.view_processdefinition"


def _task_condition(user: Any) -> Q:
    condition = Q()
    for grant in policy.current_grants(user):
        condition |= Q(role=grant.role, org_path__startswith=grant.org_path)
    return condition


def _reachable_tasks(actor: Actor) -> QuerySet[Task]:
    """Tasks the actor may decide in their own right or as someone's delegate."""
    condition = _task_condition(actor)
    for delegation in active_delegations_to(actor):
        condition |= _task_condition(delegation.from_user)
    if not condition:
        return Task.objects.none()
    return Task.objects.filter(condition)


def task_list_for(*, actor: Actor) -> QuerySet[Task]:
    """My pending approvals: open tasks of pending instances I may decide."""
    return (
        _reachable_tasks(actor)
        .filter(status=TaskStatus.OPEN, instance__status=InstanceStatus.PENDING)
        .exclude(instance__applicant=actor.pk)
        .select_related("instance", "instance__applicant", "org")
        .order_by("due_at", "created_at", "id")
    )


def task_first_for(*, actor: Actor, limit: int) -> tuple[list[Task], int]:
    """The first ``limit`` of my pending approvals and how many there are, in one query: the
    count is a window over the same rows, so the reachable-task condition is built once."""
    tasks: list[Any] = list(
        task_list_for(actor=actor).annotate(waiting=Window(Count("pk")))[:limit]
    )
    return tasks, (int(tasks[0].waiting) if tasks else 0)


def _counted(queryset: QuerySet[Any]) -> Subquery:
    """``queryset``'s row count as a scalar subquery."""
    counted = queryset.order_by().annotate(
        counted=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Subquery(counted.values("counted"), output_field=IntegerField())


def open_counts_for(*, actor: Actor, requests: bool) -> dict[str, int]:
    """My unread notices and, if asked, my requests still open: one query for both."""
    counts: dict[str, Any] = {
        "unread": _counted(notification_list_for(actor=actor).filter(read_at__isnull=True))
    }
    if requests:
        counts["requests"] = _counted(
            ProcessInstance.objects.filter(applicant_id=actor.pk, status__in=OPEN_STATUSES)
        )
    row = get_user_model().objects.filter(pk=actor.pk).values(**counts).first()
    return {key: int(value or 0) for key, value in (row or dict.fromkeys(counts, 0)).items()}


def task_get_for(*, actor: Actor, task_id: int) -> Task:
    task = (
        _reachable_tasks(actor)
        .select_related("instance", "instance__applicant", "org")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise NotFound()
    return task


def instance_get_for(*, actor: Actor, instance_id: int) -> ProcessInstance:
    """Visible to its applicant, to whoever has (or had) a task on it, and to monitors."""
    queryset = ProcessInstance.objects.select_related("definition", "org", "applicant")
    instance = queryset.filter(pk=instance_id).first()
    if instance is None:
        raise NotFound()
    if (
        instance.applicant_id == getattr(actor, "pk", None)
        or policy.has_capability(actor, "workflow.view_processinstance", instance.org)
        or _reachable_tasks(actor).filter(instance=instance).exists()
    ):
        return instance
    raise NotFound()


def instance_tasks(instance: ProcessInstance) -> QuerySet[Task]:
    return instance.tasks.select_related("decided_by", "on_behalf_of", "org").order_by(
        "round", "step_order", "id"
    )


def instance_list_of_applicant(*, actor: Actor) -> QuerySet[ProcessInstance]:
    """My requests, newest first: every request the actor submitted, in any state."""
    if not getattr(actor, "pk", None):
        return ProcessInstance.objects.none()
    return ProcessInstance.objects.filter(applicant_id=actor.pk).select_related("applicant")


def instances_of_subject(*, subject_type: str, subject_id: Any) -> QuerySet[ProcessInstance]:
    """For the owning app, which has already checked that the subject is visible."""
    return ProcessInstance.objects.filter(subject_type=subject_type, subject_id=str(subject_id))


def instance_list_for(
    *, actor: Actor, code: str = "", status: str = ""
) -> QuerySet[ProcessInstance]:
    queryset = policy.scope(ProcessInstance.objects.all(), actor, "workflow.view_processinstance")
    if code:
        queryset = queryset.filter(code=code)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.select_related("applicant", "org")


@dataclass(frozen=True)
class StepFigure:
    code: str
    step_order: int
    step_name: str
    count: int
    average: timedelta | None = None


def monitoring_for(*, actor: Actor, now: datetime | None = None) -> dict[str, Any]:
    """Open instances by kind and step, overdue tasks, average decision time per step.

    One aggregate query each, all scoped to the actor's subtrees.
    """
    now = now or timezone.now()
    tasks = policy.scope(
        Task.objects.all(), actor, "workflow.view_processinstance", path_field="instance__org__path"
    )
    open_tasks = tasks.filter(status=TaskStatus.OPEN, instance__status=InstanceStatus.PENDING)
    by_step = [
        StepFigure(
            code=row["instance__code"],
            step_order=row["step_order"],
            step_name=row["step_name"],
            count=row["count"],
        )
        for row in open_tasks.values("instance__code", "step_order", "step_name")
        .annotate(count=Count("instance", distinct=True))
        .order_by("instance__code", "step_order")
    ]
    overdue = list(
        open_tasks.filter(due_at__lt=now).select_related("instance", "org").order_by("due_at")[:100]
    )
    took = ExpressionWrapper(F("decided_at") - F("created_at"), output_field=DurationField())
    averages = [
        StepFigure(
            code=row["instance__code"],
            step_order=row["step_order"],
            step_name=row["step_name"],
            count=row["count"],
            average=row["average"],
        )
        for row in tasks.filter(decided_at__isnull=False)
        .values("instance__code", "step_order", "step_name")
        .annotate(count=Count("id"), average=Avg(took))
        .order_by("instance__code", "step_order")
    ]
    return {"by_step": by_step, "overdue": overdue, "averages": averages}


def notification_list_for(*, actor: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(user=actor.pk).select_related("instance", "task")


def delegation_list_for(*, actor: Actor) -> QuerySet[Delegation]:
    return Delegation.objects.filter(Q(from_user=actor) | Q(to_user=actor)).select_related(
        "from_user", "to_user"
    )


def delegation_get_for(*, actor: Actor, delegation_id: int) -> Delegation:
    delegation = Delegation.objects.filter(pk=delegation_id, from_user=actor.pk).first()
    if delegation is None:
        raise NotFound()
    return delegation


# Process definitions ----------------------------------------------------------------------


def definition_schools_for(*, actor: Actor) -> QuerySet[OrgUnit]:
    """The schools whose process definitions the actor may see."""
    return policy.scope(
        OrgUnit.objects.filter(kind=OrgKind.SCHOOL), actor, VIEW_DEFINITIONS, path_field="path"
    ).order_by("path")


def definition_school_get_for(*, actor: Actor, school_id: int) -> OrgUnit:
    """A school whose definitions the actor may see: 403 without the capability anywhere,
    404 for a school outside the actor's part of the tree."""
    if not policy.has_capability(actor, VIEW_DEFINITIONS):
        raise PermissionDenied()
    school = org_get_for(actor=actor, org_id=school_id, capability=VIEW_DEFINITIONS)
    if school.kind != OrgKind.SCHOOL:
        raise NotFound()
    return school


def definition_school_for(*, actor: Actor, school_id: int | None) -> OrgUnit:
    """The school asked for, else the first whose definitions the actor may see."""
    if school_id is not None:
        return definition_school_get_for(actor=actor, school_id=school_id)
    if not policy.has_capability(actor, VIEW_DEFINITIONS):
        raise PermissionDenied()
    school = definition_schools_for(actor=actor).first()
    if school is None:
        raise NotFound()
    return school


def _step_spec(step: StepDefinition) -> StepSpec:
    return StepSpec(
        name=step.name,
        roles=tuple(step.roles),
        org_level=step.org_level,
        mode=step.mode,
        condition=dict(step.condition or {}),
        deadline_hours=step.deadline_hours,
    )


def _info(definition: ProcessDefinition, label: Any) -> DefinitionInfo:
    return DefinitionInfo(
        id=definition.pk,
        code=definition.code,
        label=label,
        version=definition.version,
        school_id=definition.school_id,
        steps=tuple(_step_spec(step) for step in definition.steps.all()),
    )


def definitions_in_force(*, school: OrgUnit) -> list[DefinitionInfo]:
    """Every registered kind with the definition a new request in ``school`` would follow:
    the school's own, else the platform's, else the default its app registered."""
    kinds = process_kinds()
    stored = (
        ProcessDefinition.objects.filter(
            Q(school=school) | Q(school__isnull=True),
            code__in=[kind.code for kind in kinds],
            is_active=True,
        )
        .prefetch_related("steps")
        .order_by("code", "-version")
    )
    chosen: dict[str, ProcessDefinition] = {}
    for definition in stored:
        current = chosen.get(definition.code)
        # The school's own beats the platform's; within one owner the highest version wins.
        if current is None or (current.school_id is None and definition.school_id is not None):
            chosen[definition.code] = definition
    return [
        _info(chosen[kind.code], kind.label)
        if kind.code in chosen
        else DefinitionInfo(
            id=None,
            code=kind.code,
            label=kind.label,
            version=1,
            school_id=None,
            steps=kind.default_steps,
        )
        for kind in kinds
    ]


def definition_in_force(*, code: str, school: OrgUnit) -> DefinitionInfo:
    if process_kind(code) is None:
        raise NotFound()
    return next(info for info in definitions_in_force(school=school) if info.code == code)


def definition_versions(*, code: str, school: OrgUnit) -> QuerySet[ProcessDefinition]:
    """The school's versions of ``code`` and the platform's, newest first, each with the
    number of requests still running on it (they keep their version to the end)."""
    return (
        ProcessDefinition.objects.filter(Q(school=school) | Q(school__isnull=True), code=code)
        .annotate(open_count=Count("instances", filter=Q(instances__status__in=OPEN_STATUSES)))
        .order_by(F("school_id").desc(nulls_last=True), "-version")
    )
