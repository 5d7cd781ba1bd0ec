"""Reads and writes only the API needs so far; candidates for identity.selectors/services.

Kept here so the identity services module (owned elsewhere) is not edited for the API.
"""

from django.db import transaction

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.pii import REVEAL_CAPABILITY, Disclosure
from openvet.core.policy import Actor
from openvet.identity.models import RoleAssignment, User


def role_assignment_get_for(*, actor: Actor, assignment_id: int) -> RoleAssignment:
    """A grant on an org node where the actor may read grants; 404 otherwise."""
    queryset = policy.scope(
        RoleAssignment.objects.all(),
        actor,
        "identity.view_roleassignment",
        path_field="org__path",
    )
    assignment = queryset.select_related("org", "user").filter(pk=assignment_id).first()
    if assignment is None:
        raise NotFound()
    return assignment


@transaction.atomic
def user_pii_reveal(*, actor: Actor, user: User) -> dict[str, str]:
    """The clear mobile and ID numbers, for a role that may see them there (403 otherwise);
    audited through ``core.pii.Disclosure`` like every other reveal."""
    policy.require(actor, REVEAL_CAPABILITY, user.home_org)
    disclosure = Disclosure(actor=actor, asked=True, purpose="api user")
    clear = {
        field: disclosure.clear(
            getattr(user, field), org=user.home_org, subject=f"user:{user.pk}", field=field
        )
        or ""
        for field in ("mobile", "id_number")
    }
    disclosure.audit(obj=user)
    return clear
