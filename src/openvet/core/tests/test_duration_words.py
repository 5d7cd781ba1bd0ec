"""Spans of time read in words on the process monitoring page, not as "0:00:04.068278"."""

from datetime import timedelta

import pytest
from django.utils.translation import override

from openvet.core.templatetags.openvet_tags import duration_words


@pytest.mark.parametrize(
    ("span", "zh", "en"),
    [
        (timedelta(seconds=4.07), "不到 1 分钟", "less than a minute"),
        (timedelta(minutes=5, seconds=30), "5 分钟", "5 minutes"),
        (timedelta(hours=3, minutes=1), "3 小时 1 分钟", "3 hours 1 minute"),
        (timedelta(days=2, hours=1, minutes=59), "2 天 1 小时", "2 days 1 hour"),
        (timedelta(days=1), "1 天", "1 day"),
    ],
)
def test_a_span_reads_in_its_two_largest_units(span: timedelta, zh: str, en: str) -> None:
    with override("zh-hans"):
        assert duration_words(span) == zh
    with override("en"):
        assert duration_words(span) == en


def test_no_span_reads_as_nothing() -> None:
    assert duration_words(None) == ""
