"""Students on roll per org subtree, for the home pages (``core.shell.register_headcount``).

A student counts from the moment the record exists (typed in or imported, with or without a
sign-in account) until they leave (a final status). One GROUP BY query for any number of
subtrees.
"""

from collections.abc import Sequence

from django.db.models import Count, Q

from openvet.records.codes import FINAL_STATUSES
from openvet.records.models import Student


def students_on_roll(paths: Sequence[str]) -> list[int]:
    if not paths:
        return []
    within = Q(pk__in=[])
    for path in paths:
        within |= Q(org__path__startswith=path)
    rows = (
        Student.objects.filter(within)
        .exclude(status__in=FINAL_STATUSES)
        .values("org__path")
        .annotate(total=Count("id"))
        .order_by()
    )
    counts = [0] * len(paths)
    for row in rows:
        for index, path in enumerate(paths):
            if row["org__path"].startswith(path):
                counts[index] += row["total"]
    return counts


def register() -> None:
    from openvet.core.shell import register_headcount

    register_headcount("students", students_on_roll)
