"""Writes of course selection: offerings, rounds, preferences, the lottery, select and drop.

Seats (ADR 0302): a seat is taken by inserting the unique (student, offering) row and then
``UPDATE offering SET taken = taken + 1 WHERE id = %s AND taken < capacity`` in the same
transaction; when the UPDATE touches no row the offering is full and the insert rolls back.
The UPDATE is the last statement, so the row lock it takes is held only until the commit.
"""

import random
import secrets
import uuid
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.selectors import org_school_get
from openvet.teaching.capabilities import MANAGE_SELECTION
from openvet.teaching.learning_events import record_learning_event
from openvet.teaching.models import TeachingTask, Term, TimetableEntry
from openvet.teaching.selection import credits, rules
from openvet.teaching.selection.capacity import offering_set_capacity as offering_set_capacity
from openvet.teaching.selection.models import (
    Offering,
    Preference,
    PreferenceOutcome,
    RoundKind,
    Selection,
    SelectionRound,
    SelectionSource,
)
from openvet.teaching.selection.rules import AlreadySelected as AlreadySelected
from openvet.teaching.selection.rules import SeatsFull
from openvet.teaching.services.common import check, record, require
from openvet.teaching.students import passed_course_codes, student_for

# Administration ---------------------------------------------------------------------------


@transaction.atomic
def offering_create(
    *,
    actor: Actor,
    task: TeachingTask,
    capacity: int,
    eligible_majors: list[OrgUnit] | None = None,
    eligible_grades: list[int] | None = None,
    prerequisites: list[str] | None = None,
    note: str = "",
) -> Offering:
    require(actor, MANAGE_SELECTION, task.org)
    school = org_school_get(org=task.org, field="org")
    errors: dict[str, str] = {}
    if capacity < 1:
        errors["capacity"] = _("Capacity must be at least 1.")
    majors = list(eligible_majors or [])
    if any(m.kind != OrgKind.MAJOR or not m.path.startswith(school.path) for m in majors):
        errors["eligible_majors"] = _("Choose majors of the offering's school.")
    if Offering.objects.filter(task=task).exists():
        errors["task"] = _("This teaching task is already offered.")
    check(errors)
    codes = sorted({c.strip().upper() for c in prerequisites or [] if c.strip()})
    offering = Offering.objects.create(
        term=task.term,
        task=task,
        org=task.org,
        school=school,
        capacity=capacity,
        eligible_grades=sorted(set(eligible_grades or [])),
        prerequisites=codes,
        note=note,
    )
    offering.eligible_majors.set(majors)
    transaction.on_commit(lambda: cache.delete(f"teaching:selection:majors:{offering.pk}"))
    record(
        actor=actor,
        obj=offering,
        org=task.org,
        after={"capacity": capacity, "prerequisites": codes},
    )
    return offering


@transaction.atomic
def round_create(
    *,
    actor: Actor,
    term: Term,
    name: str,
    kind: str,
    opens_at: datetime,
    closes_at: datetime,
    max_choices: int = 3,
    max_credits_per_student: Decimal | None = None,
) -> SelectionRound:
    require(actor, MANAGE_SELECTION, term.org)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("A name is required.")
    if kind not in RoundKind.values:
        errors["kind"] = _("Choose a kind of round.")
    if closes_at <= opens_at:
        errors["closes_at"] = _("The round must close after it opens.")
    if not 1 <= max_choices <= 20:
        errors["max_choices"] = _("Choose between 1 and 20 courses.")
    if max_credits_per_student is not None and not 0 < max_credits_per_student <= 99:
        errors["max_credits_per_student"] = _("Choose a credit limit above 0 and at most 99.")
    check(errors)
    selection_round = SelectionRound.objects.create(
        term=term,
        org=term.org,
        name=name.strip(),
        kind=kind,
        opens_at=opens_at,
        closes_at=closes_at,
        max_choices=max_choices,
        max_credits_per_student=max_credits_per_student,
    )
    record(
        actor=actor,
        obj=selection_round,
        org=term.org,
        after={"kind": kind, "opens_at": opens_at, "closes_at": closes_at},
    )
    forget_rounds_on_commit(term.pk, term.org_id)
    return selection_round


# Rules of a student's choice --------------------------------------------------------------


# Round windows and eligible majors change rarely and are read by every click of a burst, so
# they are cached for a few seconds; the seat itself is always decided by the database.
CACHE_SECONDS = 5


def _rounds_key(term_id: int, school_id: int) -> str:
    return f"teaching:selection:rounds:{term_id}:{school_id}"


# Replaced by every change of a round: the lean route (``hotpath``) keys its per-process copy
# of the rounds on it, so a change is seen by every process on its next click.
ROUNDS_VERSION_KEY = "teaching:selection:rounds-version"


def forget_rounds_on_commit(term_id: int, school_id: int) -> None:
    """Drop the cached round windows of a school's term once the change that moved them
    commits, here and in the lean route of every process."""
    key = _rounds_key(term_id, school_id)

    def forget() -> None:
        cache.delete(key)
        cache.set(ROUNDS_VERSION_KEY, uuid.uuid4().hex, None)

    transaction.on_commit(forget)


def rounds_version() -> str | None:
    """The token of the last change of any round (None before the first one)."""
    version: str | None = cache.get(ROUNDS_VERSION_KEY)
    return version


def _rounds_of(term_id: int, school_id: int) -> list[SelectionRound]:
    key = _rounds_key(term_id, school_id)
    rounds = cache.get(key)
    if rounds is None:
        rounds = list(
            SelectionRound.objects.filter(term_id=term_id, org_id=school_id).order_by(
                "opens_at", "id"
            )
        )
        cache.set(key, rounds, CACHE_SECONDS)
    return list(rounds)


def _eligible_major_ids(offering: Offering) -> set[int]:
    key = f"teaching:selection:majors:{offering.pk}"
    ids = cache.get(key)
    if ids is None:
        ids = set(offering.eligible_majors.values_list("pk", flat=True))
        cache.set(key, ids, CACHE_SECONDS)
    return set(ids)


def open_round(offering: Offering, kind: str | None, now: datetime) -> SelectionRound:
    return rules.open_round_among(_rounds_of(offering.term_id, offering.school_id), kind, now)


_refuse = rules.refusal


def check_eligible(student: Any, offering: Offering) -> None:
    rules.check_eligible(student, offering, _eligible_major_ids(offering))


def check_prerequisites(student: Any, offering: Offering) -> None:
    if not offering.prerequisites:
        return
    rules.check_prerequisites(offering, passed_course_codes(student))


def passed_codes_of_student(student_id: int) -> set[str]:
    """Passed course codes of a student by id, for the lean path (runs in a worker thread)."""
    # An unsaved instance carrying the key is all the grade query needs: no extra read.
    return passed_course_codes(apps.get_model("records", "Student")(pk=student_id))


_SLOT_COLUMNS = (
    "task_id",
    "weekday",
    "period_start",
    "length",
    "week_start",
    "week_end",
    "week_parity",
)


def _slots(condition: Q, term_id: int) -> list[rules.Slot]:
    # In the order the lean route reads them (hotpath._FACTS), so that with two clashes both
    # name the same course.
    rows = (
        TimetableEntry.objects.filter(condition, term_id=term_id)
        .values_list(*_SLOT_COLUMNS)
        .distinct()
        .order_by(*_SLOT_COLUMNS)
    )
    return [rules.slot_of(row) for row in rows]


def check_clash(student: Any, offering: Offering) -> None:
    """Refuse a course held at the same time as one already selected or of the class."""
    taken = (
        Selection.objects.filter(student=student, term_id=offering.term_id)
        .exclude(offering_id=offering.pk)
        .values("offering__task_id")
    )
    condition = Q(task_id=offering.task_id) | Q(task_id__in=taken)  # one query with a subquery
    if student.class_unit_id:
        condition |= Q(task__classes=student.class_unit_id)
    rules.check_clash(offering.task_id, _slots(condition, offering.term_id), _course_name)


def _course_name(task_id: int) -> str:
    return TeachingTask.objects.select_related("course").get(pk=task_id).course.name


# Seats -------------------------------------------------------------------------------------


def _take_seat(
    *,
    actor: Actor,
    student: Any,
    offering: Offering,
    source: str,
    selection_round: SelectionRound | None,
) -> Selection:
    """Insert the seat row, then take a seat; both or neither (see the module docstring)."""
    with transaction.atomic():
        selection = Selection.objects.create(
            offering=offering,
            student=student,
            term_id=offering.term_id,
            source=source,
            round=selection_round,
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=selection,
            org=offering.org,
            actor=actor,
            changes={"offering": [None, offering.pk], "student": [None, student.pk]},
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE teaching_offering SET taken = taken + 1 WHERE id = %s AND taken < capacity",
                [offering.pk],
            )
            if cursor.rowcount != 1:
                raise rules.seats_full()
    return selection


def _give_back_seat(offering_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE teaching_offering SET taken = taken - 1 WHERE id = %s AND taken > 0",
            [offering_id],
        )


def selection_create(*, actor: Actor, offering: Offering, now: datetime | None = None) -> Selection:
    """A student takes a seat in the first-come round."""
    student = student_for(actor)
    selection_round = rules.check_before_seat(
        student=student,
        offering=offering,
        rounds=_rounds_of(offering.term_id, offering.school_id),
        kind=RoundKind.FIRST_COME,
        now=now or timezone.now(),
        major_ids=_eligible_major_ids(offering),
    )
    check_prerequisites(student, offering)
    check_clash(student, offering)
    credits.check_credit_cap(student=student, offering=offering, selection_round=selection_round)
    try:
        selection = _take_seat(
            actor=actor,
            student=student,
            offering=offering,
            source=SelectionSource.FIRST_COME,
            selection_round=selection_round,
        )
    except IntegrityError as exc:  # the unique (student, offering) row decides
        raise rules.already_selected() from exc
    record_learning_event(
        user_id=actor.pk, verb="selected", object_type="teaching.offering", object_id=offering.pk
    )
    return selection


@transaction.atomic
def selection_drop(*, actor: Actor, selection: Selection, now: datetime | None = None) -> None:
    """A student gives back their seat while a round is open."""
    student = student_for(actor)
    if selection.student_id != student.pk:
        raise PermissionDenied()
    offering = selection.offering
    open_round(offering, None, now or timezone.now())
    deleted, _rows = Selection.objects.filter(pk=selection.pk).delete()
    if not deleted:
        return  # dropped by a parallel request already
    audit_record(
        action=AuditAction.DELETE,
        obj=selection,
        org=offering.org,
        actor=actor,
        changes={"offering": [offering.pk, None]},
    )
    _give_back_seat(offering.pk)
    record_learning_event(
        user_id=actor.pk, verb="dropped", object_type="teaching.offering", object_id=offering.pk
    )


# Preference round and lottery -------------------------------------------------------------


@transaction.atomic
def preferences_set(
    *,
    actor: Actor,
    selection_round: SelectionRound,
    offerings: list[Offering],
    now: datetime | None = None,
) -> list[Preference]:
    """Replace the student's ranked choices (first = rank 1) in an open preference round."""
    student = student_for(actor)
    now = now or timezone.now()
    if selection_round.kind != RoundKind.PREFERENCE or not (
        selection_round.opens_at <= now < selection_round.closes_at
    ):
        raise _refuse(_("Course selection is not open now."), "outside_window")
    if len(offerings) > selection_round.max_choices:
        raise _refuse(
            _("Choose at most %(n)s courses.") % {"n": selection_round.max_choices}, "too_many"
        )
    if len({o.pk for o in offerings}) != len(offerings):
        raise _refuse(_("Each course can be ranked once."), "duplicate")
    for offering in offerings:
        if offering.term_id != selection_round.term_id:
            raise _refuse(_("This course is not part of this round."), "not_eligible")
        check_eligible(student, offering)
        check_prerequisites(student, offering)
    Preference.objects.filter(round=selection_round, student=student).delete()
    chosen = Preference.objects.bulk_create(
        Preference(round=selection_round, student=student, offering=o, rank=rank)
        for rank, o in enumerate(offerings, start=1)
    )
    audit_record(
        action=AuditAction.UPDATE,
        obj=selection_round,
        org=selection_round.org,
        actor=actor,
        changes={"preferences": [None, [o.pk for o in offerings]]},
    )
    return chosen


def _lottery_order(student_ids: list[int], seed: int) -> list[int]:
    """A random priority of the students, the same for the same seed and the same students."""
    order = sorted(student_ids)
    random.Random(seed).shuffle(order)  # noqa: S311 - a reproducible draw, not a secret
    return order


@transaction.atomic
def lottery_run(
    *,
    actor: Actor,
    selection_round: SelectionRound,
    seed: int | None = None,
    now: datetime | None = None,
) -> SelectionRound:
    """Assign seats of a closed preference round: students in a random order (from ``seed``)
    take their best remaining choice, one choice per pass, until ranks are exhausted.

    Running again with the recorded seed on the same preferences gives the same seats.
    """
    require(actor, MANAGE_SELECTION, selection_round.org)
    now = now or timezone.now()
    locked = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
    if locked.kind != RoundKind.PREFERENCE:
        raise Conflict(_("Only a preference round has a lottery."))
    if now < locked.closes_at:
        raise Conflict(_("The lottery runs after the round has closed."))
    if locked.lottery_run_at is not None:
        raise Conflict(
            _("The lottery of this round has already been run (seed %(seed)s).")
            % {"seed": locked.lottery_seed}
        )
    seed = seed if seed is not None else secrets.randbits(62)
    _assign(actor, locked, seed)
    locked.lottery_seed = seed
    locked.lottery_run_at = now
    locked.save(update_fields=["lottery_seed", "lottery_run_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=locked,
        org=locked.org,
        actor=actor,
        changes={"lottery_seed": [None, seed]},
    )
    return locked


def _assign(actor: Actor, selection_round: SelectionRound, seed: int) -> None:
    prefs = list(
        Preference.objects.filter(round=selection_round)
        .select_related("offering", "student")
        .order_by("student_id", "rank")
    )
    by_student: dict[int, list[Preference]] = defaultdict(list)
    for pref in prefs:
        by_student[pref.student_id].append(pref)
    order = _lottery_order(list(by_student), seed)
    offerings = {p.offering_id: p.offering for p in prefs}
    for offering in offerings.values():
        offering.refresh_from_db(fields=["taken", "capacity"])
    max_rank = max((p.rank for p in prefs), default=0)
    for rank in range(1, max_rank + 1):
        for student_id in order:
            choice = next((p for p in by_student[student_id] if p.rank == rank), None)
            if choice is not None:
                _try_assign(actor, selection_round, choice, offerings[choice.offering_id])
    Preference.objects.filter(round=selection_round, outcome=PreferenceOutcome.PENDING).update(
        outcome=PreferenceOutcome.LOST
    )


def _try_assign(
    actor: Actor, selection_round: SelectionRound, pref: Preference, offering: Offering
) -> None:
    outcome = PreferenceOutcome.LOST
    try:
        check_clash(pref.student, offering)
        credits.check_credit_cap(
            student=pref.student, offering=offering, selection_round=selection_round
        )
        _take_seat(
            actor=actor,
            student=pref.student,
            offering=offering,
            source=SelectionSource.LOTTERY,
            selection_round=selection_round,
        )
        offering.taken += 1
        outcome = PreferenceOutcome.WON
    except SeatsFull:
        outcome = PreferenceOutcome.LOST
    except (ValidationFailed, IntegrityError):
        outcome = PreferenceOutcome.SKIPPED
    Preference.objects.filter(pk=pref.pk).update(outcome=outcome)
