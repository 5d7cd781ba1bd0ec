"""A user's student record in raw SQL on PostgreSQL, for lean ASGI paths.

The burst path of course selection (ADR 0303) runs before Django's ORM is involved; this is
``selectors.student_of_user`` reduced to the columns that path needs, as a query the caller
embeds in its own statement (ADR 0314).
"""

from dataclasses import dataclass

from openvet.records.models import Student

# Columns of ``student_of_user``, in the order of ``StudentFacts``.
STUDENT_COLUMNS = ("id", "school_id", "major_id", "grade_year", "class_unit_id", "org_id")


def student_of_user(user_id_sql: str) -> str:
    """The student record of the account whose id is the SQL expression ``user_id_sql``."""
    return (
        f"SELECT {', '.join(STUDENT_COLUMNS)} FROM {Student._meta.db_table} "  # noqa: S608
        f"WHERE user_id = {user_id_sql}"
    )


@dataclass(frozen=True)
class StudentFacts:
    id: int
    school_id: int
    major_id: int
    grade_year: int
    class_unit_id: int | None
    org_id: int
