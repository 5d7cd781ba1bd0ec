"""A user's student record on an async PostgreSQL connection, for lean ASGI paths.

The burst path of course selection (ADR 0303) runs before Django's ORM is involved; this is
``selectors.student_of_user`` reduced to the columns that path needs, in one indexed query.
"""

from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from openvet.records.models import Student

_LOOKUP = (
    "SELECT id, school_id, major_id, grade_year, class_unit_id, org_id "  # noqa: S608
    f"FROM {Student._meta.db_table} WHERE user_id = %s"
)


@dataclass(frozen=True)
class StudentFacts:
    id: int
    school_id: int
    major_id: int
    grade_year: int
    class_unit_id: int | None
    org_id: int


async def student_facts_of_user(conn: AsyncConnection[Any], *, user_id: int) -> StudentFacts | None:
    """The student record of the account ``user_id``, or None."""
    cursor = await conn.execute(_LOOKUP, [user_id])
    row = await cursor.fetchone()
    return StudentFacts(*row) if row is not None else None
