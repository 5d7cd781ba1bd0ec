"""Scoped reads of the org tree and code tables."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.errors import NotFound, ValidationFailed
from openvet.core.models import ALLOWED_PARENTS, AuditEntry, CodeItem, OrgKind, OrgUnit
from openvet.core.policy import Actor


def org_list_for(
    *,
    actor: Actor,
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


def org_get_for(*, actor: Actor, org_id: int, capability: str = "core.view_orgunit") -> OrgUnit:
    queryset = policy.scope(OrgUnit.objects.all(), actor, capability, path_field="path")
    org = queryset.select_related("parent").filter(pk=org_id).first()
    if org is None:
        raise NotFound()
    return org


def school_get_for(*, actor: Actor, school_id: int, capability: str) -> OrgUnit:
    """A school within the actor's reach for ``capability``; 404 for any other node."""
    school = org_get_for(actor=actor, org_id=school_id, capability=capability)
    if school.kind != OrgKind.SCHOOL:
        raise NotFound()
    return school


def org_roots_for(*, actor: Actor) -> list[OrgUnit]:
    """The top nodes of the tree the actor may browse, each with its ``child_count``."""
    paths = policy.capability_paths(actor, "core.view_orgunit")
    return list(
        OrgUnit.objects.filter(path__in=paths)
        .annotate(child_count=Count("children"))
        .order_by("path")
    )


def org_children_for(*, actor: Actor, parent: OrgUnit) -> list[OrgUnit]:
    """The visible children of ``parent``, each with its ``child_count``, in one query."""
    return list(
        org_list_for(actor=actor, parent_id=parent.pk)
        .annotate(child_count=Count("children"))
        .order_by("kind", "-grade_year", "code", "name")
    )


def org_visible_ancestors(*, actor: Actor, org: OrgUnit) -> list[OrgUnit]:
    """The ancestors of ``org`` the actor may browse, root first (for a breadcrumb)."""
    return [
        node
        for node in org_ancestors(org)
        if node.pk != org.pk and policy.has_capability(actor, "core.view_orgunit", node)
    ]


def org_child_kinds(org: OrgUnit) -> list[str]:
    """The kinds of node that may be placed under ``org``."""
    return [kind for kind, parents in ALLOWED_PARENTS.items() if org.kind in parents]


def org_school_of(org: OrgUnit) -> OrgUnit | None:
    """The school an org node belongs to (itself if it is one), or None above the schools.
    The one answer to "the school of this node" for every app."""
    if org.kind == OrgKind.SCHOOL:
        return org
    return OrgUnit.objects.filter(pk__in=org.ancestor_ids, kind=OrgKind.SCHOOL).first()


def org_school_get(*, org: OrgUnit | None, field: str) -> OrgUnit:
    """The school of a node chosen in a form or payload; refused on ``field`` when there is
    none (no node, or a node above the schools)."""
    school = org_school_of(org) if org is not None else None
    if school is None:
        raise ValidationFailed(details={field: _("Choose a unit of a school.")})
    return school


def org_ancestors(org: OrgUnit) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(pk__in=org.ancestor_ids).order_by("depth"))


def code_items(table: str) -> QuerySet[CodeItem]:
    return CodeItem.objects.filter(table=table)


def code_name(table: str, code: str) -> str:
    item = CodeItem.objects.filter(table=table, code=code).only("name").first()
    return item.name if item else code


def audit_list_for(
    *,
    actor: Actor,
    action: str = "",
    search: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries an audit administrator may read: those of their subtree.

    Platform-wide entries (no org: failed logins of unknown names, system jobs) are visible
    only to those who hold the capability on the nation root.
    """
    capability = "core.view_auditentry"
    queryset = policy.scope(AuditEntry.objects.all(), actor, capability, path_field="org_path")
    if _holds_at_nation_root(actor, capability):
        queryset = queryset | AuditEntry.objects.filter(org_path="")
    if action:
        queryset = queryset.filter(action=action)
    if search:
        queryset = queryset.filter(
            Q(actor_label__icontains=search)
            | Q(object_label__icontains=search)
            | Q(object_type__icontains=search)
            | Q(ip_address__startswith=search)
        )
    if date_from is not None:
        queryset = queryset.filter(at__gte=_start_of(date_from))
    if date_to is not None:
        queryset = queryset.filter(at__lt=_start_of(date_to + timedelta(days=1)))
    return queryset.select_related("actor")


def _holds_at_nation_root(actor: Actor, capability: str) -> bool:
    paths = policy.capability_paths(actor, capability)
    return (
        bool(paths)
        and OrgUnit.objects.filter(
            path__in=paths, kind=OrgKind.NATION, parent__isnull=True
        ).exists()
    )


def _start_of(day: date) -> datetime:
    """Midnight of ``day`` in the platform's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))
