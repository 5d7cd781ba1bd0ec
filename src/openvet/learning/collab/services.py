"""Writes of course groups and group documents (ADR 0756-0757).

The course's teachers make groups, by hand or by dealing the learners not yet in a group
(at random or in student-number order, by group size or number of groups), rename them, move
learners between them and delete them (ADR 0762; a group that wrote documents or answered in a
live class is kept: deleting it is refused). Every change is audited. A group's members
write its documents: every save is a new version; a save that did not start from the newest
version is refused (``EditConflict``) and nothing is written. Saves are xAPI statements;
teachers and members comment.
"""

import math
import random
import re
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.learning.collab import selectors
from openvet.learning.collab.models import (
    CourseGroup,
    DocumentComment,
    DocumentVersion,
    GroupDocument,
    GroupMember,
)
from openvet.learning.live.models import LiveGroupAnswer
from openvet.learning.models import OnlineCourse
from openvet.learning.services import sanitise
from openvet.lrs import services as lrs

MAX_TEXT = 50_000
MAX_COMMENT = 2_000
MAX_GROUP_SIZE = 20
MAX_GROUPS = 30
RANDOM, BY_NUMBER = "random", "number"  # how learners are dealt (ADR 0762)
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


class EditConflict(Conflict):
    code = "edit_conflict"
    default_message = gettext_lazy(
        "Someone saved a newer version while you were editing. Your text is kept: compare it "
        "with the newest version and save again."
    )


def _now() -> datetime:
    return timezone.now()


# Groups ----------------------------------------------------------------------------------------


def _require_teacher(actor: Actor, course: OnlineCourse) -> None:
    _course, teaches = selectors.member_course(actor=actor, course_id=course.pk)
    if not teaches:
        raise PermissionDenied(_("Only the course's teachers make and change its groups."))


def _checked_learners(course: OnlineCourse, learner_ids: list[int]) -> list[int]:
    known = {learner.user_id for learner in selectors.learners_of(course)}
    if any(user_id not in known for user_id in learner_ids):
        raise ValidationFailed(details={"learners": _("Choose learners of this course.")})
    return sorted(set(learner_ids))


def _grouped(course: OnlineCourse, learner_ids: list[int]) -> list[str]:
    names = {learner.user_id: learner.name for learner in selectors.learners_of(course)}
    taken = GroupMember.objects.filter(course=course, user_id__in=learner_ids)
    return [names[user_id] for user_id in taken.values_list("user_id", flat=True)]


def group_create(
    *, actor: Actor, course: OnlineCourse, name: str, learner_ids: list[int]
) -> CourseGroup:
    """A group made by hand from learners who are not in a group yet."""
    _require_teacher(actor, course)
    name = name.strip()
    if not name:
        raise ValidationFailed(details={"name": _("Give the group a name.")})
    learner_ids = _checked_learners(course, learner_ids)
    try:
        with transaction.atomic():
            group = CourseGroup.objects.create(course=course, name=name[:60], created_at=_now())
            taken = _grouped(course, learner_ids)
            if taken:
                raise ValidationFailed(
                    details={
                        "learners": _("Already in a group: %(names)s.")
                        % {"names": "、".join(taken)}
                    }
                )
            _add_members(group, learner_ids)
            _audit(actor, group, {"name": name, "learners": len(learner_ids)})
    except IntegrityError as exc:  # the same name, or a learner grouped meanwhile
        raise ValidationFailed(
            details={"name": _("The course already has a group of this name.")}
        ) from exc
    return group


def groups_deal(
    *,
    actor: Actor,
    course: OnlineCourse,
    size: int | None = None,
    count: int | None = None,
    order: str = RANDOM,
) -> list[CourseGroup]:
    """Deal the learners not in a group yet into new groups: about ``size`` learners each, or
    ``count`` groups; shuffled (``random``) or in student-number order (``number``: the first
    learners fill the first group). Sizes differ by one at most; existing groups are kept."""
    _require_teacher(actor, course)
    if (size is None) == (count is None):
        raise ValidationFailed(
            details={"size": _("Give either the learners per group or the number of groups.")}
        )
    if size is not None and not 2 <= size <= MAX_GROUP_SIZE:
        raise ValidationFailed(
            details={"size": _("A group has 2 to %(n)s learners.") % {"n": MAX_GROUP_SIZE}}
        )
    if count is not None and not 1 <= count <= MAX_GROUPS:
        raise ValidationFailed(details={"count": _("Make 1 to %(n)s groups.") % {"n": MAX_GROUPS}})
    if order not in (RANDOM, BY_NUMBER):
        raise ValidationFailed(details={"order": _("Choose how to deal the learners.")})
    with transaction.atomic():
        grouped = set(GroupMember.objects.filter(course=course).values_list("user_id", flat=True))
        free = [  # learners_of answers them in student-number order
            learner.user_id
            for learner in selectors.learners_of(course)
            if learner.user_id not in grouped
        ]
        if not free:
            raise ValidationFailed(details={"size": _("Every learner is already in a group.")})
        if order == RANDOM:
            random.SystemRandom().shuffle(free)
        number = count if count is not None else math.ceil(len(free) / (size or 1))
        number = min(number, len(free))
        names = _free_names(course, number)
        groups = []
        for index, name in enumerate(names):
            group = CourseGroup.objects.create(course=course, name=name, created_at=_now())
            _add_members(group, _share(free, index, number, order))
            groups.append(group)
        _audit(actor, groups[0], {"dealt": len(free), "groups": number}, course=course)
    return groups


def _share(free: list[int], index: int, count: int, order: str) -> list[int]:
    """The learners of the ``index``-th of ``count`` groups; sizes differ by one at most."""
    if order == RANDOM:
        return free[index::count]  # dealt in turn
    base, extra = divmod(len(free), count)  # consecutive runs of student numbers
    start = index * base + min(index, extra)
    return free[start : start + base + (1 if index < extra else 0)]


def group_rename(*, actor: Actor, group: CourseGroup, name: str) -> CourseGroup:
    """A new name, unique in the course; the group's members and documents stay."""
    course = group.course
    _require_teacher(actor, course)
    name = name.strip()[:60]
    if not name:
        raise ValidationFailed(details={"name": _("Give the group a name.")})
    old = group.name
    if name == old:
        return group
    if CourseGroup.objects.filter(course=course, name=name).exclude(pk=group.pk).exists():
        raise ValidationFailed(details={"name": _("The course already has a group of this name.")})
    try:
        with transaction.atomic():
            CourseGroup.objects.filter(pk=group.pk).update(name=name)
            group.name = name
            _audit(actor, group, {"name": [old, name]}, course=course)
    except IntegrityError as exc:  # the same name given meanwhile
        raise ValidationFailed(
            details={"name": _("The course already has a group of this name.")}
        ) from exc
    return group


def group_delete(*, actor: Actor, group: CourseGroup) -> None:
    """Delete a group that has written nothing: its members are then in no group. A group
    with documents or with answers in a live class is kept, and the refusal says why."""
    course = group.course
    _require_teacher(actor, course)
    with transaction.atomic():
        locked = CourseGroup.objects.select_for_update().filter(pk=group.pk).first()
        if locked is None:
            raise NotFound()
        documents = GroupDocument.objects.filter(group=locked).count()
        answers = LiveGroupAnswer.objects.filter(group__course_group=locked).count()
        if documents or answers:
            raise Conflict(
                _(
                    "%(name)s has %(documents)s document(s) and %(answers)s answer(s) in live "
                    "classes, so it is kept. Rename it or move its members instead."
                )
                % {"name": locked.name, "documents": documents, "answers": answers},
                code="group_has_work",
            )
        members = GroupMember.objects.filter(group=locked).count()
        audit_record(
            action=AuditAction.DELETE,
            obj=locked,
            org=course.org,
            actor=actor,
            changes={"name": locked.name, "members": members},
        )
        locked.delete()


def member_move(
    *, actor: Actor, course: OnlineCourse, learner_id: int, group: CourseGroup | None
) -> None:
    """Move a learner into another group of the course, or out of every group (None)."""
    _require_teacher(actor, course)
    _checked_learners(course, [learner_id])
    if group is not None and group.course_id != course.pk:
        raise NotFound()
    with transaction.atomic():
        GroupMember.objects.filter(course=course, user_id=learner_id).delete()
        if group is not None:
            _add_members(group, [learner_id])
        _audit(
            actor,
            group,
            {"learner": learner_id, "group": group.name if group else ""},
            course=course,
        )


def _add_members(group: CourseGroup, user_ids: list[int]) -> None:
    GroupMember.objects.bulk_create(
        [GroupMember(group=group, course_id=group.course_id, user_id=u) for u in user_ids]
    )


def _free_names(course: OnlineCourse, count: int) -> list[str]:
    used = set(CourseGroup.objects.filter(course=course).values_list("name", flat=True))
    names: list[str] = []
    number = 1
    while len(names) < count:
        name = _("Group %(n)s") % {"n": number}
        if name not in used:
            names.append(name)
        number += 1
    return names


def _audit(
    actor: Actor,
    group: CourseGroup | None,
    changes: dict[str, object],
    *,
    course: OnlineCourse | None = None,
) -> None:
    course = course or (group.course if group else None)
    audit_record(
        action=AuditAction.UPDATE,
        obj=group or course,
        org=course.org if course else None,
        actor=actor,
        changes=changes,
    )


# Documents ------------------------------------------------------------------------------------


def _require_member(actor: Actor, group: CourseGroup) -> None:
    """Only members write a group's documents (teachers read and comment)."""
    _group, _teaches = selectors.group_get_for(actor=actor, group_id=group.pk)
    if not group.members.filter(user_id=actor.pk).exists():
        raise PermissionDenied(_("Only the group's members edit its documents."))


def rendered(source: str) -> tuple[str, str]:
    """The text as typed (kept for editing and differences) and its sanitised HTML; plain
    text typed on a phone becomes paragraphs."""
    source = source.replace("\r\n", "\n").strip()
    raw = source if HTML_TAG.search(source) else linebreaks(escape(source))
    clean = sanitise(raw)
    if not clean.replace("<p>", "").replace("</p>", "").strip():
        raise ValidationFailed(details={"text": _("Write something to save.")})
    if len(source) > MAX_TEXT:
        raise ValidationFailed(
            details={"text": _("Keep the document under %(n)s characters.") % {"n": MAX_TEXT}}
        )
    return source, clean


def document_create(*, actor: Actor, group: CourseGroup, title: str, text: str) -> GroupDocument:
    _require_member(actor, group)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the document a title.")
    try:
        source, clean = rendered(text)
    except ValidationFailed as exc:
        errors.update(exc.details or {})
    if errors:
        raise ValidationFailed(details=errors)
    now = _now()
    with transaction.atomic():
        document = GroupDocument.objects.create(
            group=group,
            title=title.strip()[:120],
            version=1,
            created_by_id=actor.pk,
            created_at=now,
            updated_at=now,
        )
        _version(document, actor, source, clean, number=1)
    return document


def document_save(
    *, actor: Actor, document: GroupDocument, text: str, base_version: int
) -> DocumentVersion:
    """A new version, only if the editor started from the newest one (else ``EditConflict``)."""
    _require_member(actor, document.group)
    source, clean = rendered(text)
    with transaction.atomic():
        current = GroupDocument.objects.select_for_update().get(pk=document.pk)
        if current.version != base_version:
            raise EditConflict()
        newest = current.versions.get(number=current.version)
        if newest.source == source:
            raise ValidationFailed(details={"text": _("Nothing has changed since the last save.")})
        return _version(current, actor, source, clean, number=current.version + 1)


def document_restore(
    *, actor: Actor, document: GroupDocument, number: int, base_version: int
) -> DocumentVersion:
    """An old version's text saved again as the newest version (history is never rewritten)."""
    _require_member(actor, document.group)
    old = selectors.version_get(document=document, number=number)
    with transaction.atomic():
        current = GroupDocument.objects.select_for_update().get(pk=document.pk)
        if current.version != base_version:
            raise EditConflict()
        if number == current.version:
            raise ValidationFailed(details={"": _("This is already the newest version.")})
        return _version(
            current, actor, old.source, old.html, number=current.version + 1, restored_from=number
        )


def _version(
    document: GroupDocument,
    actor: Actor,
    source: str,
    clean: str,
    *,
    number: int,
    restored_from: int | None = None,
) -> DocumentVersion:
    now = _now()
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        source=source,
        html=clean,
        author_id=actor.pk,
        created_at=now,
        restored_from=restored_from,
    )
    GroupDocument.objects.filter(pk=document.pk).update(version=number, updated_at=now)
    document.version, document.updated_at = number, now
    lrs.record_learning_event(
        user_id=actor.pk,
        verb="updated",
        object_type="learning.group_document",
        object_id=document.pk,
        result={"version": number, "group": document.group_id},
    )
    return version


def comment_add(*, actor: Actor, document: GroupDocument, text: str) -> DocumentComment:
    """A comment by a teacher of the course or a member of the group."""
    group, teaches = selectors.group_get_for(actor=actor, group_id=document.group_id)
    body = text.strip()
    if not body:
        raise ValidationFailed(details={"text": _("Write a comment.")})
    if len(body) > MAX_COMMENT:
        raise ValidationFailed(
            details={"text": _("Keep the comment under %(n)s characters.") % {"n": MAX_COMMENT}}
        )
    with transaction.atomic():
        comment = DocumentComment.objects.create(
            document=document,
            version=document.version,
            author_id=actor.pk,
            body=body,
            created_at=_now(),
        )
        if teaches:
            audit_record(
                action=AuditAction.CREATE,
                obj=comment,
                org=group.course.org,
                actor=actor,
                object_label=document.title,
            )
    return comment
