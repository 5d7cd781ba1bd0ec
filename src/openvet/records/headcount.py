"""People per org subtree, for the home pages (``core.shell.register_headcount``).

A student counts from the moment the record exists (typed in or imported, with or without a
sign-in account) until they leave (a final status). A staff member counts while employed (in
post or on leave), whether or not they have an account: a school's headcount is its staff
records, not its logins. One GROUP BY query for any number of subtrees.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q, QuerySet

from openvet.records.codes import FINAL_STATUSES, EmploymentStatus
from openvet.records.models import Staff, Student

EMPLOYED = (EmploymentStatus.ACTIVE, EmploymentStatus.LEAVE)


def _per_subtree(rows: QuerySet[Any], paths: Sequence[str]) -> list[int]:
    if not paths:
        return []
    within = Q(pk__in=[])
    for path in paths:
        within |= Q(org__path__startswith=path)
    totals = rows.filter(within).values("org__path").annotate(total=Count("id")).order_by()
    counts = [0] * len(paths)
    for row in totals:
        for index, path in enumerate(paths):
            if row["org__path"].startswith(path):
                counts[index] += row["total"]
    return counts


def students_on_roll(paths: Sequence[str]) -> list[int]:
    return _per_subtree(Student.objects.exclude(status__in=FINAL_STATUSES), paths)


def staff_employed(paths: Sequence[str]) -> list[int]:
    return _per_subtree(Staff.objects.filter(employment_status__in=EMPLOYED), paths)


def register() -> None:
    from openvet.core.shell import register_headcount

    register_headcount("students", students_on_roll)
    register_headcount("staff", staff_employed)
