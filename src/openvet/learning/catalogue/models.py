"""Tables of self-enrolment (ADR 0759-0760): a course's enrolment settings and the learners
who enrolled themselves.

``EnrolmentPolicy`` opens a course to self-enrolment: who may enrol (students of the course's
school, or students of every school on the platform), the window, an optional key and the
number of seats. ``taken`` counts the active enrolments; it is changed only by a conditional
update, so the database never gives more seats than ``capacity``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class EnrolScope(models.TextChoices):
    CLOSED = (
        "closed",
        _("Closed: only the teaching task's students (its classes, or who chose the elective)"),
    )
    SCHOOL = "school", _("Students of this school")
    PLATFORM = "platform", _("Students of every school on the platform")


class EnrolmentPolicy(models.Model):
    """Whether and how a course takes learners who enrol themselves."""

    course = models.OneToOneField(
        "learning.OnlineCourse", on_delete=models.CASCADE, related_name="enrolment_policy"
    )
    scope = models.CharField(
        _("who may enrol"), max_length=10, choices=EnrolScope.choices, default=EnrolScope.CLOSED
    )
    opens_at = models.DateTimeField(_("enrolment opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("enrolment closes"), null=True, blank=True)
    key = models.CharField(_("enrolment key"), max_length=40, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), default=0)  # 0: no limit
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("enrolment settings")
        verbose_name_plural = _("enrolment settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity=0) | Q(taken__lte=F("capacity")),
                name="learning_enrolment_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="learning_enrolment_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} · {self.scope}"

    @property
    def seats_left(self) -> int | None:
        return None if not self.capacity else max(self.capacity - self.taken, 0)


class Enrolment(models.Model):
    """A learner who enrolled in a course themselves. Leaving (by the learner) or being removed
    (by a teacher) sets ``ended_at`` and keeps the row and the learner's progress; enrolling
    again takes the row back."""

    course = models.ForeignKey(
        "learning.OnlineCourse", on_delete=models.CASCADE, related_name="enrolments"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    enrolled_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("self-enrolment")
        verbose_name_plural = _("self-enrolments")
        ordering = ["course_id", "enrolled_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="learning_enrolment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.course_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
