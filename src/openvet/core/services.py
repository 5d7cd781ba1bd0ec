"""Writes to the org tree. Every write checks the policy, runs in a transaction and is audited."""

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from openvet.core import codes, policy
from openvet.core.audit import AuditAction, audit_record, diff
from openvet.core.errors import Conflict, ValidationFailed
from openvet.core.events import OrgUnitChanged, publish
from openvet.core.models import ALLOWED_PARENTS, CodeItem, OrgKind, OrgUnit, SchoolType
from openvet.core.policy import Actor
from openvet.core.selectors import org_school_of

_EDITABLE_FIELDS = ("name", "name_en", "code", "school_type", "grade_year", "is_active")
_MAJOR_CODE = re.compile(r"^\d{6}K?$")
# Code tables of 《职业教育专业目录（2021年）》, one per school level.
MAJOR_CATALOG_TABLE = {
    SchoolType.HIGHER_VOCATIONAL: "major_higher_vocational",
    SchoolType.VOCATIONAL_BACHELOR: "major_vocational_bachelor",
    SchoolType.SECONDARY_VOCATIONAL: "major_secondary_vocational",
}


def _code_errors(kind: str, code: str, parent: OrgUnit | None) -> dict[str, str]:
    if kind in (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY):
        if codes.region_code_problem(code, kind):
            return {"code": _("A region needs its six-digit GB/T 2260 code for its level.")}
    elif kind == OrgKind.SCHOOL:
        if codes.school_code_problem(code):
            return {"code": _("A school identification code has exactly 10 digits.")}
    elif kind == OrgKind.ENTERPRISE:
        problem = codes.credit_code_problem(code)
        if problem == "format":
            return {"code": _("A unified social credit code has 18 characters.")}
        if problem == "check_digit":
            return {"code": _("The check character of this credit code is wrong.")}
    elif kind == OrgKind.MAJOR:
        return _major_code_errors(code, parent)
    return {}


def _major_code_errors(code: str, parent: OrgUnit | None) -> dict[str, str]:
    if not _MAJOR_CODE.match(code):
        return {"code": _("A major needs its six-digit code from the 2021 catalogue.")}
    school = org_school_of(parent) if parent is not None else None
    table = MAJOR_CATALOG_TABLE.get(school.school_type) if school else None  # type: ignore[call-overload]
    # An empty catalogue (code tables not loaded yet) checks the format only.
    if (
        table
        and CodeItem.objects.filter(table=table).exists()
        and not CodeItem.objects.filter(table=table, code=code).exists()
    ):
        return {
            "code": _("%(code)s is not a major of the catalogue for this school's level.")
            % {"code": code}
        }
    return {}


def _validate(kind: str, parent: OrgUnit | None, values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if kind not in OrgKind.values:
        errors["kind"] = _("Unknown kind of organisation.")
    elif (parent.kind if parent else None) not in ALLOWED_PARENTS[kind] and not (
        kind == OrgKind.NATION and parent is None
    ):
        errors["parent"] = _("This kind of organisation cannot be placed there.")
    if not str(values.get("name", "")).strip():
        errors["name"] = _("A name is required.")
    if kind in (
        OrgKind.PROVINCE,
        OrgKind.CITY,
        OrgKind.COUNTY,
        OrgKind.SCHOOL,
        OrgKind.ENTERPRISE,
        OrgKind.MAJOR,
    ) or values.get("code"):
        errors.update(_code_errors(kind, str(values.get("code", "")), parent))
    if kind == OrgKind.SCHOOL and values.get("school_type") not in SchoolType.values:
        errors["school_type"] = _("Choose the type of school.")
    if kind == OrgKind.CLASS and not values.get("grade_year"):
        errors["grade_year"] = _("A class needs its grade year.")
    if errors:
        raise ValidationFailed(details=errors)


def _save(org: OrgUnit) -> None:
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:
        raise Conflict(
            _("An organisation with this code already exists."), details={"code": org.code}
        ) from exc


@transaction.atomic
def org_create(*, actor: Actor, parent: OrgUnit | None, kind: str, **values: Any) -> OrgUnit:
    policy.require(actor, "core.add_orgunit", parent)
    values = {k: v for k, v in values.items() if k in _EDITABLE_FIELDS}
    values["code"] = str(values.get("code") or "").strip().upper()
    _validate(kind, parent, values)
    org = OrgUnit(kind=kind, parent=parent, **values)
    _save(org)
    org.path = f"{parent.path if parent else '/'}{org.pk:08d}/"
    org.depth = parent.depth + 1 if parent else 0
    OrgUnit.objects.filter(pk=org.pk).update(path=org.path, depth=org.depth)
    audit_record(
        action=AuditAction.CREATE,
        obj=org,
        org=org,
        actor=actor,
        changes={k: [None, str(v)] for k, v in values.items() if v not in ("", None)},
    )
    publish(OrgUnitChanged(org_id=org.pk, kind=kind, created=True))
    return org


@transaction.atomic
def org_update(*, actor: Actor, org: OrgUnit, **values: Any) -> OrgUnit:
    policy.require(actor, "core.change_orgunit", org)
    values = {k: v for k, v in values.items() if k in _EDITABLE_FIELDS}
    if "code" in values:
        values["code"] = str(values["code"] or "").strip().upper()
    before = {k: getattr(org, k) for k in values}
    merged = {k: getattr(org, k) for k in _EDITABLE_FIELDS} | values
    _validate(org.kind, org.parent, merged)
    for key, value in values.items():
        setattr(org, key, value)
    _save(org)
    changes = diff(before, values)
    if changes:
        audit_record(action=AuditAction.UPDATE, obj=org, org=org, actor=actor, changes=changes)
        publish(OrgUnitChanged(org_id=org.pk, kind=org.kind, created=False))
    return org


@transaction.atomic
def org_delete(*, actor: Actor, org: OrgUnit) -> None:
    policy.require(actor, "core.delete_orgunit", org.parent or org)
    if org.children.exists():
        raise Conflict(_("Remove or move what is inside this organisation first."))
    label, parent = str(org), org.parent
    audit_record(action=AuditAction.DELETE, obj=org, org=parent, actor=actor, object_label=label)
    org.delete()


@transaction.atomic
def org_ensure_nation(*, code: str, name: str, name_en: str = "") -> OrgUnit:
    """The root of the tree, created on first use by `openvet createadmin` or `openvet demo`.

    A system bootstrap step: no account can hold a grant before the root exists, so there is
    no actor to check; the entry is audited as done by the system.
    """
    existing = OrgUnit.objects.filter(kind=OrgKind.NATION).order_by("pk").first()
    if existing is not None:
        return existing
    org = OrgUnit(kind=OrgKind.NATION, name=name, name_en=name_en, code=code)
    _save(org)
    org.path, org.depth = f"/{org.pk:08d}/", 0
    OrgUnit.objects.filter(pk=org.pk).update(path=org.path, depth=org.depth)
    audit_record(
        action=AuditAction.CREATE,
        obj=org,
        org=org,
        actor_label="system",
        changes={"name": [None, name], "code": [None, code]},
    )
    publish(OrgUnitChanged(org_id=org.pk, kind=OrgKind.NATION, created=True))
    return org
