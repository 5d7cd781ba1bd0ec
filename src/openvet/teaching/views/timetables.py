"""Pages of timetables: by class, teacher or room, manual entries, a person's own week."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core.models import OrgUnit
from openvet.core.view_helpers import service_call
from openvet.teaching import presenters, selectors, services
from openvet.teaching.forms import EntryForm
from openvet.teaching.models import Term
from openvet.teaching.permissions import MANAGE_TIMETABLE
from openvet.teaching.views.common import can, page, staff_term, task_label, teacher_choices


def _week(request: HttpRequest, term: Term) -> int:
    try:
        return int(request.GET.get("week", ""))
    except ValueError:
        return presenters.current_week(term, timezone.localdate())


def _training(term: Term, classes: list[OrgUnit], week: presenters.Week) -> dict[str, object]:
    """What the week template says when a class is in training weeks (实训, 岗位实习) instead
    of lessons; the empty grid is left out when the week holds no lecture at all."""
    spells = [
        spell
        for klass in classes
        if (spell := selectors.training_spell(term=term, class_unit=klass, week=week.number))
    ]
    has_lectures = any(day["blocks"] for day in week.days)
    return {"training": spells, "training_only": bool(spells) and not has_lectures}


@page
def timetable(request: HttpRequest, term_id: int, kind: str, target_id: int) -> HttpResponse:
    term = selectors.term_get_for(actor=request.user, term_id=term_id)
    label, filters = selectors.timetable_target(
        actor=request.user, term=term, kind=kind, target_id=target_id
    )
    entries = selectors.entries_for(term=term, **filters)
    clash_ids = (
        selectors.clashing_entry_ids(selectors.term_clashes(term))
        if (selectors.is_staff_of(request.user, term.org))
        else set()
    )
    week = presenters.week_view(
        term, entries, _week(request, term), clash_ids, today=timezone.localdate()
    )
    classes = list(OrgUnit.objects.filter(pk=filters["class_id"])) if kind == "class" else []
    return render(
        request,
        "teaching/timetable.html",
        {
            **_training(term, classes, week),
            "term": term,
            "label": label,
            "week": week,
            "kind": kind,
            "target_id": target_id,
            "entries": entries,
            "can_edit": can(request, MANAGE_TIMETABLE, term.org),
        },
    )


@page
def timetable_index(request: HttpRequest, term_id: int) -> HttpResponse:
    term = staff_term(request, term_id)
    clashes = selectors.term_clashes(term)
    rooms = [(r.pk, str(r)) for r in selectors.room_list_for(actor=request.user, school=term.org)]
    tasks = selectors.task_list_for(actor=request.user, term=term)
    form = EntryForm(tasks=[(t.pk, task_label(t)) for t in tasks], rooms=rooms)
    classes = selectors.classes_of(term.org)
    return render(
        request,
        "teaching/timetable_index.html",
        {
            "term": term,
            "clashes": clashes,
            "classes": classes,
            "form": form,
            "rooms": selectors.room_list_for(actor=request.user, school=term.org),
            "teachers": teacher_choices(term),
            "can_edit": can(request, MANAGE_TIMETABLE, term.org),
        },
    )


@page
@require_POST
def entry_create(request: HttpRequest, term_id: int) -> HttpResponse:
    term = staff_term(request, term_id)
    rooms = [(r.pk, str(r)) for r in selectors.room_list_for(actor=request.user, school=term.org)]
    tasks = selectors.task_list_for(actor=request.user, term=term)
    form = EntryForm(request.POST, tasks=[(t.pk, task_label(t)) for t in tasks], rooms=rooms)
    if form.is_valid():
        data = dict(form.cleaned_data)
        task = selectors.task_get_for(actor=request.user, task_id=data.pop("task"))
        room_id = data.pop("room")
        room = selectors.room_get_for(actor=request.user, room_id=room_id) if room_id else None
        if service_call(
            request,
            lambda: services.entry_create(actor=request.user, task=task, room=room, **data),
            form=form,
        ).value:
            messages.success(request, _("The lecture was added."))
            return redirect("teaching:timetable-index", term_id=term.pk)
    for error in form.non_field_errors() + [e for f in form for e in f.errors]:
        messages.error(request, str(error))
    return redirect("teaching:timetable-index", term_id=term.pk)


@page
@require_POST
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.entry_get_for(actor=request.user, entry_id=entry_id)
    services.entry_delete(actor=request.user, entry=entry)
    return redirect(
        request.POST.get("next") or reverse("teaching:timetable-index", args=[entry.term_id])
    )


@page
def my_timetable(request: HttpRequest) -> HttpResponse:
    terms = list(selectors.term_list_for(actor=request.user))
    term = next((t for t in terms if str(t.pk) == request.GET.get("term")), None) or (
        terms[0] if terms else None
    )
    entries = selectors.my_entries_for(user=request.user, term=term) if term else []
    # Tasks the user teaches: their lectures offer to start attendance.
    teaching = {
        e.task_id
        for e in entries
        if any(t.pk == request.user.pk for t in e.task.teachers.all())  # prefetched
    }
    week = (
        presenters.week_view(term, entries, _week(request, term), today=timezone.localdate())
        if term
        else None
    )
    token = services.feed_token_for(user=request.user)
    training = _training(week.term, selectors.student_classes(request.user), week) if week else {}
    return render(
        request,
        "teaching/my_timetable.html",
        {
            **training,
            "terms": terms,
            "term": term,
            "week": week,
            "feed_url": request.build_absolute_uri(reverse("teaching:feed", args=[token.token])),
            "notices": selectors.notices_for(user=request.user)[:5],
            "attend_task_ids": teaching,
        },
    )
