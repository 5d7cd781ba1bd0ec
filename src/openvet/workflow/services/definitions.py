"""Process definitions: the steps each school runs for a kind of process, versioned."""

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.workflow.contracts import ProcessKind, StepSpec
from openvet.workflow.models import (
    OrgLevel,
    ProcessDefinition,
    StepDefinition,
    StepMode,
)
from openvet.workflow.registry import process_kind, register_process


def process_register(kind: ProcessKind) -> None:
    """Called by the owning app from its ``AppConfig.ready``."""
    register_process(kind)


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
    actor: Actor,
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
