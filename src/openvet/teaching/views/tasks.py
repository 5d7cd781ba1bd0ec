"""Pages of teaching tasks: list, generate from the programmes, edit."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.teaching import selectors, services
from openvet.teaching.forms import TaskForm
from openvet.teaching.permissions import MANAGE_TASK
from openvet.teaching.views.common import (
    can,
    form_page,
    page,
    staff_term,
    teacher_choices,
)

# A term of a large school holds several hundred tasks: shown a page at a time, a page
# costs the same whatever the term holds.
TASK_PAGE_SIZE = 25  # as every list of the platform: half the rendering of 50 rows


@page
def task_list(request: HttpRequest, term_id: int) -> HttpResponse:
    term = staff_term(request, term_id)
    tasks = selectors.task_list_for(actor=request.user, term=term)
    shown = Paginator(tasks, TASK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "teaching/task_list.html",
        {
            "term": term,
            "tasks": shown.object_list,
            "page": shown,
            "can_generate": can(request, MANAGE_TASK, term.org),
        },
    )


@page
@require_POST
def task_generate(request: HttpRequest, term_id: int) -> HttpResponse:
    term = staff_term(request, term_id)
    result = services.teaching_tasks_generate(actor=request.user, term=term)
    messages.success(
        request,
        _("%(created)s tasks created, %(skipped)s already there.")
        % {"created": result.created, "skipped": result.skipped},
    )
    return redirect("teaching:task-list", term_id=term.pk)


@page
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get_for(actor=request.user, task_id=task_id)
    rooms = [
        (r.pk, str(r)) for r in selectors.room_list_for(actor=request.user, school=task.term.org)
    ]
    initial = {name: getattr(task, name) for name in services.tasks.TASK_FIELDS}
    initial.update(room=task.room_id, teachers=[t.pk for t in task.teachers.all()])
    form = TaskForm(
        request.POST or None, initial=initial, rooms=rooms, teachers=teacher_choices(task.term)
    )

    def update() -> Any:
        data = dict(form.cleaned_data)
        teachers = selectors.teachers_by_ids(task.term.org, data.pop("teachers"))
        data["room"] = (
            selectors.room_get_for(actor=request.user, room_id=data["room"])
            if data["room"]
            else None
        )
        return services.task_update(actor=request.user, task=task, teachers=teachers, **data)

    return form_page(
        request,
        form,
        update,
        done=lambda _task: redirect("teaching:task-list", term_id=task.term_id),
        template="teaching/task_edit.html",
        context=lambda: {"task": task, "can_manage": can(request, MANAGE_TASK, task.org)},
    )
