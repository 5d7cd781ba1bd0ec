"""``POST /api/v1/teaching/offerings/{id}/select`` over real HTTP through the ASGI application.

On PostgreSQL the lean route (``config.lean``, ADR 0303) answers; on SQLite the application is
Django alone. The same tests run on both, so the two paths give the same answers; on PostgreSQL
they also check that Django was not involved (``django.calls``), except where the lean route
hands over by design.
"""

import asyncio
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone
from django.utils.translation import gettext, override

from openvet.config.lean import LeanRoutes
from openvet.config.tests.lean_support import (
    ON_POSTGRES,
    CountingDjango,
    Sent,
    answered_lean,
    bearer,
    send_posts,
)
from openvet.core.models import AuditEntry, OrgKind
from openvet.core.tests.factories import OrgUnitFactory
from openvet.lrs.models import Activity, ForwardEntry, Statement
from openvet.lrs.services import upstream_save
from openvet.teaching.selection import services as selection_services
from openvet.teaching.selection.models import Offering, RoundKind, Selection, SelectionRound
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import offering_of, round_of, student_in, task_of

# The lean route reads through its own connections: it sees committed rows only.
pytestmark = pytest.mark.django_db(transaction=ON_POSTGRES)


def post(
    *requests: tuple[int, dict[str, str]], concurrently: bool = False, lean: bool = True
) -> Sent:
    """POST each ``(offering id, headers)`` to the select URL through the ASGI application."""
    sent = [(f"/api/v1/teaching/offerings/{o}/select", h, None) for o, h in requests]
    return send_posts(sent, together=concurrently, lean=lean)


def translated(msgid: str) -> str:
    with override("zh-hans"):
        text = gettext(msgid)
    assert text != msgid, f"no zh-hans translation of {msgid!r}"
    return text


def test_select_takes_a_seat_and_writes_the_row_and_the_audit_entry(campus: Campus) -> None:
    offering = offering_of(campus, capacity=2)
    round_of(campus)
    student = student_in(campus)
    sent = post((offering.pk, bearer(student.user)))
    answer = sent.responses[0]
    assert answer.status_code == 200, answer.text
    body = answer.json()
    selection = Selection.objects.get(pk=body["id"])
    assert body == {"id": selection.pk, "offering_id": offering.pk, "source": "first_come"}
    assert (selection.student_id, selection.term_id, selection.round_id is not None) == (
        student.pk,
        campus.term.pk,
        True,
    )
    offering.refresh_from_db()
    assert offering.taken == 1
    entry = AuditEntry.objects.get(object_type="teaching.selection", object_id=str(selection.pk))
    assert (entry.actor_id, entry.action, entry.org_path, entry.ip_address) == (
        student.user.pk,
        "create",
        campus.school.path,
        "127.0.0.1",
    )
    assert entry.changes == {"offering": [None, offering.pk], "student": [None, student.pk]}
    assert answered_lean(sent)


def test_full_offering_is_409_with_the_same_answer_as_the_full_stack(campus: Campus) -> None:
    offering = offering_of(campus, capacity=1)
    round_of(campus)
    post((offering.pk, bearer(student_in(campus).user)))
    late = bearer(student_in(campus).user)
    sent = post((offering.pk, late))
    answer = sent.responses[0]
    assert (answer.status_code, answer.json()) == (
        409,
        {
            "code": "full",
            "message": "This course is full.",
            "details": {"offering": "This course is full."},
        },
    )
    assert answered_lean(sent)
    through_django = post((offering.pk, late), lean=False).responses[0]
    assert (through_django.status_code, through_django.json()) == (409, answer.json())
    offering.refresh_from_db()
    assert (offering.taken, Selection.objects.filter(offering=offering).count()) == (1, 1)


def test_refusals_are_translated_to_chinese(campus: Campus) -> None:
    offering = offering_of(campus, capacity=1)
    round_of(campus)
    post((offering.pk, bearer(student_in(campus).user)))
    sent = post((offering.pk, bearer(student_in(campus).user, language="zh-hans")))
    answer = sent.responses[0]
    message = translated("This course is full.")
    assert (answer.status_code, answer.json()) == (
        409,
        {"code": "full", "message": message, "details": {"offering": message}},
    )
    assert answer.headers["content-language"] == "zh-hans"


def test_second_selection_of_the_same_course_is_409(campus: Campus) -> None:
    offering = offering_of(campus, capacity=5)
    round_of(campus)
    headers = bearer(student_in(campus).user)
    sent = post((offering.pk, headers), (offering.pk, headers))
    statuses = [(r.status_code, r.json().get("code")) for r in sent.responses]
    assert statuses == [(200, None), (409, "already_selected")]
    offering.refresh_from_db()
    assert (offering.taken, Selection.objects.filter(offering=offering).count()) == (1, 1)
    assert answered_lean(sent)


def test_clash_with_a_selected_course_is_422_naming_it(campus: Campus) -> None:
    first = offering_of(campus, capacity=5, weekday=2, period=3)
    second = offering_of(campus, capacity=5, weekday=2, period=4)  # overlaps periods 3-4
    round_of(campus)
    headers = bearer(student_in(campus).user, language="zh-hans")
    sent = post((first.pk, headers), (second.pk, headers))
    answer = sent.responses[1]
    assert (answer.status_code, answer.json()["code"]) == (422, "clash")
    with override("zh-hans"):
        expected = gettext("This course clashes with %(course)s.") % {
            "course": first.task.course.name
        }
    assert answer.json()["message"] == expected
    assert Selection.objects.filter(offering=second).count() == 0
    assert answered_lean(sent)


def test_missing_prerequisite_is_422(campus: Campus) -> None:
    offering = offering_of(campus, prerequisites=["PRE01"])
    round_of(campus)
    sent = post((offering.pk, bearer(student_in(campus).user)))
    answer = sent.responses[0]
    assert (answer.status_code, answer.json()["code"], answer.json()["message"]) == (
        422,
        "prerequisite_missing",
        "You have not passed the prerequisite courses: PRE01.",
    )
    assert Selection.objects.filter(offering=offering).count() == 0
    assert answered_lean(sent)


def test_selection_outside_the_window_is_422(campus: Campus) -> None:
    offering = offering_of(campus)
    round_of(campus, opens=timezone.now() - timedelta(hours=3), hours=1)  # closed 2 h ago
    sent = post((offering.pk, bearer(student_in(campus).user, language="zh-hans")))
    answer = sent.responses[0]
    assert (answer.status_code, answer.json()["code"], answer.json()["message"]) == (
        422,
        "outside_window",
        translated("Course selection is not open now."),
    )
    assert answered_lean(sent)


def test_a_round_the_administrator_opens_is_open_at_the_next_click(
    campus: Campus, django_capture_on_commit_callbacks: Any
) -> None:
    offering = offering_of(campus)
    headers = bearer(student_in(campus).user)
    before = post((offering.pk, headers)).responses[0]  # no round yet: remembered as none
    with django_capture_on_commit_callbacks(execute=True):
        selection_services.round_create(
            actor=campus.admin,
            term=campus.term,
            name="First come",
            kind=RoundKind.FIRST_COME,
            opens_at=timezone.now() - timedelta(minutes=1),
            closes_at=timezone.now() + timedelta(hours=1),
        )
    sent = post((offering.pk, headers))
    assert (before.status_code, before.json()["code"], sent.responses[0].status_code) == (
        422,
        "outside_window",
        200,
    )
    assert answered_lean(sent)


def test_student_of_another_grade_is_not_eligible(campus: Campus) -> None:
    offering = offering_of(campus)
    Offering.objects.filter(pk=offering.pk).update(eligible_grades=[2024])
    round_of(campus)
    student = student_in(campus)  # class A: intake 2025
    sent = post((offering.pk, bearer(student.user)))
    answer = sent.responses[0]
    assert (answer.status_code, answer.json()["code"], answer.json()["message"]) == (
        422,
        "not_eligible",
        "This course is not open to your grade.",
    )
    assert answered_lean(sent)


def test_another_schools_student_cannot_select_this_schools_offering(
    campus: Campus, other: Campus
) -> None:
    offering = offering_of(campus)
    round_of(campus)
    round_of(other)
    outsider = student_in(other)
    sent = post((offering.pk, bearer(outsider.user)))
    answer = sent.responses[0]
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
    offering.refresh_from_db()
    assert (offering.taken, Selection.objects.filter(offering=offering).count()) == (0, 0)


def test_without_a_usable_token_the_answer_is_401(campus: Campus) -> None:
    offering = offering_of(campus)
    round_of(campus)
    wrong = post(
        (offering.pk, {"Authorization": "Bearer ovt_not-a-token", "Accept-Language": "en"})
    )
    assert (wrong.responses[0].status_code, wrong.responses[0].json()) == (
        401,
        {"code": "not_authenticated", "message": "Sign in or send a token.", "details": None},
    )
    assert answered_lean(wrong)
    nothing = post((offering.pk, {"Accept-Language": "en"}))
    assert (nothing.responses[0].status_code, nothing.responses[0].json()) == (
        401,
        wrong.responses[0].json(),
    )
    assert Selection.objects.count() == 0


def test_revoked_token_is_401_and_read_only_token_is_403(campus: Campus) -> None:
    offering = offering_of(campus)
    round_of(campus)
    user = student_in(campus).user
    revoked = bearer(user)
    user.api_tokens.update(revoked_at=timezone.now())
    read_only = bearer(user, scopes=("read",))
    sent = post((offering.pk, revoked), (offering.pk, read_only))
    assert [(r.status_code, r.json()["code"]) for r in sent.responses] == [
        (401, "not_authenticated"),
        (403, "insufficient_scope"),
    ]
    assert Selection.objects.count() == 0


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="the lean route runs on PostgreSQL only (ADR 0303)")
def test_burst_through_the_lean_route_never_oversells(campus: Campus) -> None:
    offering = offering_of(campus, capacity=5)
    round_of(campus)
    clicks = [bearer(student_in(campus).user) for _n in range(30)]
    clicks += clicks[:5]  # double clicks racing themselves
    sent = post(*((offering.pk, headers) for headers in clicks), concurrently=True)
    codes = [r.json().get("code", "selected") for r in sent.responses]
    won = {r.json()["id"] for r in sent.responses if r.status_code == 200}
    offering.refresh_from_db()
    rows = set(Selection.objects.filter(offering=offering).values_list("pk", flat=True))
    assert (offering.taken, len(rows), won == rows) == (5, 5, True)
    assert set(codes) <= {"selected", "full", "already_selected"}
    assert sent.django_calls == 0


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="the lean route runs on PostgreSQL only (ADR 0303)")
def test_lifespan_opens_the_pool_at_startup_and_closes_it_at_shutdown() -> None:
    async def run() -> tuple[list[str], bool, bool]:
        app = LeanRoutes(CountingDjango())
        inbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        sent: list[str] = []

        async def send(message: dict[str, str]) -> None:
            sent.append(message["type"])

        await inbox.put({"type": "lifespan.startup"})
        await inbox.put({"type": "lifespan.shutdown"})
        opened: list[bool] = []
        original = app.pool

        async def watched_pool() -> Any:
            pool = await original()
            opened.append(not pool.closed)
            return pool

        app.pool = watched_pool  # type: ignore[method-assign]
        await app({"type": "lifespan"}, inbox.get, send)
        return sent, opened == [True], app._pool is None

    assert async_to_sync(run)() == (
        ["lifespan.startup.complete", "lifespan.shutdown.complete"],
        True,
        True,
    )


def _with_credits(offering: Offering, credits: str) -> Offering:
    course = offering.task.course
    course.credits = Decimal(credits)
    course.save(update_fields=["credits"])
    return offering


def test_credit_cap_gives_the_same_422_as_the_full_stack(campus: Campus) -> None:
    first = _with_credits(offering_of(campus, capacity=5, weekday=1), "3")
    fits = _with_credits(offering_of(campus, capacity=5, weekday=2), "1")
    over = _with_credits(offering_of(campus, capacity=5, weekday=3), "0.5")
    selection_round = round_of(campus)
    selection_round.max_credits_per_student = Decimal("4")
    selection_round.save(update_fields=["max_credits_per_student"])
    headers = bearer(student_in(campus).user, language="zh-hans")
    sent = post((first.pk, headers), (fits.pk, headers), (over.pk, headers))
    statuses = [r.status_code for r in sent.responses]
    answer = sent.responses[2]
    with override("zh-hans"):
        message = translated(
            "This course has %(credits)s credits: with the %(used)s you already hold in this "
            "round it would exceed the limit of %(cap)s credits."
        ) % {"credits": "0.5", "used": "4", "cap": "4"}
    assert (statuses, answer.json()) == (
        [200, 200, 422],
        {"code": "credit_cap", "message": message, "details": {"offering": message}},
    )
    assert answered_lean(sent)
    through_django = post((over.pk, headers), lean=False).responses[0]
    assert (through_django.status_code, through_django.json()) == (422, answer.json())
    over.refresh_from_db()
    assert (over.taken, Selection.objects.filter(offering=over).count()) == (0, 0)


# Parity (ADR 0314): every answer of the lean route, click for click, as the full stack's ---


def _seen(response: httpx.Response) -> tuple[int, Any]:
    """Status and body, the new selection's id aside (each route creates its own row)."""
    body = response.json()
    if response.status_code == 200:
        body = {**body, "id": "new"}
    return response.status_code, body


def _audit_of(selection_id: int) -> tuple[Any, ...]:
    entry = AuditEntry.objects.get(object_type="teaching.selection", object_id=str(selection_id))
    return (entry.action, entry.org_id, entry.org_path, entry.ip_address, sorted(entry.changes))


def _open_offering(campus: Campus, **extra: Any) -> Offering:
    round_of(campus)
    return offering_of(campus, capacity=5, **extra)


def _selected(campus: Campus) -> tuple[int, dict[str, str]]:
    return _open_offering(campus).pk, bearer(student_in(campus).user)


def _full(campus: Campus) -> tuple[int, dict[str, str]]:
    offering = _open_offering(campus)
    Offering.objects.filter(pk=offering.pk).update(capacity=0)
    return offering.pk, bearer(student_in(campus).user, language="zh-hans")


def _already_selected(campus: Campus) -> tuple[int, dict[str, str]]:
    offering = _open_offering(campus)
    headers = bearer(student_in(campus).user)
    assert post((offering.pk, headers)).responses[0].status_code == 200
    return offering.pk, headers


def _clash(campus: Campus) -> tuple[int, dict[str, str]]:
    first = _open_offering(campus, weekday=3, period=1)
    second = offering_of(campus, capacity=5, weekday=3, period=2)
    headers = bearer(student_in(campus).user, language="zh-hans")
    assert post((first.pk, headers)).responses[0].status_code == 200
    return second.pk, headers


def _clash_with_the_class(campus: Campus) -> tuple[int, dict[str, str]]:
    offering = _open_offering(campus, weekday=4, period=1)
    task_of(campus, classes=[campus.class_a], weekday=4, period=1, code="CLASS1")
    return offering.pk, bearer(student_in(campus).user)


def _clash_with_two_courses(campus: Campus) -> tuple[int, dict[str, str]]:
    """Periods 2-3 against a selected course (3-4) and a course of the class (1-2)."""
    selected = _open_offering(campus, weekday=5, period=3)
    task_of(campus, classes=[campus.class_a], weekday=5, period=1, code="CLASS2")
    clicked = offering_of(campus, capacity=5, weekday=5, period=2)
    headers = bearer(student_in(campus).user, language="zh-hans")
    assert post((selected.pk, headers)).responses[0].status_code == 200
    return clicked.pk, headers


def _prerequisite(campus: Campus) -> tuple[int, dict[str, str]]:
    offering = _open_offering(campus, prerequisites=["PRE01", "PRE02"])
    return offering.pk, bearer(student_in(campus).user, language="zh-hans")


def _outside_window(campus: Campus) -> tuple[int, dict[str, str]]:
    offering = offering_of(campus)
    round_of(campus, opens=timezone.now() + timedelta(hours=1))
    return offering.pk, bearer(student_in(campus).user)


def _other_major(campus: Campus) -> tuple[int, dict[str, str]]:
    offering = _open_offering(campus)
    other = OrgUnitFactory(kind=OrgKind.MAJOR, parent=campus.department, code="510202")
    offering.eligible_majors.add(other)
    return offering.pk, bearer(student_in(campus).user, language="zh-hans")


def _other_grade(campus: Campus) -> tuple[int, dict[str, str]]:
    offering = _open_offering(campus)
    Offering.objects.filter(pk=offering.pk).update(eligible_grades=[2024])
    return offering.pk, bearer(student_in(campus).user)


def _credit_cap(campus: Campus) -> tuple[int, dict[str, str]]:
    held = _with_credits(_open_offering(campus, weekday=1), "3.5")
    over = _with_credits(offering_of(campus, capacity=5, weekday=2), "1")
    SelectionRound.objects.update(max_credits_per_student=Decimal("4"))
    headers = bearer(student_in(campus).user, language="zh-hans")
    assert post((held.pk, headers)).responses[0].status_code == 200
    return over.pk, headers


def _bad_token(campus: Campus) -> tuple[int, dict[str, str]]:
    offering = _open_offering(campus)
    return offering.pk, {"Authorization": "Bearer ovt_never-issued", "Accept-Language": "zh-hans"}


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="the lean route runs on PostgreSQL only (ADR 0303)")
@pytest.mark.parametrize(
    ("click", "expected"),
    [
        (_full, (409, "full")),
        (_already_selected, (409, "already_selected")),
        (_clash, (422, "clash")),
        (_clash_with_the_class, (422, "clash")),
        (_clash_with_two_courses, (422, "clash")),
        (_prerequisite, (422, "prerequisite_missing")),
        (_outside_window, (422, "outside_window")),
        (_other_major, (422, "not_eligible")),
        (_other_grade, (422, "not_eligible")),
        (_credit_cap, (422, "credit_cap")),
        (_bad_token, (401, "not_authenticated")),
    ],
)
def test_every_refusal_of_the_lean_route_is_the_full_stacks(
    campus: Campus, click: Any, expected: tuple[int, str]
) -> None:
    offering_id, headers = click(campus)
    rows_before = Selection.objects.count()
    lean = post((offering_id, headers))
    full = post((offering_id, headers), lean=False)
    assert (lean.django_calls, full.django_calls) == (0, 1)
    assert (lean.responses[0].status_code, lean.responses[0].json()["code"]) == expected
    assert _seen(lean.responses[0]) == _seen(full.responses[0])
    assert lean.responses[0].headers["content-language"] == headers["Accept-Language"]
    assert Selection.objects.count() == rows_before


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="the lean route runs on PostgreSQL only (ADR 0303)")
def test_a_seat_taken_by_the_lean_route_is_the_full_stacks(campus: Campus) -> None:
    upstream_save(
        actor=None,
        school=campus.school,
        endpoint="https://lrs.province.example/xapi/",
        key="k",
        secret="s",
        version="2.0.0",
        is_active=True,
    )
    offering_id, lean_headers = _selected(campus)
    full_headers = bearer(student_in(campus).user)
    lean = post((offering_id, lean_headers)).responses[0]
    full = post((offering_id, full_headers), lean=False).responses[0]
    assert (
        _seen(lean)
        == _seen(full)
        == (
            200,
            {"id": "new", "offering_id": offering_id, "source": "first_come"},
        )
    )
    lean_row, full_row = (Selection.objects.get(pk=r.json()["id"]) for r in (lean, full))
    assert (lean_row.round_id, lean_row.term_id, lean_row.source) == (
        full_row.round_id,
        full_row.term_id,
        full_row.source,
    )
    assert _audit_of(lean_row.pk) == _audit_of(full_row.pk)
    assert Offering.objects.get(pk=offering_id).taken == 2
    # Each seat is a learning record, stored with it, the same whichever route took it.
    lean_record, full_record = (_record_of(row) for row in (lean_row, full_row))
    assert lean_record == {**full_record, "actor": lean_record["actor"]}
    assert lean_record["actor"] != full_record["actor"]
    assert lean_record["queued_upstream"] == 1


def _record_of(selection: Selection) -> dict[str, object]:
    record = Statement.objects.get(actor_key__endswith=f"|{selection.student.user_id}")
    return {
        "actor": record.actor_key,
        "verb": record.verb_id,
        "object": record.object_key,
        "school": record.school_id,
        "links": sorted(record.links.values_list("key", flat=True).exclude(key=record.actor_key)),
        "activity": list(
            Activity.objects.filter(activity_id=record.object_key).values_list(
                "school_id", "definition"
            )
        ),
        "body_object": record.body["object"],
        "queued_upstream": ForwardEntry.objects.filter(statement=record).count(),
    }
