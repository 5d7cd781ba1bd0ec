"""ITC-2007 exchange: export a term's problem as ``.ctt``, import a ``.sol`` for review.

The ``.ctt`` format knows only the CB-CTT core: room types, blocks, fixed lectures and daily
maxima are left out, and teacher unavailability becomes course unavailability (the form the
format has). An imported solution is scored against the full problem, extensions included.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction
from openvet.core.errors import ValidationFailed
from openvet.core.policy import Actor
from openvet.teaching import timetabling as tt
from openvet.teaching.models import SolverRun, SolverStatus, Term
from openvet.teaching.permissions import MANAGE_TIMETABLE
from openvet.teaching.services.common import record, require
from openvet.teaching.services.solver import _store, problem_build

MAX_UPLOAD = 2 * 1024 * 1024


def format_ctt(problem: tt.Problem) -> str:
    unavailable = sorted(
        problem.unavailable
        | {
            (c.name, day, period)
            for c in problem.courses
            for (teacher, day, period) in problem.teacher_unavailable
            if teacher == c.teacher
        }
    )
    lines = [
        f"Name: {problem.name}",
        f"Courses: {len(problem.courses)}",
        f"Rooms: {len(problem.rooms)}",
        f"Days: {problem.days}",
        f"Periods_per_day: {problem.periods_per_day}",
        f"Curricula: {len(problem.curricula)}",
        f"Constraints: {len(unavailable)}",
        "",
        "COURSES:",
    ]
    lines += [
        f"{c.name} {c.teacher} {c.lectures} {c.min_working_days} {c.students}"
        for c in problem.courses
    ]
    lines += ["", "ROOMS:"] + [f"{r.name} {r.capacity}" for r in problem.rooms]
    lines += ["", "CURRICULA:"] + [
        f"{q.name} {len(q.courses)} {' '.join(q.courses)}" for q in problem.curricula
    ]
    lines += ["", "UNAVAILABILITY_CONSTRAINTS:"]
    lines += [f"{name} {day} {period}" for name, day, period in unavailable]
    return "\n".join([*lines, "", "END.", ""])


def term_export_ctt(*, actor: Actor, term: Term) -> str:
    require(actor, MANAGE_TIMETABLE, term.org)
    text = format_ctt(problem_build(term=term).problem)
    record(actor=actor, obj=term, org=term.org, action=AuditAction.EXPORT, after={"format": "ctt"})
    return text


@transaction.atomic
def solution_import(*, actor: Actor, term: Term, text: str) -> SolverRun:
    """Read an ITC-2007 solution of this term's exported problem as a run awaiting review."""
    require(actor, MANAGE_TIMETABLE, term.org)
    if len(text) > MAX_UPLOAD:
        raise ValidationFailed(details={"file": _("The file is too large.")})
    built = problem_build(term=term)
    try:
        read = tt.parse_solution(text, built.problem, source="solution")
    except tt.SolutionError as exc:
        message = _("Line %(line)s: %(problem)s") % {
            "line": exc.line or "-",
            "problem": exc.message,
        }
        raise ValidationFailed(message, details={"file": message}) from None
    run = SolverRun.objects.create(
        term=term,
        is_import=True,
        created_by_id=actor.pk,
        status=SolverStatus.RUNNING,
        time_limit=0,
        finished_at=timezone.now(),
    )
    _store(run, built, read.assignments, tt.score(built.problem, read.assignments))
    record(actor=actor, obj=run, org=term.org, after={"imported": len(read.assignments)})
    return run
