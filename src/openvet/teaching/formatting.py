"""How teaching pages (and the transcript PDF) write an attendance rate and a GPA: one place,
so a rate reads "95.0%" everywhere and a GPA "3.25", and "nothing to count yet" is said in words
rather than shown as 100% or 0.00."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

EMPTY = "—"


def rate_text(rate: Decimal | None) -> str:
    """An attendance rate with one decimal and a percent sign; in words when no lecture counts."""
    if rate is None:
        return _("No lectures yet")
    return f"{rate.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def gpa_text(gpa: Decimal | None) -> str:
    """A grade point average with two decimals; a dash when no credit has been attempted."""
    if gpa is None:
        return EMPTY
    return str(gpa.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
