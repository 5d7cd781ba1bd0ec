"""The teaching API: terms, tasks, the timetable, dated lectures and the solver."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from openvet.core.api.pagination import PageIn, paginate
from openvet.core.api.schemas import PageOut, error_responses
from openvet.core.api.types import IdParam
from openvet.core.errors import NotFound
from openvet.teaching import selectors, services
from openvet.teaching.api.schemas import (
    EntryCreateIn,
    EntryOut,
    GenerateOut,
    LectureFilterIn,
    LectureOut,
    PublishOut,
    SolverRunIn,
    SolverRunOut,
    TeachingTaskOut,
    TermOut,
    TimetableFilterIn,
)
from openvet.teaching.models import SolverRun, Term, TimetableEntry
from openvet.teaching.permissions import MANAGE_TIMETABLE

router = Router(tags=["teaching"])


def _staff_term(request: HttpRequest, term_id: IdParam) -> Term:
    term = selectors.term_get_for(actor=request.user, term_id=term_id)
    if not selectors.is_staff_of(request.user, term.org):
        raise NotFound()
    return term


@router.get(
    "/terms",
    response={200: PageOut[TermOut], **error_responses(401, 422)},
    operation_id="teaching_term_list",
    summary="List the terms you may see",
)
def term_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    return paginate(selectors.term_list_for(actor=request.user), page)


@router.get(
    "/terms/{term_id}/tasks",
    response={200: PageOut[TeachingTaskOut], **error_responses(401, 404, 422)},
    operation_id="teaching_task_list",
    summary="List a term's teaching tasks",
)
def task_list(request: HttpRequest, term_id: IdParam, page: Query[PageIn]) -> dict[str, Any]:
    term = selectors.term_get_for(actor=request.user, term_id=term_id)
    return paginate(selectors.task_list_for(actor=request.user, term=term), page)


@router.post(
    "/terms/{term_id}/generate-tasks",
    response={200: GenerateOut, **error_responses(401, 403, 404, 422)},
    operation_id="teaching_task_generate",
    summary="Generate tasks from the programmes",
)
def task_generate(request: HttpRequest, term_id: IdParam) -> dict[str, Any]:
    term = _staff_term(request, term_id)
    result = services.teaching_tasks_generate(actor=request.user, term=term)
    return {
        "created": result.created,
        "skipped": result.skipped,
        "classes_without_programme": list(result.classes_without_programme),
    }


@router.get(
    "/terms/{term_id}/entries",
    response={200: PageOut[EntryOut], **error_responses(401, 404, 422)},
    operation_id="teaching_entry_list",
    summary="The weekly timetable of a class, teacher or room",
)
def entry_list(
    request: HttpRequest, term_id: IdParam, filters: Query[TimetableFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    term = _staff_term(request, term_id)
    entries = selectors.entries_for(
        term=term, class_id=filters.class_id, teacher_id=filters.teacher_id, room_id=filters.room_id
    )
    return paginate(entries, page)


@router.post(
    "/terms/{term_id}/entries",
    response={201: EntryOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="teaching_entry_create",
    summary="Add a weekly lecture (refused on a clash)",
)
def entry_create(
    request: HttpRequest, term_id: IdParam, payload: EntryCreateIn
) -> Status[TimetableEntry]:
    term = _staff_term(request, term_id)
    task = selectors.task_get_for(actor=request.user, task_id=payload.task_id)
    if task.term_id != term.pk:
        raise NotFound()
    room = (
        selectors.room_get_for(actor=request.user, room_id=payload.room_id)
        if (payload.room_id)
        else None
    )
    values = payload.dict(exclude={"task_id", "room_id"}, exclude_none=True)
    entry = services.entry_create(actor=request.user, task=task, room=room, **values)
    return Status(201, selectors.entry_get_for(actor=request.user, entry_id=entry.pk))


@router.get(
    "/lectures",
    response={200: PageOut[LectureOut], **error_responses(401, 404, 422)},
    operation_id="teaching_lecture_list",
    summary="Your dated lectures in a term",
)
def lecture_list(
    request: HttpRequest, filters: Query[LectureFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    term = selectors.term_get_for(actor=request.user, term_id=filters.term_id)
    entries = {e.pk: e for e in selectors.entries_for(term=term, teacher_id=request.user.pk)}
    for klass in selectors.student_classes(request.user):
        entries.update({e.pk: e for e in selectors.entries_for(term=term, class_id=klass.pk)})
    names = {e.task_id: e.task.course.name for e in entries.values()}
    lectures = selectors.occurrences(term, list(entries.values()))
    return paginate(
        lectures, page, item=lambda o: {**o.__dict__, "course_name": names.get(o.task_id, "")}
    )


def _run(request: HttpRequest, run_id: IdParam) -> SolverRun:
    run = selectors.solver_run_get_for(actor=request.user, run_id=run_id)
    from openvet.core import policy

    if not policy.has_capability(request.user, MANAGE_TIMETABLE, run.term.org):
        raise NotFound()
    return run


@router.post(
    "/terms/{term_id}/solver-runs",
    response={201: SolverRunOut, **error_responses(400, 401, 403, 404, 413, 422)},
    operation_id="teaching_solver_run_start",
    summary="Start the timetabling solver (a background job)",
)
def solver_run_start(
    request: HttpRequest, term_id: IdParam, payload: SolverRunIn
) -> Status[SolverRun]:
    term = _staff_term(request, term_id)
    run = services.solver_run_start(actor=request.user, term=term, **payload.dict())
    return Status(201, run)


@router.get(
    "/solver-runs/{run_id}",
    response={200: SolverRunOut, **error_responses(401, 404, 422)},
    operation_id="teaching_solver_run_get",
    summary="A solver run's progress and result",
)
def solver_run_get(request: HttpRequest, run_id: IdParam) -> SolverRun:
    return _run(request, run_id)


@router.post(
    "/solver-runs/{run_id}/publish",
    response={200: PublishOut, **error_responses(401, 403, 404, 409, 422)},
    operation_id="teaching_solver_run_publish",
    summary="Publish a run's timetable, replacing the term's",
)
def solver_run_publish(request: HttpRequest, run_id: IdParam) -> dict[str, int]:
    run = _run(request, run_id)
    return {"entries": services.solver_run_publish(actor=request.user, run=run).lessons}
