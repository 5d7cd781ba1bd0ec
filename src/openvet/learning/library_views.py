"""Adding a unit from the resource library: by reference (the course shows the resource's
newest version) or as the teacher's own copy (a fork, its licence respected; ADR 0524)."""

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.core.view_helpers import page, service_call
from openvet.learning import permissions as perms
from openvet.learning import selectors
from openvet.learning.models import Chapter, LibraryUnit, Unit, UnitKind
from openvet.resources import selectors as library
from openvet.resources.models import Resource
from openvet.resources.services.reuse import fork_refusal, resource_fork


def unit_add_from_library(
    *, actor: Actor, chapter: Chapter, resource: Resource, fork: bool = False
) -> Unit:
    """A unit of the chapter referring to ``resource`` (which the caller got through the
    library's selectors, so the actor may see it), or to the actor's fork of it."""
    course = chapter.course
    access = selectors.access_of(actor=actor, course=course)
    if not perms.can_build_course(actor, set(access.teacher_ids)):
        raise NotFound()
    with transaction.atomic():
        target = resource_fork(actor=actor, resource=resource) if fork else resource
        last = chapter.units.aggregate(m=Max("position"))["m"]
        unit = Unit.objects.create(
            course=course,
            chapter=chapter,
            kind=UnitKind.RESOURCE,
            title=target.title[:200],
            position=(last or 0) + 1,
        )
        LibraryUnit.objects.create(unit=unit, resource=target, forked=fork)
        audit_record(
            action=AuditAction.CREATE,
            obj=unit,
            org=course.org,
            actor=actor,
            changes={"resource": [None, target.pk]},
        )
    return unit


@page
def unit_from_library(request: HttpRequest, course_id: int, chapter_id: int) -> HttpResponse:
    course = selectors.course_get_for(actor=request.user, course_id=course_id)
    access = selectors.access_of(actor=request.user, course=course)
    if not perms.can_build_course(request.user, set(access.teacher_ids)):
        raise NotFound()
    chapter = course.chapters.filter(pk=chapter_id).first()
    if chapter is None:
        raise NotFound()
    if request.method == "POST":
        resource = library.resource_get_for(
            actor=request.user, resource_id=_int(request.POST.get("resource_id"))
        )
        fork = request.POST.get("mode") == "fork"
        outcome = service_call(
            request,
            lambda: unit_add_from_library(
                actor=request.user, chapter=chapter, resource=resource, fork=fork
            ),
            success=_("Your copy was added to the course.")
            if fork
            else _("The resource was added to the course by reference."),
        )
        if outcome.ok:
            return redirect("learning:course-detail", course.pk)
    query = request.GET.get("q", "").strip()[:100]
    found = library.resource_search(actor=request.user, query=query, filters={}, limit=20)
    rows = [(r, fork_refusal(actor=request.user, resource=r)) for r in found.resources]
    return render(
        request,
        "learning/unit_from_library.html",
        {"course": course, "chapter": chapter, "query": query, "rows": rows},
    )


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise NotFound() from None
