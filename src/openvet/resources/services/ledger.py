"""The double-entry ledger of licence income (ADR 0509).

A paid order posts one balanced transaction: the bank account is debited with the amount and
each contributor's payable account credited with their share. Shares are percentages; the fen
that rounding leaves are given by largest remainder, so the credits always add up to the
amount exactly. Nothing is edited: a refund posts the mirror transaction.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal

from openvet.core.policy import Actor
from openvet.resources.models import (
    Account,
    Contributor,
    LedgerLine,
    LedgerTransaction,
    Order,
)


def split_fen(amount_fen: int, shares: Sequence[Decimal]) -> list[int]:
    """``amount_fen`` divided by ``shares`` (which add up to 100), in whole fen that add up to
    the amount: each gets the floor of their part, the fen left go to the largest remainders
    (the earlier share on a tie)."""
    total = sum(shares, Decimal(0))
    if amount_fen < 0 or total <= 0:
        raise ValueError("a split needs a non-negative amount and positive shares")
    exact = [Decimal(amount_fen) * share / total for share in shares]
    parts = [int(x.to_integral_value(rounding=ROUND_FLOOR)) for x in exact]
    left = amount_fen - sum(parts)
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in order[:left]:
        parts[index] += 1
    return parts


def ledger_post_sale(*, order: Order, actor: Actor, at: datetime) -> LedgerTransaction:
    contributors = list(Contributor.objects.filter(resource_id=order.resource_id).order_by("id"))
    parts = split_fen(order.amount_fen, [c.share for c in contributors])
    entry = LedgerTransaction.objects.create(
        order=order, memo=order.number, created_by_id=actor.pk, created_at=at
    )
    lines = [
        LedgerLine(
            transaction=entry,
            account=Account.BANK,
            org_id=order.seller_org_id,
            label=order.number,
            debit_fen=order.amount_fen,
        )
    ]
    lines += [
        LedgerLine(
            transaction=entry,
            account=Account.CONTRIBUTOR,
            contributor=contributor,
            org_id=order.seller_org_id,
            label=contributor.name,
            credit_fen=part,
        )
        for contributor, part in zip(contributors, parts, strict=True)
        if part > 0
    ]
    LedgerLine.objects.bulk_create(lines)
    return entry


def ledger_reverse_order(
    *, order: Order, actor: Actor, at: datetime, memo: str
) -> list[LedgerTransaction]:
    """Mirror every transaction of the order not reversed yet (debits become credits)."""
    reversals = []
    for entry in order.transactions.filter(reverses__isnull=True, reversed_by__isnull=True):
        mirror = LedgerTransaction.objects.create(
            order=order,
            reverses=entry,
            memo=f"{order.number} {memo}"[:200],
            created_by_id=actor.pk,
            created_at=at,
        )
        LedgerLine.objects.bulk_create(
            LedgerLine(
                transaction=mirror,
                account=line.account,
                contributor_id=line.contributor_id,
                org_id=line.org_id,
                label=line.label,
                debit_fen=line.credit_fen,
                credit_fen=line.debit_fen,
            )
            for line in entry.lines.all()
        )
        reversals.append(mirror)
    return reversals
