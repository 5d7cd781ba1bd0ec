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
    # The query names only the outermost subtrees (a school's classes: the school's path);
    # in sorted order a path's subtree follows it, so nesting is one comparison per path.
    roots: list[str] = []
    for path in sorted(set(paths)):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    within = Q(pk__in=[])
    for path in roots:
        within |= Q(org__path__startswith=path)
    totals = rows.filter(within).values_list("org__path").annotate(total=Count("id")).order_by()
    positions: dict[str, list[int]] = {}
    for index, path in enumerate(paths):
        positions.setdefault(path, []).append(index)
    counts = [0] * len(paths)
    for org_path, total in totals:
        for prefix in _prefixes(org_path, positions):
            for index in positions[prefix]:
                counts[index] += total
    return counts


def _prefixes(org_path: str, positions: dict[str, list[int]]) -> list[str]:
    """The asked paths that ``org_path`` starts with."""
    if all(path.endswith("/") for path in positions):
        # Node paths ("/1/2/"): the prefixes of a path are its ancestors' paths and itself.
        found, cut = [], -1
        while (cut := org_path.find("/", cut + 1)) != -1:
            if org_path[: cut + 1] in positions:
                found.append(org_path[: cut + 1])
        return found
    return [path for path in positions if org_path.startswith(path)]


def students_on_roll(paths: Sequence[str]) -> list[int]:
    return _per_subtree(Student.objects.exclude(status__in=FINAL_STATUSES), paths)


def staff_employed(paths: Sequence[str]) -> list[int]:
    return _per_subtree(Staff.objects.filter(employment_status__in=EMPLOYED), paths)


def register() -> None:
    from openvet.core.shell import register_headcount

    register_headcount("students", students_on_roll)
    register_headcount("staff", staff_employed)
