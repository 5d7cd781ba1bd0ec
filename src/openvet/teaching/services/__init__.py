"""Writes of the teaching app, by subdomain; import from here."""

from openvet.teaching.services.adjustments import (
    adjustment_decide,
    adjustment_request,
    notice_mark_read,
)
from openvet.teaching.services.exchange import solution_import, term_export_ctt
from openvet.teaching.services.ical import calendar_feed, feed_token_for, feed_token_reset
from openvet.teaching.services.programmes import (
    programme_course_add,
    programme_course_remove,
    programme_create,
    programme_new_version,
)
from openvet.teaching.services.publish import Published, publish_preview, solver_run_publish
from openvet.teaching.services.setup import (
    bell_schedule_set,
    calendar_day_delete,
    calendar_day_set,
    course_create,
    course_update,
    room_create,
    room_update,
    term_create,
    term_update,
)
from openvet.teaching.services.solver import (
    problem_build,
    solver_execute,
    solver_run_start,
)
from openvet.teaching.services.tasks import (
    GenerateResult,
    task_create,
    task_delete,
    task_update,
    teaching_tasks_generate,
    training_week_set,
)
from openvet.teaching.services.timetable import entry_create, entry_delete, entry_update

__all__ = [
    "GenerateResult",
    "Published",
    "adjustment_decide",
    "adjustment_request",
    "bell_schedule_set",
    "calendar_day_delete",
    "calendar_day_set",
    "calendar_feed",
    "course_create",
    "course_update",
    "entry_create",
    "entry_delete",
    "entry_update",
    "feed_token_for",
    "feed_token_reset",
    "notice_mark_read",
    "problem_build",
    "programme_course_add",
    "programme_course_remove",
    "programme_create",
    "programme_new_version",
    "publish_preview",
    "room_create",
    "room_update",
    "solution_import",
    "solver_execute",
    "solver_run_publish",
    "solver_run_start",
    "task_create",
    "task_delete",
    "task_update",
    "teaching_tasks_generate",
    "term_create",
    "term_export_ctt",
    "term_update",
    "training_week_set",
]
