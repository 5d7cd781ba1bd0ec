"""Many students racing for the last seats, each thread on its own database connection.

PostgreSQL only: on SQLite the test database is in memory and writers are serialised anyway.
"""

import os
import threading

import pytest
from django.db import connection

from openvet.core.errors import DomainError
from openvet.teaching.selection import services
from openvet.teaching.selection.models import Offering, Selection
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import offering_of, round_of, student_in

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_burst_never_oversells_and_never_loses_a_seat(campus: Campus) -> None:
    offering = offering_of(campus, capacity=5)
    round_of(campus)
    users = [student_in(campus).user for _n in range(24)]
    users += users[:4]  # double clicks racing themselves
    start = threading.Barrier(len(users))
    won: list[int] = []
    refused: list[str] = []

    def click(user: object) -> None:
        try:
            start.wait()
            fresh = Offering.objects.get(pk=offering.pk)
            won.append(services.selection_create(actor=user, offering=fresh).pk)
        except DomainError as exc:
            refused.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    offering.refresh_from_db()
    rows = set(Selection.objects.filter(offering=offering).values_list("pk", flat=True))
    assert (offering.taken, len(rows), set(won) == rows) == (5, 5, True)
    assert len(won) + len(refused) == len(users)
    assert set(refused) <= {"full", "already_selected"}
