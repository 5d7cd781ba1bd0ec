"""Closing a preference round before its time and drawing its lottery at once.

An administrator who has all the preferences they need should not wait for the window to end
(or edit it) to assign the seats: ``round_close_now`` moves ``closes_at`` to now and runs
``services.lottery_run`` in the same transaction, so either the round is closed and drawn or
nothing changed.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction
from openvet.core.errors import Conflict
from openvet.core.policy import Actor
from openvet.teaching.capabilities import MANAGE_SELECTION
from openvet.teaching.selection import services
from openvet.teaching.selection.models import RoundKind, SelectionRound
from openvet.teaching.services.common import record, require


def _refuse_unless_open(selection_round: SelectionRound, now: datetime) -> None:
    if selection_round.kind != RoundKind.PREFERENCE:
        raise Conflict(_("Only a preference round has a lottery."), code="not_preference")
    if now >= selection_round.closes_at:
        raise Conflict(
            _("This round closed at %(at)s already.")
            % {"at": timezone.localtime(selection_round.closes_at).strftime("%Y-%m-%d %H:%M")},
            code="round_closed",
        )
    if now <= selection_round.opens_at:
        raise Conflict(
            _("This round has not opened yet; change its window instead."),
            code="round_not_open",
        )


@transaction.atomic
def round_close_now(
    *,
    actor: Actor,
    selection_round: SelectionRound,
    seed: int | None = None,
    now: datetime | None = None,
) -> SelectionRound:
    """Close an open preference round now and assign its seats by lottery (``seed`` recorded;
    random when not given). Refused when the round is closed already or not yet open."""
    require(actor, MANAGE_SELECTION, selection_round.org)
    now = now or timezone.now()
    locked = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
    _refuse_unless_open(locked, now)
    before = locked.closes_at
    locked.closes_at = now
    locked.save(update_fields=["closes_at"])
    record(
        actor=actor,
        obj=locked,
        org=locked.org,
        action=AuditAction.UPDATE,
        before={"closes_at": before},
        after={"closes_at": now},
    )
    # The selection services keep a school's round windows for a few seconds (ADR 0302).
    services.forget_rounds_on_commit(locked.term_id, locked.org_id)
    return services.lottery_run(actor=actor, selection_round=locked, seed=seed, now=now)
