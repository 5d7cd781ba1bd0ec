"""Writes of self-enrolment (ADR 0759-0760).

A teacher of the course opens it to self-enrolment and sets who may enrol, the window, an
optional key and the seats (audited). A student enrols (``enrol``), leaves (``unenrol``,
progress kept) or is removed by a teacher (``enrolment_remove``, audited). A seat is taken by
one conditional update of the counter, so two learners racing for the last seat cannot both
have it; the enrolment row and the seat are written in one transaction. Enrolling and leaving
are xAPI statements (``selected`` / ``dropped`` on ``learning.course``).
"""

import hmac
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.learning import permissions as perms
from openvet.learning import selectors as learning
from openvet.learning.catalogue import selectors
from openvet.learning.catalogue.models import Enrolment, EnrolmentPolicy, EnrolScope
from openvet.learning.models import OnlineCourse
from openvet.lrs import services as lrs

MAX_CAPACITY = 100_000


class CourseFull(Conflict):
    code = "course_full"
    default_message = gettext_lazy("Every seat of this course is taken.")


class EnrolmentClosed(Conflict):
    code = "enrolment_closed"
    default_message = gettext_lazy("This course is not open for enrolment now.")


def _now() -> datetime:
    return timezone.now()


def _require_teacher(actor: Actor, course: OnlineCourse) -> None:
    teacher_ids = set(course.task.teachers.values_list("pk", flat=True))
    if not perms.can_build_course(actor, teacher_ids):
        raise PermissionDenied(_("Only a teacher of the course changes its enrolment."))


def _checked_settings(
    *,
    scope: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    capacity: int,
) -> None:
    errors: dict[str, str] = {}
    if scope not in EnrolScope.values:
        errors["scope"] = _("Choose who may enrol.")
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        errors["closes_at"] = _("Enrolment must close after it opens.")
    if capacity < 0 or capacity > MAX_CAPACITY:
        errors["capacity"] = _("Give a number of seats from 0 (no limit) to 100000.")
    if errors:
        raise ValidationFailed(details=errors)


def enrolment_settings_save(
    *,
    actor: Actor,
    course: OnlineCourse,
    scope: str,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    key: str = "",
    capacity: int = 0,
) -> EnrolmentPolicy:
    """Open, change or close the course's self-enrolment. Seats cannot drop below the learners
    already enrolled. Closing keeps the learners enrolled."""
    _require_teacher(actor, course)
    _checked_settings(scope=scope, opens_at=opens_at, closes_at=closes_at, capacity=capacity)
    with transaction.atomic():
        policy, _created = EnrolmentPolicy.objects.get_or_create(course=course)
        policy = EnrolmentPolicy.objects.select_for_update().get(pk=policy.pk)
        if capacity and capacity < policy.taken:
            raise ValidationFailed(
                details={
                    "capacity": _(
                        "%(taken)d learners are enrolled already: give at least as many seats."
                    )
                    % {"taken": policy.taken}
                }
            )
        before = {"scope": policy.scope, "capacity": policy.capacity}
        policy.scope = scope
        policy.opens_at = opens_at
        policy.closes_at = closes_at
        policy.key = key.strip()[:40]
        policy.capacity = capacity
        policy.save()
        audit_record(
            action=AuditAction.UPDATE,
            obj=course,
            org=course.org,
            actor=actor,
            changes={"enrolment": [before, {"scope": scope, "capacity": capacity}]},
            object_label=course.title,
        )
    return policy


def _check_can_enrol(
    actor: Actor, course: OnlineCourse, policy: EnrolmentPolicy | None
) -> EnrolmentPolicy:
    """The policy when the course is open now to this student; raises the reason otherwise."""
    if policy is None or not selectors.is_open(policy, _now()):
        raise EnrolmentClosed()
    if not selectors.may_enrol(actor=actor, course=course, policy=policy):
        if policy.scope == EnrolScope.PLATFORM:
            raise PermissionDenied(_("Only students may enrol in this course."))
        raise PermissionDenied(_("This course takes only students of its own school."))
    access = learning.access_of(actor=actor, course=course)
    if access.is_teacher or (access.is_learner and not access.is_enrolled):
        raise Conflict(_("You are already in this course through your class or as a teacher."))
    return policy


def enrol(*, actor: Actor, course: OnlineCourse, key: str = "") -> Enrolment:
    """Enrol the signed-in student in an open course; enrolling twice returns the enrolment.
    Refused outside the window, to students outside the scope, with a wrong key, when every
    seat is taken (``CourseFull``) and after a teacher removed the learner."""
    current = Enrolment.objects.filter(course=course, user_id=actor.pk).first()
    if current is not None and current.is_active:
        return current
    if current is not None and current.removed_by_id is not None:
        raise Conflict(_("A teacher removed you from this course; ask the teacher to return."))
    policy = _check_can_enrol(actor, course, EnrolmentPolicy.objects.filter(course=course).first())
    if policy.key and not hmac.compare_digest(policy.key.encode(), key.strip().encode()):
        raise ValidationFailed(details={"key": _("The enrolment key is not right.")})
    now = _now()
    with transaction.atomic():
        seat = (
            EnrolmentPolicy.objects.filter(pk=policy.pk)
            .filter(Q(capacity=0) | Q(taken__lt=F("capacity")))
            .update(taken=F("taken") + 1)
        )
        if not seat:
            raise CourseFull()
        back = Enrolment.objects.filter(
            course=course, user_id=actor.pk, ended_at__isnull=False, removed_by__isnull=True
        ).update(ended_at=None, enrolled_at=now)
        if not back:
            try:
                with transaction.atomic():
                    Enrolment.objects.create(course=course, user_id=actor.pk, enrolled_at=now)
            except IntegrityError as exc:  # the same learner's other request won
                raise Conflict(_("You are already enrolled in this course.")) from exc
        lrs.record_learning_event(
            user_id=actor.pk, verb="selected", object_type="learning.course", object_id=course.pk
        )
    return Enrolment.objects.get(course=course, user_id=actor.pk)


def _end(enrolment: Enrolment, removed_by: Actor | None) -> None:
    ended = Enrolment.objects.filter(pk=enrolment.pk, ended_at__isnull=True).update(
        ended_at=_now(), removed_by_id=getattr(removed_by, "pk", None)
    )
    if ended:
        EnrolmentPolicy.objects.filter(course_id=enrolment.course_id, taken__gt=0).update(
            taken=F("taken") - 1
        )
    enrolment.refresh_from_db()


def unenrol(*, actor: Actor, course: OnlineCourse) -> Enrolment:
    """The learner leaves a course they enrolled in; their progress stays, the seat is freed."""
    enrolment = Enrolment.objects.filter(
        course=course, user_id=actor.pk, ended_at__isnull=True
    ).first()
    if enrolment is None:
        raise Conflict(_("You are not enrolled in this course."))
    with transaction.atomic():
        _end(enrolment, None)
        lrs.record_learning_event(
            user_id=actor.pk, verb="dropped", object_type="learning.course", object_id=course.pk
        )
    return enrolment


def enrolment_remove(*, actor: Actor, enrolment: Enrolment) -> Enrolment:
    """A teacher of the course removes a self-enrolled learner (audited); the learner's
    progress stays and they cannot enrol again by themselves."""
    course = enrolment.course
    _require_teacher(actor, course)
    if not enrolment.is_active:
        raise Conflict(_("This learner has already left the course."))
    with transaction.atomic():
        _end(enrolment, actor)
        audit_record(
            action=AuditAction.UPDATE,
            obj=course,
            org=course.org,
            actor=actor,
            changes={"enrolment_removed": [enrolment.user_id, None]},
            object_label=course.title,
        )
    return enrolment
