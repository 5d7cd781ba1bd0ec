"""Scoped reads of the org tree and code tables."""

from typing import Any

from django.db.models import Q, QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import AuditEntry, CodeItem, OrgKind, OrgUnit


def org_list_for(
    *,
    actor: Any,
    kind: str | None = None,
    parent_id: int | None = None,
    search: str = "",
) -> QuerySet[OrgUnit]:
    queryset = policy.scope(OrgUnit.objects.all(), actor, "core.view_orgunit", path_field="path")
    if kind:
        queryset = queryset.filter(kind=kind)
    if parent_id is not None:
        queryset = queryset.filter(parent_id=parent_id)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return queryset.select_related("parent")


def org_get_for(*, actor: Any, org_id: int, capability: str = "core.view_orgunit") -> OrgUnit:
    queryset = policy.scope(OrgUnit.objects.all(), actor, capability, path_field="path")
    org = queryset.select_related("parent").filter(pk=org_id).first()
    if org is None:
        raise NotFound()
    return org


def org_roots_for(*, actor: Any) -> list[OrgUnit]:
    """The top nodes of the tree the actor may browse."""
    paths = policy.capability_paths(actor, "core.view_orgunit")
    return list(OrgUnit.objects.filter(path__in=paths).order_by("path"))


def org_school_of(org: OrgUnit) -> OrgUnit | None:
    """The school an org node belongs to (itself if it is one)."""
    ids = org.ancestor_ids
    return OrgUnit.objects.filter(pk__in=ids, kind=OrgKind.SCHOOL).first()


def org_ancestors(org: OrgUnit) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(pk__in=org.ancestor_ids).order_by("depth"))


def code_items(table: str) -> QuerySet[CodeItem]:
    return CodeItem.objects.filter(table=table)


def code_name(table: str, code: str) -> str:
    item = CodeItem.objects.filter(table=table, code=code).only("name").first()
    return item.name if item else code


def audit_list_for(
    *,
    actor: Any,
    action: str = "",
    search: str = "",
) -> QuerySet[AuditEntry]:
    """Audit entries an audit administrator may read: those of their subtree.

    Platform-wide entries (no org) are visible only from the nation node.
    """
    queryset = policy.scope(
        AuditEntry.objects.all(), actor, "core.view_auditentry", path_field="org_path"
    )
    if action:
        queryset = queryset.filter(action=action)
    if search:
        queryset = queryset.filter(
            Q(actor_label__icontains=search)
            | Q(object_label__icontains=search)
            | Q(ip_address__startswith=search)
        )
    return queryset.select_related("actor")
