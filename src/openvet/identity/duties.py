"""Separation of duties (三员分立) when an account is changed (ADR 0010).

GB/T 22239-2019 8.1.4.2 d) asks for 管理用户的权限分离, and 8.1.5.1-8.1.5.3 give system,
audit and security administration each to its own administrator. Granting roles already keeps
the three apart on one account (``core.roles.duty_conflict``). This is the other half: an
administrator of one duty must not be able to neutralise the holder of another (deactivate it,
edit it, reset its password to take it over, strip or add roles). Such an account is changed
only by the holder itself, by an administrator of the same duty, or from the level above
(the region over a school, the platform over a region). Every path that changes an existing
account asks ``account_change_check``: the services, and through them the pages, the API and
the management commands.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.errors import PermissionDenied
from openvet.core.models import OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import SEPARATED_DUTIES
from openvet.core.selectors import org_school_of
from openvet.identity.models import User


def _duty_grants(user: User) -> list[tuple[frozenset[str], str]]:
    """(duty, path of the node it is held on) for the user's unexpired administrator grants.

    Read from the grants themselves, not ``policy``: a deactivated administrator still holds
    its duty (re-activating it is a change to that duty's account).
    """
    now = timezone.now()
    return [
        (duty, grant.org_path)
        for grant in user.get_grants()
        if grant.is_current(now)
        for duty in SEPARATED_DUTIES
        if grant.role in duty
    ]


def _supervised_node_path(org_path: str) -> str:
    """The node whose level oversees a duty held at ``org_path``: its school, else itself."""
    org = OrgUnit.objects.filter(path=org_path).first()
    school = org_school_of(org) if org is not None else None
    return school.path if school is not None else org_path


def _is_above(actor: Actor, node_path: str) -> bool:
    """True when the actor holds a grant on a node strictly above ``node_path``."""
    return any(
        node_path.startswith(grant.org_path) and node_path != grant.org_path
        for grant in policy.current_grants(actor)
    )


def account_change_allowed(*, actor: Actor, user: User) -> bool:
    """May ``actor`` change ``user``'s account under the separation of duties?

    ``actor`` None is the operator of the installation (management commands) or an effect a
    caller has already authorised; it is not an administrator of any duty. The capability
    (``identity.change_user`` and so on) is checked separately by the caller.
    """
    if actor is None or actor.pk == user.pk:
        return True
    held = policy.roles_of(actor)
    return all(
        bool(held & duty) or _is_above(actor, _supervised_node_path(path))
        for duty, path in _duty_grants(user)
    )


def account_change_check(*, actor: Actor, user: User) -> None:
    """Raise 403 unless ``account_change_allowed``; the message says why."""
    if not account_change_allowed(actor=actor, user=user):
        raise PermissionDenied(
            _(
                "This account holds another administrative duty (system, security or audit "
                "administration). Separation of duties: only its holder, an administrator of "
                "the same duty or the level above may change it."
            ),
            code="separation_of_duties",
        )
