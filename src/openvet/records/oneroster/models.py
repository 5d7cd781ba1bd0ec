"""The sourcedIds of imported OneRoster records, kept per school (ADR 0209)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourcedIdKind(models.TextChoices):
    ORG = "org", _("organisation")
    CLASS = "class", _("class")
    STUDENT = "student", _("student")
    STAFF = "staff", _("staff member")
    STUDENT_ROLE = "student_role", _("student's role")
    STAFF_ROLE = "staff_role", _("staff member's role")
    ENROLLMENT = "enrollment", _("homeroom enrollment")
    TERM = "term", _("teaching term")
    COURSE = "course", _("catalogue course")


class SourcedId(models.Model):
    """One bundle identifier of one local record of a school.

    ``object_id`` is the primary key of the org node (org, class), the student (student,
    student's role, homeroom enrollment), the staff member (staff, staff member's role), or of
    the teaching term or catalogue course (kept by the teaching app's extension).
    Unique per school in both directions, so two schools' bundles never collide and one record
    keeps one identifier.
    """

    school = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SourcedIdKind.choices)
    sourced_id = models.CharField(_("sourcedId"), max_length=255)
    object_id = models.PositiveBigIntegerField(_("record"))

    class Meta:
        verbose_name = _("OneRoster sourcedId")
        verbose_name_plural = _("OneRoster sourcedIds")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "sourced_id"], name="oneroster_sourced_id_unique"
            ),
            models.UniqueConstraint(
                fields=["school", "kind", "object_id"], name="oneroster_object_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sourced_id}"
