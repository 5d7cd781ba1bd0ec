"""Reads of the learning record store for its pages: clients, scoped by org."""

from django.db.models import Q, QuerySet

from openvet.core import policy
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.lrs.models import Client

VIEW_CLIENT = "lrs.view_client"
ADD_CLIENT = "lrs.add_client"


def client_schools_for(*, actor: Actor, capability: str = VIEW_CLIENT) -> QuerySet[OrgUnit]:
    """The schools within the subtrees where ``actor`` holds ``capability``."""
    paths = policy.capability_paths(actor, capability)
    if not paths:
        return OrgUnit.objects.none()
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    return OrgUnit.objects.filter(within, kind=OrgKind.SCHOOL).order_by("path")


def client_list_for(*, actor: Actor) -> QuerySet[Client]:
    schools = client_schools_for(actor=actor)
    return Client.objects.filter(school__in=schools).select_related("school")
