"""The approval engine: start, decide, return and resubmit, withdraw, delegate, remind.

Every write runs in a transaction and is audited. Deciding locks the instance row and
closes the task with a conditional update, so two approvers acting at once cannot both win.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.events import publish
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.core.selectors import org_ancestors, org_school_of
from openvet.identity.selectors import users_holding_role_over
from openvet.workflow.contracts import InstanceInfo, ProcessKind, StepSpec
from openvet.workflow.events import ProcessFinished, ProcessReturned
from openvet.workflow.models import (
    Decision,
    Delegation,
    InstanceStatus,
    Notification,
    NotificationKind,
    OrgLevel,
    ProcessDefinition,
    ProcessInstance,
    StepDefinition,
    StepMode,
    Task,
    TaskStatus,
)
from openvet.workflow.permissions import decider_for, holds_task_role
from openvet.workflow.registry import process_kind, register_process

REMINDER_INTERVAL = timedelta(hours=24)
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


def process_register(kind: ProcessKind) -> None:
    """Called by the owning app from its ``AppConfig.ready``."""
    register_process(kind)


# Definitions -------------------------------------------------------------------------------


MAX_STEP_NAME = 80
# A year: a longer deadline is a typing slip, not a rule.
MAX_DEADLINE_HOURS = 24 * 365


def _validate_steps(steps: Sequence[StepSpec]) -> None:
    errors: dict[str, str] = {}
    for index, step in enumerate(steps, start=1):
        errors.update(_step_errors(index, step))
    if not steps:
        errors["steps"] = _("A process needs at least one step.")
    if errors:
        raise ValidationFailed(details=errors)


def _step_errors(index: int, step: StepSpec) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not step.name.strip() or len(step.name) > MAX_STEP_NAME:
        errors[f"steps.{index}.name"] = _("Name the step in at most 80 characters.")
    if not step.roles or any(role not in Role.values for role in step.roles):
        errors[f"steps.{index}.roles"] = _("Choose one or more known roles.")
    if step.org_level not in OrgLevel.values:
        errors[f"steps.{index}.org_level"] = _("Choose where the approvers are found.")
    if step.mode not in StepMode.values:
        errors[f"steps.{index}.mode"] = _("Choose any-one or countersign.")
    if step.condition and not _is_valid_condition(step.condition):
        errors[f"steps.{index}.condition"] = _(
            "A condition names a payload field and a list of values (in / not_in)."
        )
    if step.deadline_hours is not None and not 0 < step.deadline_hours <= MAX_DEADLINE_HOURS:
        errors[f"steps.{index}.deadline_hours"] = _("A deadline is between one hour and one year.")
    return errors


def _is_valid_condition(condition: dict[str, Any]) -> bool:
    keys = set(condition) - {"field"}
    return (
        isinstance(condition.get("field"), str)
        and bool(condition["field"])
        and len(keys) == 1
        and keys <= {"in", "not_in"}
        and isinstance(condition[next(iter(keys))], list)
        and bool(condition[next(iter(keys))])
    )


def _create_definition(
    code: str, school: OrgUnit | None, steps: Sequence[StepSpec]
) -> ProcessDefinition:
    latest = ProcessDefinition.objects.filter(code=code, school=school).aggregate(v=Max("version"))
    ProcessDefinition.objects.filter(code=code, school=school).update(is_active=False)
    definition = ProcessDefinition.objects.create(
        code=code, school=school, version=(latest["v"] or 0) + 1
    )
    StepDefinition.objects.bulk_create(
        StepDefinition(
            definition=definition,
            order=order,
            name=step.name,
            roles=list(step.roles),
            org_level=step.org_level,
            mode=step.mode,
            condition=dict(step.condition),
            deadline_hours=step.deadline_hours,
        )
        for order, step in enumerate(steps, start=1)
    )
    return definition


@transaction.atomic
def definition_create(
    *,
    actor: Any,
    code: str,
    school: OrgUnit | None,
    steps: Sequence[StepSpec],
    based_on_id: int | None = None,
) -> ProcessDefinition:
    """A new version of ``code`` for ``school`` (None: the platform default), in force at once.

    Running instances keep the version they started on. ``based_on_id`` is the stored
    definition in force that the editor saw: if someone saved another version meanwhile,
    nothing is written and the editor is told to look again.
    """
    if process_kind(code) is None:
        raise ValidationFailed(details={"code": _("Unknown process kind.")})
    if school is not None and school.kind != OrgKind.SCHOOL:
        raise ValidationFailed(details={"school": _("Choose a school.")})
    if school is None:
        # The platform default: only from the root of the tree.
        root = OrgUnit.objects.filter(depth=0).order_by("pk").first()
        policy.require(actor, "workflow.change_processdefinition", root)
    else:
        policy.require(actor, "workflow.change_processdefinition", school)
    _validate_steps(steps)
    before = _in_force(code, school)
    if based_on_id is not None and (before is None or before.pk != based_on_id):
        raise Conflict(_("Someone saved another version meanwhile; look at it and try again."))
    try:
        with transaction.atomic():
            definition = _create_definition(code, school, steps)
    except IntegrityError as exc:
        # Two editors numbered the same version at once: the unique constraint kept one.
        raise Conflict(
            _("Someone saved another version meanwhile; look at it and try again.")
        ) from exc
    audit_record(
        action=AuditAction.CREATE,
        obj=definition,
        org=school,
        actor=actor,
        changes={
            "version": [before.version if before else None, definition.version],
            "steps": [
                [s.name for s in before.steps.all()] if before else None,
                [s.name for s in steps],
            ],
        },
    )
    return definition


def _in_force(code: str, school: OrgUnit | None) -> ProcessDefinition | None:
    """The stored definition a new instance in ``school`` would use, if any is stored."""
    for owner in (school, None) if school is not None else (None,):
        found = (
            ProcessDefinition.objects.filter(code=code, school=owner, is_active=True)
            .order_by("-version")
            .first()
        )
        if found is not None:
            return found
    return None


def definition_for(*, code: str, school: OrgUnit | None) -> ProcessDefinition:
    """The active definition for ``school``: its own, else the platform's, else the default
    the owning app registered (stored as platform version 1 on first use)."""
    found = _in_force(code, school)
    if found is not None:
        return found
    kind = process_kind(code)
    if kind is None:
        raise ValidationFailed(details={"code": _("Unknown process kind.")})
    try:
        with transaction.atomic():
            return _create_definition(code, None, kind.default_steps)
    except IntegrityError:
        # Another first request stored the registered default at the same moment: use it.
        return ProcessDefinition.objects.get(code=code, school=None, version=1)


# Instances ---------------------------------------------------------------------------------


@transaction.atomic
def instance_start(
    *,
    actor: Any,
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
        applicant=actor,
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


def _advance(instance: ProcessInstance, *, after: int, actor: Any) -> None:
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
            _notify(_candidates(task), NotificationKind.TASK_ASSIGNED, instance, task)
    return False


def _finish(instance: ProcessInstance, status: str, *, actor: Any) -> None:
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
        _notify([instance.applicant], kind_of_notice, instance, None)
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
def task_decide(*, actor: Any, task: Task, decision: str, comment: str = "") -> Task:
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


def _after_decision(instance: ProcessInstance, task: Task, decision: str, actor: Any) -> None:
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


def _return(instance: ProcessInstance, actor: Any) -> None:
    instance.status = InstanceStatus.RETURNED
    instance.current_step = None
    instance.save(update_fields=["status", "current_step", "updated_at"])
    kind = process_kind(instance.code)
    if kind is not None and kind.on_outcome is not None:
        kind.on_outcome(info_of(instance), InstanceStatus.RETURNED, actor)
    _notify([instance.applicant], NotificationKind.RETURNED, instance, None)
    publish(
        ProcessReturned(
            instance_id=instance.pk,
            code=instance.code,
            subject_type=instance.subject_type,
            subject_id=instance.subject_id,
        )
    )


def decidable_task_of(*, actor: Any, instance: ProcessInstance) -> Task:
    """The actor's open task on ``instance`` (for "decide this request" endpoints)."""
    for task in Task.objects.filter(
        instance=instance, status=TaskStatus.OPEN, round=instance.round
    ).select_related("org"):
        if decider_for(actor, task)[0]:
            return task
    raise PermissionDenied(_("Nothing here awaits your decision."))


@transaction.atomic
def instance_resubmit(
    *, actor: Any, instance: ProcessInstance, payload: dict[str, Any] | None = None
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
def instance_withdraw(*, actor: Any, instance: ProcessInstance) -> ProcessInstance:
    instance = _lock_instance(instance.pk)
    if instance.applicant_id != actor.pk:
        raise PermissionDenied()
    if not instance.is_open:
        raise Conflict(_("This request is already closed."))
    _skip_open_tasks(instance)
    audit_record(
        action=AuditAction.UPDATE,
        obj=instance,
        org=instance.org,
        actor=actor,
        changes={"status": [instance.status, InstanceStatus.WITHDRAWN]},
    )
    _finish(instance, InstanceStatus.WITHDRAWN, actor=actor)
    return instance


@transaction.atomic
def instance_cancel(*, actor: Any, instance: ProcessInstance) -> ProcessInstance:
    """An administrator of the subject's school stops a request."""
    policy.require(actor, "workflow.cancel_processinstance", instance.org)
    instance = _lock_instance(instance.pk)
    if not instance.is_open:
        raise Conflict(_("This request is already closed."))
    _skip_open_tasks(instance)
    audit_record(
        action=AuditAction.UPDATE,
        obj=instance,
        org=instance.org,
        actor=actor,
        changes={"status": [instance.status, InstanceStatus.CANCELLED]},
    )
    _finish(instance, InstanceStatus.CANCELLED, actor=actor)
    return instance


# Delegation --------------------------------------------------------------------------------


@transaction.atomic
def delegation_create(*, actor: Any, to_user: Any, starts_on: date, ends_on: date) -> Delegation:
    """The actor, going away, lets ``to_user`` decide their tasks between the two dates."""
    errors: dict[str, str] = {}
    if to_user.pk == actor.pk or not to_user.is_active:
        errors["to_user"] = _("Choose another active colleague.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The end date is before the start date.")
    if ends_on < timezone.localdate():
        errors["ends_on"] = _("The end date has already passed.")
    if errors:
        raise ValidationFailed(details=errors)
    delegation = Delegation.objects.create(
        from_user=actor, to_user=to_user, starts_on=starts_on, ends_on=ends_on
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=delegation,
        org=actor.home_org,
        actor=actor,
        changes={
            "to_user": [None, to_user.pk],
            "starts_on": [None, str(starts_on)],
            "ends_on": [None, str(ends_on)],
        },
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: Any, delegation: Delegation) -> None:
    if delegation.from_user_id != actor.pk:
        raise NotFound()
    Delegation.objects.filter(pk=delegation.pk).update(revoked_at=timezone.now())
    audit_record(
        action=AuditAction.UPDATE,
        obj=delegation,
        org=actor.home_org,
        actor=actor,
        changes={"revoked": [False, True]},
    )


# Notifications and reminders ---------------------------------------------------------------


def _candidates(task: Task) -> list[Any]:
    holders = list(users_holding_role_over(role=task.role, org_path=task.org_path))
    today = timezone.localdate()
    delegates = [
        d.to_user
        for d in Delegation.objects.filter(
            from_user__in=holders,
            starts_on__lte=today,
            ends_on__gte=today,
            revoked_at__isnull=True,
        ).select_related("to_user")
    ]
    return list({user.pk: user for user in [*holders, *delegates]}.values())


def _notify(users: Iterable[Any], kind: str, instance: ProcessInstance, task: Task | None) -> None:
    Notification.objects.bulk_create(
        Notification(user=user, kind=kind, instance=instance, task=task) for user in users
    )


@transaction.atomic
def reminders_send(*, now: datetime | None = None) -> int:
    """Notify the approvers of every open task past its deadline; again a day later."""
    now = now or timezone.now()
    overdue = (
        Task.objects.select_for_update(of=("self",))
        .filter(status=TaskStatus.OPEN, due_at__lt=now, instance__status=InstanceStatus.PENDING)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMINDER_INTERVAL))
        .select_related("instance")
    )
    sent = 0
    for task in overdue:
        users = _candidates(task)
        _notify(users, NotificationKind.TASK_OVERDUE, task.instance, task)
        Task.objects.filter(pk=task.pk).update(reminded_at=now)
        sent += len(users)
    return sent


def notification_mark_read(*, actor: Any, notification_ids: Iterable[int] | None = None) -> int:
    queryset = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())
