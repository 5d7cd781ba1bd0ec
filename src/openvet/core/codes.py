"""Check digits and formats of Chinese national identifiers, from the standards themselves."""

import re
import unicodedata
from datetime import date

from django.utils import timezone

# GB 11643-1999 公民身份号码: 17 digits then a check character computed with ISO 7064 MOD 11-2.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


def id_number_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number_birth_date(value: str) -> date | None:
    """The birth date in positions 7-14, or None when it is not a real date."""
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


# First two digits: a province-level code of GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macao).
_PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)


def id_number_problem(value: str, *, today: date | None = None) -> str | None:
    """Why ``value`` is not a valid citizen ID number, or None. Returns a key, not UI text."""
    value = value.strip().upper()
    if not _ID_PATTERN.match(value):
        return "format"
    if value[:2] not in _PROVINCE_PREFIXES:
        return "region"
    birth = id_number_birth_date(value)
    if birth is None or birth > (today or timezone.localdate()):
        return "birth_date"
    if id_number_check_char(value[:17]) != value[17]:
        return "check_digit"
    return None


def id_number_gender(value: str) -> str:
    """GB/T 2261.1 code: 1 male (odd sequence digit), 2 female (even)."""
    return "1" if int(value[16]) % 2 else "2"


# GB 32100-2015 统一社会信用代码: 18 characters over 31 symbols (no I, O, Z, S, V);
# the last is a check character, weights 3^(i) mod 31, check = 31 - (sum mod 31).
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(value: str) -> str | None:
    value = value.strip().upper()
    if not _USCC_PATTERN.match(value):
        return "format"
    if credit_code_check_char(value[:17]) != value[17]:
        return "check_digit"
    return None


# 学校标识码 (教育部 学校（机构）代码管理办法): 10 digits, "41" then the 4-digit region code
# of the province/city and a 4-digit sequence for schools under the Ministry's statistics.
_SCHOOL_CODE_PATTERN = re.compile(r"^\d{10}$")


def school_code_problem(value: str) -> str | None:
    return None if _SCHOOL_CODE_PATTERN.match(value.strip()) else "format"


# GB/T 2260 行政区划代码: six digits; a province ends in 0000, a city in 00.
_REGION_PATTERN = re.compile(r"^\d{6}$")


def region_code_problem(value: str, kind: str) -> str | None:
    if not _REGION_PATTERN.match(value):
        return "format"
    if kind == "province" and not value.endswith("0000"):
        return "level"
    if kind == "city" and (not value.endswith("00") or value.endswith("0000")):
        return "level"
    if kind == "county" and value.endswith("00"):
        return "level"
    return None


_MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def mobile_problem(value: str) -> str | None:
    return None if _MOBILE_PATTERN.match(value.strip()) else "format"


# 电信网编号计划 (2017), the MIIT numbering plan: a mobile number is 11 digits from 13 to 19
# (``mobile_problem``); a fixed-line number is the trunk prefix 0, an area code (10 and 2X are
# two digits, the others three, first digit 3-9) and a 7- or 8-digit subscriber number that
# starts with 2-9; an extension may follow a hyphen. Spaces, hyphens and brackets between parts
# are fine, and so is the country code +86 (or 0086) in front.
_LANDLINE_PATTERN = re.compile(r"^0(?:10|2\d|[3-9]\d\d)[2-9]\d{6,7}$")
_EXTENSION_PATTERN = re.compile(r"^\d{1,6}$")
_SEPARATORS = re.compile(r"[\s-]")
_BRACKETS = re.compile(r"[()（）]")


def _without_country_code(value: str) -> str:
    typed = _BRACKETS.sub("", value.strip())
    for prefix in ("+86", "0086"):
        if typed.startswith(prefix):
            return typed[len(prefix) :].lstrip(" -")
    return typed


def phone_problem(value: str) -> str | None:
    """Why ``value`` is neither a mobile number nor a landline with its area code, or None."""
    value = _without_country_code(value)
    compact = _SEPARATORS.sub("", value)
    if _MOBILE_PATTERN.match(compact) or _LANDLINE_PATTERN.match(compact):
        return None
    # The last hyphenated group may be an extension: 0571-87654321-123.
    head, separator, extension = value.strip().rpartition("-")
    if (
        separator
        and _EXTENSION_PATTERN.match(extension.strip())
        and _LANDLINE_PATTERN.match(_SEPARATORS.sub("", head))
    ):
        return None
    return "format"


# Characters that never belong in a name: C0 and C1 controls (NUL included), and the
# bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that can make
# a name display differently from what is stored (Unicode TR 36 §2.1, TR 9).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that show nothing on their own: zero-width spaces and joiners, the word joiner,
# the BOM, soft hyphen, Hangul fillers and the like (Unicode category Cf, plus these).
_INVISIBLE = frozenset("\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")


def name_normalise(value: str) -> str:
    """A name as stored: Unicode NFC (so one name is one sequence of code points), trimmed."""
    return unicodedata.normalize("NFC", value).strip()


def name_problem(value: str) -> str | None:
    """Why ``value`` cannot be a name (of a person, an org node, a title), or None.

    Keys: ``control`` (NUL or another control character, line breaks included), ``bidi``
    (a bidirectional override or isolate), ``blank`` (empty, only spaces, or only invisible
    characters). An empty value is ``blank``; optional fields skip the check when empty.
    """
    for char in value:
        if char in _BIDI_CONTROLS:
            return "bidi"
        if unicodedata.category(char) == "Cc":
            return "control"
    visible = [
        char
        for char in value
        if not char.isspace()
        and char not in _INVISIBLE
        and unicodedata.category(char) not in ("Cf", "Zs", "Zl", "Zp", "Mn", "Me")
    ]
    return None if visible else "blank"
