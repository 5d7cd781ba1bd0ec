import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from openvet.teaching import formatting
from openvet.teaching.attendance.selectors import Rate
from openvet.teaching.formatting import gpa_text, rate_text
from openvet.teaching.grades.selectors import Transcript


def _render(source: str, **context: object) -> str:
    return Template("{% load teaching_format %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (Decimal("100"), "100.0%"),
        (Decimal("95"), "95.0%"),
        (Decimal("66.66"), "66.7%"),
        (Decimal("0.05"), "0.1%"),
        (Decimal("0"), "0.0%"),
    ],
)
def test_a_rate_has_one_decimal_and_a_percent_sign(rate: Decimal, text: str) -> None:
    assert rate_text(rate) == text


def test_no_lecture_counted_is_said_in_words_not_shown_as_a_rate() -> None:
    only_leave = Rate(label="x", sessions=2, attended=0, absent=0, leave=2)
    none_yet = Rate(label="x", sessions=0, attended=0, absent=0, leave=0)
    with translation.override("zh-hans"):
        zh = [_render("{{ r.rate|attendance_rate }}", r=r) for r in (only_leave, none_yet)]
    with translation.override("en"):
        en = _render("{{ r.rate|attendance_rate }}", r=none_yet)
    assert (only_leave.rate, none_yet.rate, zh, en) == (
        None,
        None,
        ["尚无课次", "尚无课次"],
        "No lectures yet",
    )


def test_a_rate_counts_lectures_attended_over_lectures_not_on_leave() -> None:
    rate = Rate(label="x", sessions=4, attended=2, absent=1, leave=1)
    assert (rate.rate, _render("{{ r.rate|attendance_rate }}", r=rate)) == (
        Decimal("66.7"),
        "66.7%",
    )


@pytest.mark.parametrize(
    ("gpa", "text"),
    [(Decimal("3"), "3.00"), (Decimal("3.255"), "3.26"), (Decimal("0"), "0.00"), (None, "—")],
)
def test_a_gpa_has_two_decimals_and_a_dash_before_any_credit(
    gpa: Decimal | None, text: str
) -> None:
    assert (gpa_text(gpa), _render("{{ g|gpa }}", g=gpa)) == (text, text)


def test_a_transcript_without_credits_has_no_gpa_to_show() -> None:
    empty = Transcript(
        rows=[], credits_earned=Decimal(0), credits_attempted=Decimal(0), gpa=Decimal(0)
    )
    failed = Transcript(
        rows=[], credits_earned=Decimal(0), credits_attempted=Decimal(3), gpa=Decimal(0)
    )
    assert (
        _render("{{ t.counted_gpa|gpa }}", t=empty),
        _render("{{ t.counted_gpa|gpa }}", t=failed),
    ) == ("—", "0.00")


RAW_FIGURE = re.compile(r"\{\{\s*[\w.]*(rate|gpa)\s*(\|\s*(?!attendance_rate|gpa)\w+[^}]*)?\}\}")


def test_every_page_writes_rates_and_gpas_through_the_shared_filters() -> None:
    """A rate or GPA written raw (or through floatformat) on any page of any app would read
    differently from the rest (ADR 0309): every one goes through ``attendance_rate``/``gpa``."""
    root = Path(formatting.__file__).resolve().parents[1]
    raw = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in root.glob("*/templates/**/*.html")
        for match in RAW_FIGURE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert raw == []
    assert RAW_FIGURE.search("{{ r.rate }}")
    assert RAW_FIGURE.search("{{ t.gpa|floatformat:2 }}")
    assert not RAW_FIGURE.search("{{ r.rate|attendance_rate }}")
