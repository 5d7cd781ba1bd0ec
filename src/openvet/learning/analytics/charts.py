"""ECharts options of the analytics pages, readable on a 390 px phone (ADR 0412)."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.functional import Promise


def week_label(monday: date) -> str:
    return f"{monday.month}/{monday.day}"


def weekly_chart(
    mondays: Sequence[date],
    series: Sequence[tuple[str | Promise, Sequence[int]]],
) -> dict[str, Any]:
    """Lines over weeks; a second series gets its own axis on the right (counts of learners
    and of records differ by a hundred times)."""
    axes: list[dict[str, Any]] = [{"type": "value", "minInterval": 1}]
    if len(series) > 1:
        axes.append({"type": "value", "minInterval": 1, "splitLine": {"show": False}})
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 8, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [week_label(m) for m in mondays],
            "axisLabel": {"hideOverlap": True, "fontSize": 11},
        },
        "yAxis": axes,
        "series": [
            {
                "type": "line" if n else "bar",
                "name": str(name),
                "data": list(values),
                "yAxisIndex": min(n, len(axes) - 1),
                "smooth": True,
                "barMaxWidth": 18,
            }
            for n, (name, values) in enumerate(series)
        ],
    }


def grouped_bars(
    labels: Sequence[str], series: Sequence[tuple[str | Promise, Sequence[int | None]]]
) -> dict[str, Any]:
    """Bars of several series side by side over short category labels."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 8, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [str(label) for label in labels],
            "axisLabel": {"interval": 0, "width": 56, "overflow": "break", "fontSize": 11},
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"type": "bar", "name": str(name), "data": list(values), "barMaxWidth": 28}
            for name, values in series
        ],
    }


def horizontal_bars(
    labels: Sequence[str], values: Sequence[int | None], *, series: str | Promise, unit: str = ""
) -> dict[str, Any]:
    """One bar per row, names on the left: long Chinese names stay readable on a phone."""
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 40, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "max": 100 if unit == "%" else None},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [str(label) for label in labels],
            "axisLabel": {"width": 96, "overflow": "truncate", "fontSize": 11},
        },
        "series": [
            {
                "type": "bar",
                "name": str(series),
                "data": [v if v is not None else 0 for v in values],
                "barMaxWidth": 18,
                "label": {"show": True, "position": "right", "formatter": "{c}" + unit},
            }
        ],
    }
