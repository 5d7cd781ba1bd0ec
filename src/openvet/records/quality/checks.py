"""Data-quality checks over student records: completeness, invalid values, duplicates and
inconsistencies. Counts come from aggregate queries (one per kind of check, grouped by
school); checks that need the decrypted ID number read one column list in one query."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openvet.core import codes
from openvet.records.codes import Gender, IdType, ethnicity_names, political_status_names
from openvet.records.models import Student


@dataclass(frozen=True)
class Check:
    key: str
    group: str
    label: str | Promise
    condition: Callable[[], Q] | None = None
    # For checks on the decrypted ID number: (id_number, birth_date, gender) -> bad?
    predicate: Callable[[str, date | None, str], bool] | None = None


def _bad_id(number: str, birth: date | None, gender: str) -> bool:
    return bool(number) and codes.id_number_problem(number) is not None


def _birth_mismatch(number: str, birth: date | None, gender: str) -> bool:
    if not number or codes.id_number_problem(number) is not None or birth is None:
        return False
    return codes.id_number_birth_date(number) != birth


def _gender_mismatch(number: str, birth: date | None, gender: str) -> bool:
    if not number or codes.id_number_problem(number) is not None:
        return False
    return gender in (Gender.MALE, Gender.FEMALE) and codes.id_number_gender(number) != gender


def _duplicate_digests() -> Q:
    repeated = (
        Student.objects.exclude(id_number_digest="")
        .values("id_number_digest")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values("id_number_digest")
    )
    return Q(id_number_digest__in=repeated)


def _blank(field: str) -> Callable[[], Q]:
    return lambda: Q(**{field: ""})


COMPLETENESS = "completeness"
INVALID = "invalid"
DUPLICATES = "duplicates"
INCONSISTENT = "inconsistent"
GROUPS = {
    COMPLETENESS: _("Completeness (records missing the field)"),
    INVALID: _("Invalid values"),
    DUPLICATES: _("Duplicates"),
    INCONSISTENT: _("Inconsistencies"),
}

CHECKS: tuple[Check, ...] = (
    Check("missing_id_number", COMPLETENESS, _("ID number"), _blank("id_number_digest")),
    Check("missing_birth_date", COMPLETENESS, _("Birth date"), lambda: Q(birth_date=None)),
    Check("missing_ethnicity", COMPLETENESS, _("Ethnicity"), _blank("ethnicity")),
    Check(
        "missing_political_status",
        COMPLETENESS,
        _("Political status"),
        _blank("political_status"),
    ),
    Check(
        "missing_household_registration",
        COMPLETENESS,
        _("Household registration"),
        _blank("household_registration"),
    ),
    Check(
        "missing_enrolment_source",
        COMPLETENESS,
        _("Source of enrolment"),
        _blank("enrolment_source"),
    ),
    Check("missing_class", COMPLETENESS, _("Class"), lambda: Q(class_unit=None)),
    Check(
        "invalid_id_number",
        INVALID,
        _("ID number fails its check digit or format"),
        predicate=_bad_id,
    ),
    Check(
        "invalid_birth_date",
        INVALID,
        _("Birth date in the future or before 1900"),
        lambda: Q(birth_date__gt=timezone.localdate()) | Q(birth_date__lt=date(1900, 1, 1)),
    ),
    Check(
        "invalid_ethnicity",
        INVALID,
        _("Ethnicity code not in GB 3304"),
        lambda: ~Q(ethnicity="") & ~Q(ethnicity__in=list(ethnicity_names())),
    ),
    Check(
        "invalid_political_status",
        INVALID,
        _("Political status code not in GB/T 4762"),
        lambda: ~Q(political_status="") & ~Q(political_status__in=list(political_status_names())),
    ),
    Check(
        "duplicate_id_number",
        DUPLICATES,
        _("Same ID number on more than one record"),
        _duplicate_digests,
    ),
    Check(
        "birth_date_mismatch",
        INCONSISTENT,
        _("Birth date differs from the ID number"),
        predicate=_birth_mismatch,
    ),
    Check(
        "gender_mismatch",
        INCONSISTENT,
        _("Gender differs from the ID number"),
        predicate=_gender_mismatch,
    ),
    Check(
        "class_of_other_major",
        INCONSISTENT,
        _("Class belongs to another major"),
        lambda: Q(class_unit__isnull=False) & ~Q(class_unit__parent_id=F("major_id")),
    ),
)
BY_KEY = {check.key: check for check in CHECKS}


def figures(students: QuerySet[Student]) -> dict[int, dict[str, int]]:
    """``{school_id: {"total": n, check key: count}}`` for the given (scoped) students."""
    aggregates: dict[str, Any] = {"total": Count("id")}
    for check in CHECKS:
        if check.condition is not None:
            aggregates[check.key] = Count("id", filter=check.condition())
    result: dict[int, dict[str, int]] = {}
    for row in students.order_by().values("school_id").annotate(**aggregates):
        school_id = row.pop("school_id")
        result[school_id] = {key: int(value) for key, value in row.items()}
    for school_id, counts in _decrypted_counts(students).items():
        result.setdefault(school_id, {}).update(counts)
    for counts in result.values():
        for check in CHECKS:
            counts.setdefault(check.key, 0)
    return result


def _decrypted_rows(students: QuerySet[Student]) -> Any:
    return (
        students.order_by()
        .filter(id_type=IdType.RESIDENT_ID)
        .exclude(id_number_digest="")
        .values_list("pk", "school_id", "id_number", "birth_date", "gender")
        .iterator(chunk_size=2000)
    )


def _decrypted_counts(students: QuerySet[Student]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    python_checks = [c for c in CHECKS if c.predicate is not None]
    for _pk, school_id, number, birth, gender in _decrypted_rows(students):
        bucket = counts[school_id]
        for check in python_checks:
            if check.predicate is not None and check.predicate(number or "", birth, gender):
                bucket[check.key] = bucket.get(check.key, 0) + 1
    return counts


def offending(students: QuerySet[Student], check: Check) -> QuerySet[Student]:
    """The records failing ``check``, as a queryset for a paginated list."""
    if check.condition is not None:
        return students.filter(check.condition())
    predicate = check.predicate or (lambda number, birth, gender: False)
    ids = [
        pk
        for pk, _school, number, birth, gender in _decrypted_rows(students)
        if predicate(number or "", birth, gender)
    ]
    return students.filter(pk__in=ids)
