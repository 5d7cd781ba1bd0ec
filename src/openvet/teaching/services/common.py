"""Helpers shared by the teaching services: validation and auditing."""

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record, diff
from openvet.core.errors import ValidationFailed
from openvet.core.models import OrgUnit
from openvet.core.policy import Actor


def require_kind(node: OrgUnit, kind: str, field: str) -> None:
    if node.kind != kind:
        raise ValidationFailed(details={field: _("Choose a unit of the right kind.")})


def common_ancestor(nodes: list[OrgUnit]) -> OrgUnit:
    """The deepest node above (or equal to) every node of ``nodes``."""
    parts = [node.path.strip("/").split("/") for node in nodes]
    shared: list[str] = []
    for column in zip(*parts, strict=False):
        if len(set(column)) != 1:
            break
        shared.append(column[0])
    return OrgUnit.objects.get(pk=int(shared[-1]))


def check(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationFailed(details=errors)


def values_of(obj: models.Model, names: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def record(
    *,
    actor: Actor,
    obj: models.Model,
    org: OrgUnit,
    action: str = AuditAction.CREATE,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    changes = diff(before or {}, after or {}) if after is not None else {}
    audit_record(action=action, obj=obj, org=org, actor=actor, changes=changes)


def require(actor: Actor, capability: str, org: OrgUnit) -> None:
    policy.require(actor, capability, org)


__all__ = ["AuditAction", "check", "common_ancestor", "record", "require"]
