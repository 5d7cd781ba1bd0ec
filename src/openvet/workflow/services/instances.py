"""Instances of a process: start, decide, return and resubmit, withdraw and cancel.

Deciding locks the instance row and closes the task with a conditional update, so two
approvers acting at once cannot both win.
"""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.events import publish
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.selectors import org_ancestors, org_school_of
from openvet.workflow.contracts import InstanceInfo
from openvet.workflow.events import ProcessFinished, ProcessReturned
from openvet.workflow.models import (
    Decision,
    InstanceStatus,
    NotificationKind,
    OrgLevel,
    ProcessInstance,
    StepDefinition,
    StepMode,
    Task,
    TaskStatus,
)
from openvet.workflow.permissions import decider_for, holds_task_role
from openvet.workflow.registry import process_kind
from openvet.workflow.services.definitions import definition_for
from openvet.workflow.services.notifications import notify_users, task_candidates

_DECISION_STATUS: dict[str, str] = {
    Decision.APPROVE: TaskStatus.APPROVED,
    Decision.REJECT: TaskStatus.REJECTED,
    Decision.RETURN: TaskStatus.RETURNED,
}


def info_of(instance: ProcessInstance) -> InstanceInfo:
    return InstanceInfo(
        id=instance.pk,
        code=instance.code,
        subject_type=instance.subject_type,
        subject_id=instance.subject_id,
        status=instance.status,
        org_id=instance.org_id,
        applicant_id=instance.applicant_id,
        payload=dict(instance.payload),
    )


@transaction.atomic
def instance_start(
    *,
    actor: Actor,
    code: str,
    subject_type: str,
    subject_id: Any,
    title: str,
    org: OrgUnit,
    payload: dict[str, Any] | None = None,
) -> ProcessInstance:
    """Start approval of a subject. The owning app has checked that ``actor`` may apply."""
    if ProcessInstance.objects.filter(
        code=code,
        subject_type=subject_type,
        subject_id=str(subject_id),
        status__in=(InstanceStatus.PENDING, InstanceStatus.RETURNED),
    ).exists():
        raise Conflict(_("This request is already awaiting approval."))
    definition = definition_for(code=code, school=org_school_of(org))
    instance = ProcessInstance.objects.create(
        definition=definition,
        code=code,
        subject_type=subject_type,
        subject_id=str(subject_id),
        title=title[:200],
        org=org,
        payload=dict(payload or {}),
        applicant_id=actor.pk,
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=instance,
        org=org,
        actor=actor,
        changes={"code": [None, code], "subject": [None, f"{subject_type}:{subject_id}"]},
    )
    _advance(instance, after=0, actor=actor)
    return instance


def _condition_met(step: StepDefinition, payload: dict[str, Any]) -> bool:
    condition = step.condition or {}
    if not condition:
        return True
    # Compared as text: an administrator types "30" for a payload holding 30.
    raw = payload.get(condition["field"])
    value = "" if raw is None else str(raw)
    if "in" in condition:
        return value in {str(v) for v in condition["in"]}
    return value not in {str(v) for v in condition["not_in"]}


def _step_org(instance: ProcessInstance, step: StepDefinition) -> OrgUnit:
    if step.org_level == OrgLevel.SUBJECT:
        return instance.org
    if step.org_level == OrgLevel.TARGET_SCHOOL:
        target = OrgUnit.objects.filter(
            pk=instance.payload.get("target_school_id"), kind=OrgKind.SCHOOL
        ).first()
        if target is None:
            raise ValidationFailed(details={"target_school_id": _("Choose the receiving school.")})
        return target
    found = next((n for n in org_ancestors(instance.org) if n.kind == step.org_level), None)
    # A subject above the level (a department-wide request at major level) stays where it is.
    return found or instance.org


def _advance(instance: ProcessInstance, *, after: int, actor: Actor) -> None:
    """Open the next applicable step after ``after``, or approve when none is left.

    A step the applicant could decide themself (a counsellor applying for a student) counts
    as approved by them: nobody approves their own request, and nobody waits for it either.
    """
    while True:
        steps = instance.definition.steps.filter(order__gt=after).order_by("order")
        step = next((s for s in steps if _condition_met(s, instance.payload)), None)
        if step is None:
            _finish(instance, InstanceStatus.APPROVED, actor=actor)
            return
        if not _open_step(instance, step):
            return
        after = step.order


def _open_step(instance: ProcessInstance, step: StepDefinition) -> bool:
    """Create the step's tasks; True when the applicant's own approval already settles it."""
    org = _step_org(instance, step)
    due = timezone.now() + timedelta(hours=step.deadline_hours) if step.deadline_hours else None
    tasks = [
        Task.objects.create(
            instance=instance,
            step_order=step.order,
            step_name=step.name,
            round=instance.round,
            role=role,
            org=org,
            org_path=org.path,
            due_at=due,
        )
        for role in dict.fromkeys(step.roles)
    ]
    instance.current_step = step.order
    instance.save(update_fields=["current_step", "updated_at"])
    own = [task for task in tasks if holds_task_role(instance.applicant, task)]
    for task in own:
        Task.objects.filter(pk=task.pk).update(
            status=TaskStatus.APPROVED,
            decided_by=instance.applicant,
            decided_at=timezone.now(),
            comment=_("Submitted by an approver of this step."),
        )
    settled = bool(own) and (step.mode == StepMode.ANY or len(own) == len(tasks))
    if settled:
        _skip_open_tasks(instance, step_order=step.order)
        return True
    for task in tasks:
        if task not in own:
            notify_users(task_candidates(task), NotificationKind.TASK_ASSIGNED, instance, task)
    return False


def _finish(instance: ProcessInstance, status: str, *, actor: Actor) -> None:
    instance.status = status
    instance.current_step = None
    instance.finished_at = timezone.now()
    instance.save(update_fields=["status", "current_step", "finished_at", "updated_at"])
    kind = process_kind(instance.code)
    if kind is not None and kind.on_outcome is not None:
        kind.on_outcome(info_of(instance), status, actor)
    if status in (InstanceStatus.APPROVED, InstanceStatus.REJECTED):
        kind_of_notice = (
            NotificationKind.APPROVED
            if status == InstanceStatus.APPROVED
            else NotificationKind.REJECTED
        )
        notify_users([instance.applicant], kind_of_notice, instance, None)
    publish(
        ProcessFinished(
            instance_id=instance.pk,
            code=instance.code,
            subject_type=instance.subject_type,
            subject_id=instance.subject_id,
            status=status,
        )
    )


def _skip_open_tasks(instance: ProcessInstance, *, step_order: int | None = None) -> None:
    tasks = Task.objects.filter(instance=instance, status=TaskStatus.OPEN)
    if step_order is not None:
        tasks = tasks.filter(step_order=step_order)
    tasks.update(status=TaskStatus.SKIPPED)


def _lock_instance(instance_id: int) -> ProcessInstance:
    instance = (
        ProcessInstance.objects.select_for_update(of=("self",))
        .select_related("definition", "org", "applicant")
        .filter(pk=instance_id)
        .first()
    )
    if instance is None:
        raise NotFound()
    return instance


@transaction.atomic
def task_decide(*, actor: Actor, task: Task, decision: str, comment: str = "") -> Task:
    """Approve, reject or return. Reject and return need a comment for the applicant."""
    if decision not in Decision.values:
        raise ValidationFailed(details={"decision": _("Choose approve, reject or return.")})
    comment = comment.strip()
    if decision != Decision.APPROVE and not comment:
        raise ValidationFailed(details={"comment": _("Say why, for the applicant.")})
    instance = _lock_instance(task.instance_id)
    allowed, on_behalf_of = decider_for(actor, task)
    if not allowed:
        raise PermissionDenied()
    if instance.applicant_id == actor.pk:
        raise PermissionDenied(_("You cannot decide a request you submitted."))
    now = timezone.now()
    won = Task.objects.filter(
        pk=task.pk,
        status=TaskStatus.OPEN,
        round=instance.round,
        instance__status=InstanceStatus.PENDING,
    ).update(
        status=_DECISION_STATUS[decision],
        decided_by=actor,
        on_behalf_of=on_behalf_of,
        comment=comment,
        decided_at=now,
    )
    if won != 1:
        raise Conflict(_("This task has already been decided."))
    task.refresh_from_db()
    audit_record(
        action=AuditAction.UPDATE,
        obj=task,
        org=task.org,
        actor=actor,
        object_label=instance.title,
        changes={
            "decision": [None, decision],
            "comment": [None, comment],
            "on_behalf_of": [None, getattr(on_behalf_of, "pk", None)],
        },
    )
    _after_decision(instance, task, decision, actor)
    return task


def _after_decision(instance: ProcessInstance, task: Task, decision: str, actor: Actor) -> None:
    if decision == Decision.REJECT:
        _skip_open_tasks(instance)
        _finish(instance, InstanceStatus.REJECTED, actor=actor)
    elif decision == Decision.RETURN:
        _skip_open_tasks(instance)
        _return(instance, actor)
    else:
        step = instance.definition.steps.get(order=task.step_order)
        open_siblings = Task.objects.filter(
            instance=instance,
            round=instance.round,
            step_order=task.step_order,
            status=TaskStatus.OPEN,
        )
        if step.mode == StepMode.ALL and open_siblings.exists():
            return
        _skip_open_tasks(instance, step_order=task.step_order)
        _advance(instance, after=task.step_order, actor=actor)


def _return(instance: ProcessInstance, actor: Actor) -> None:
    instance.status = InstanceStatus.RETURNED
    instance.current_step = None
    instance.save(update_fields=["status", "current_step", "updated_at"])
    kind = process_kind(instance.code)
    if kind is not None and kind.on_outcome is not None:
        kind.on_outcome(info_of(instance), InstanceStatus.RETURNED, actor)
    notify_users([instance.applicant], NotificationKind.RETURNED, instance, None)
    publish(
        ProcessReturned(
            instance_id=instance.pk,
            code=instance.code,
            subject_type=instance.subject_type,
            subject_id=instance.subject_id,
        )
    )


def decidable_task_of(*, actor: Actor, instance: ProcessInstance) -> Task:
    """The actor's open task on ``instance`` (for "decide this request" endpoints)."""
    for task in Task.objects.filter(
        instance=instance, status=TaskStatus.OPEN, round=instance.round
    ).select_related("org"):
        if decider_for(actor, task)[0]:
            return task
    raise PermissionDenied(_("Nothing here awaits your decision."))


@transaction.atomic
def instance_resubmit(
    *, actor: Actor, instance: ProcessInstance, payload: dict[str, Any] | None = None
) -> ProcessInstance:
    """The applicant sends a returned request again; approval restarts at the first step."""
    instance = _lock_instance(instance.pk)
    if instance.applicant_id != actor.pk:
        raise PermissionDenied()
    if instance.status != InstanceStatus.RETURNED:
        raise Conflict(_("Only a request returned to you can be resubmitted."))
    if payload is not None:
        instance.payload = dict(payload)
    instance.status = InstanceStatus.PENDING
    instance.round += 1
    instance.save(update_fields=["payload", "status", "round", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=instance,
        org=instance.org,
        actor=actor,
        changes={"status": [InstanceStatus.RETURNED, InstanceStatus.PENDING]},
    )
    _advance(instance, after=0, actor=actor)
    return instance


@transaction.atomic
def instance_withdraw(*, actor: Actor, instance: ProcessInstance) -> ProcessInstance:
    instance = _lock_instance(instance.pk)
    if instance.applicant_id != actor.pk:
        raise PermissionDenied()
    return _close(instance, InstanceStatus.WITHDRAWN, actor=actor)


@transaction.atomic
def instance_cancel(*, actor: Actor, instance: ProcessInstance) -> ProcessInstance:
    """An administrator of the subject's school stops a request."""
    policy.require(actor, "workflow.cancel_processinstance", instance.org)
    instance = _lock_instance(instance.pk)
    return _close(instance, InstanceStatus.CANCELLED, actor=actor)


def _close(instance: ProcessInstance, status: str, *, actor: Actor) -> ProcessInstance:
    """Stop an open request (locked by the caller): its open tasks skipped, audited, finished."""
    if not instance.is_open:
        raise Conflict(_("This request is already closed."))
    _skip_open_tasks(instance)
    audit_record(
        action=AuditAction.UPDATE,
        obj=instance,
        org=instance.org,
        actor=actor,
        changes={"status": [instance.status, status]},
    )
    _finish(instance, status, actor=actor)
    return instance
