"""Fictitious but well-formed identifiers: citizen ID numbers, credit codes, mobile numbers."""

import random
from datetime import date, timedelta

from openvet.core.codes import credit_code_check_char, id_number_check_char

# GB 11643-1999: the three-digit sequence code; its last digit is odd for men, even for women.
# The demo draws only from 900-999, a range it keeps for itself.
_SEQUENCE_BASE = 900


def random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def id_number(rng: random.Random, *, district: str, birth: date, male: bool, used: set[str]) -> str:
    """A check-digit-correct ID number not in ``used`` (which it extends)."""
    while True:
        sequence = _SEQUENCE_BASE + 2 * rng.randrange(50) + (1 if male else 0)
        first17 = f"{district}{birth:%Y%m%d}{sequence:03d}"
        value = first17 + id_number_check_char(first17)
        if value not in used:
            used.add(value)
            return value


# GB 11714-1997 组织机构代码: eight characters and a check character, weights below, each
# character valued 0-9 or A=10 ... Z=35; check = 11 - (sum mod 11), 10 -> X, 11 -> 0.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_char_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def organisation_code(body: str) -> str:
    total = sum(_org_char_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(*, district: str, number: int) -> str:
    """GB 32100-2015: 9 (market regulator) 1 (enterprise), region, organisation code, check.

    The organisation code body starts with "DM", a prefix no issued code uses, so the demo's
    codes are well-formed but belong to no real company.
    """
    first17 = f"91{district}{organisation_code(f'DM{number:06d}')}"
    return first17 + credit_code_check_char(first17)


def mobile(number: int) -> str:
    """Eleven digits in the 170 0000 range, kept for demo accounts."""
    return f"1700{number:07d}"
