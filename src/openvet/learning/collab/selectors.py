"""Scoped reads of course groups and group documents (ADR 0756-0757).

A group and its documents are read by its members and by the course's teachers; any other
user (a learner of another group, of another class or school, staff following the course)
gets ``NotFound``. ``group_of`` and ``groups_of`` are the small API other features of the
course (live class, assignments) use to learn who works with whom.
"""

import difflib
import html
import re
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.html import strip_tags

from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.learning import selectors
from openvet.learning.collab.models import (
    CourseGroup,
    DocumentComment,
    DocumentVersion,
    GroupDocument,
    GroupMember,
)
from openvet.learning.models import OnlineCourse


@dataclass(frozen=True)
class GroupInfo:
    """A group as other features see it: its id, name and members' user ids."""

    id: int
    name: str
    member_ids: tuple[int, ...]


@dataclass(frozen=True)
class Learner:
    user_id: int
    name: str
    number: str


def groups_of(*, course_id: int) -> list[GroupInfo]:
    """Every group of a course with its members (unscoped: the caller has the course)."""
    members: dict[int, list[int]] = {}
    for group_id, user_id in GroupMember.objects.filter(course_id=course_id).values_list(
        "group_id", "user_id"
    ):
        members.setdefault(group_id, []).append(user_id)
    return [
        GroupInfo(id=g.pk, name=g.name, member_ids=tuple(sorted(members.get(g.pk, []))))
        for g in CourseGroup.objects.filter(course_id=course_id).order_by("id")
    ]


def group_of(*, course_id: int, user_id: int) -> GroupInfo | None:
    """The group a learner is in within a course, or None."""
    place = GroupMember.objects.filter(course_id=course_id, user_id=user_id).first()
    if place is None:
        return None
    return next(g for g in groups_of(course_id=course_id) if g.id == place.group_id)


def learners_of(course: OnlineCourse) -> list[Learner]:
    """The course's learners (the task's students, electives' selected students included,
    then those who enrolled themselves), by student number."""
    students = selectors.course_learners(course)
    return [
        Learner(user_id=s.user_id, name=s.name, number=s.student_number)
        for s in students
        if s.user_id is not None
    ]


def member_course(*, actor: Actor, course_id: int) -> tuple[OnlineCourse, bool]:
    """The course and whether the actor teaches it; 404 unless a learner or teacher."""
    course = selectors.course_get_for(actor=actor, course_id=course_id)
    access = selectors.access_of(actor=actor, course=course)
    if not (access.is_teacher or access.is_learner):
        raise NotFound()
    return course, access.is_teacher


def groups_with_members(course: OnlineCourse) -> QuerySet[CourseGroup]:
    return (
        CourseGroup.objects.filter(course=course)
        .prefetch_related("members__user")
        .annotate(document_count=Count("documents", distinct=True))
        .order_by("id")
    )


def own_group(*, actor: Actor, course: OnlineCourse) -> CourseGroup | None:
    return groups_with_members(course).filter(members__user_id=actor.pk).first()


def group_get_for(*, actor: Actor, group_id: int) -> tuple[CourseGroup, bool]:
    """A group for its members and the course's teachers; 404 for anyone else."""
    group = CourseGroup.objects.filter(pk=group_id).select_related("course").first()
    if group is None:
        raise NotFound()
    _course, teaches = member_course(actor=actor, course_id=group.course_id)
    if not teaches and not group.members.filter(user_id=actor.pk).exists():
        raise NotFound()
    return group, teaches


def is_member(group: CourseGroup, actor: Actor) -> bool:
    return group.members.filter(user_id=getattr(actor, "pk", 0) or 0).exists()


def document_get_for(*, actor: Actor, document_id: int) -> tuple[GroupDocument, bool]:
    document = GroupDocument.objects.filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    group, teaches = group_get_for(actor=actor, group_id=document.group_id)
    document.group = group
    return document, teaches


def documents_of(group: CourseGroup) -> QuerySet[GroupDocument]:
    return group.documents.all()


def versions_of(document: GroupDocument) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("author").order_by("-number")


def version_get(*, document: GroupDocument, number: int) -> DocumentVersion:
    version = document.versions.select_related("author").filter(number=number).first()
    if version is None:
        raise NotFound()
    return version


def comments_of(document: GroupDocument) -> QuerySet[DocumentComment]:
    return document.comments.select_related("author").order_by("created_at", "id")


# Differences between two versions -------------------------------------------------------------

BLOCK_END = re.compile(r"(<br\s*/?>|</p>|</li>|</h[1-6]>|</blockquote>|</pre>)", re.IGNORECASE)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added" or "removed"
    text: str


def plain_lines(source: str) -> list[str]:
    """What a reader sees of a version, line by line (tags dropped, entities decoded)."""
    text = html.unescape(strip_tags(BLOCK_END.sub("\n", source)))
    return [line.rstrip() for line in text.replace("\r\n", "\n").strip("\n").split("\n")]


def diff_lines(old: str, new: str) -> list[DiffLine]:
    """Line differences from ``old`` to ``new`` (difflib), unchanged lines included."""
    kinds = {" ": "same", "+": "added", "-": "removed"}
    return [
        DiffLine(kind=kinds[line[0]], text=line[2:])
        for line in difflib.ndiff(plain_lines(old), plain_lines(new))
        if line[0] in kinds
    ]
