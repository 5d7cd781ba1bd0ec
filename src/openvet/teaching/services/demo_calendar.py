"""Dates of the demo term: the term of the school calendar that contains a given day.

Chinese colleges teach an autumn term from early September to mid January and a spring term
from late February to early July; the demo term is the one that contains the day of seeding,
or the next one when that day falls in the winter or summer holiday, so that a demo seeded
today has lectures this week. Public holidays and make-up working days (调休) come from the
``holidays`` package, which computes the lunar festivals and carries the State Council's
announced swaps; a day off that was swapped with a weekend day is held on that weekend day.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from holidays import HolidayBase, country_holidays

SWAP_LABEL_DATE = "%Y-%m-%d"  # how the zh_CN labels of swapped days off name the weekend day


@dataclass(frozen=True)
class TermDates:
    academic_year: int  # first calendar year of the academic year (2026 = 2026-2027)
    number: int  # 1 autumn, 2 spring
    start_date: date  # a Monday
    weeks: int

    @property
    def end_date(self) -> date:
        return self.start_date + timedelta(weeks=self.weeks, days=-1)


@dataclass(frozen=True)
class CalendarDate:
    day: date
    name: str
    follows: date | None = None  # a make-up working day holds the lectures of this date


def first_monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _term_in(year: int, season: dict[str, Any]) -> TermDates:
    """The term of a season (``term.autumn`` or ``term.spring`` of the demo data) starting in
    calendar ``year``; a spring term belongs to the academic year that began the year before."""
    month, day = (int(part) for part in season["first_monday_on_or_after"].split("-"))
    number = int(season["number"])
    return TermDates(
        academic_year=year if number == 1 else year - 1,
        number=number,
        start_date=first_monday_on_or_after(date(year, month, day)),
        weeks=int(season["weeks"]),
    )


def term_dates_around(day: date, seasons: dict[str, Any]) -> TermDates:
    """The term that contains ``day``, or the next one when ``day`` is in a holiday."""
    candidates = [
        _term_in(year, seasons[name])
        for year in (day.year - 1, day.year, day.year + 1)
        for name in ("spring", "autumn")
    ]
    return min((t for t in candidates if t.end_date >= day), key=lambda t: t.start_date)


def _public_holidays(term: TermDates) -> HolidayBase:
    years = range(term.start_date.year, term.end_date.year + 1)
    return country_holidays("CN", years=years, language="zh_CN")


def _in_term(day: date, term: TermDates) -> bool:
    return term.start_date <= day <= term.end_date


def holidays_in(term: TermDates, teaching_days: int) -> list[CalendarDate]:
    """Public holidays on the term's teaching days (a holiday on a free day changes nothing)."""
    found = _public_holidays(term)
    return [
        CalendarDate(day, str(name)[:60])
        for day, name in sorted(found.items())
        if _in_term(day, term) and day.isoweekday() <= teaching_days
    ]


def _swapped_day_off(found: HolidayBase, workday: date) -> date | None:
    """The day off that the weekend ``workday`` was swapped with (its label names it)."""
    mark = workday.strftime(SWAP_LABEL_DATE)
    return next((day for day, name in sorted(found.items()) if mark in str(name)), None)


def make_up_days_in(term: TermDates, name: str) -> list[CalendarDate]:
    """Weekend days worked in the term, each holding the lectures of its swapped day off
    (both in the term: a swap across the term's first or last day is left out)."""
    return list(_make_up_days(_public_holidays(term), term, name))


def _make_up_days(found: HolidayBase, term: TermDates, name: str) -> Iterator[CalendarDate]:
    for workday in sorted(d for d in found.weekend_workdays if _in_term(d, term)):
        follows = _swapped_day_off(found, workday)
        if follows is not None and _in_term(follows, term):
            yield CalendarDate(workday, name, follows)
