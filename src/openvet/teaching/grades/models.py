"""Grades (成绩): the components and weights of a teaching task, the sheet the teacher fills,
submits and the department locks, per-student grades with make-up (补考) and retake (重修)
attempts, and approved changes to locked grades."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ORG = "core.OrgUnit"
USER = settings.AUTH_USER_MODEL


class ComponentKind(models.TextChoices):
    USUAL = "usual", _("Coursework")
    MIDTERM = "midterm", _("Midterm")
    FINAL = "final", _("Final exam")
    PRACTICAL = "practical", _("Practical training")


class Scale(models.TextChoices):
    HUNDRED = "hundred", _("100-point scale")
    FIVE_LEVEL = "five_level", _("Five levels")


class Level(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    MEDIUM = "medium", _("Medium")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Being entered")
    SUBMITTED = "submitted", _("Awaiting department approval")
    LOCKED = "locked", _("Approved and locked")


class GradeSheet(models.Model):
    """The grade sheet of one teaching task."""

    task = models.OneToOneField(
        "teaching.TeachingTask", on_delete=models.CASCADE, related_name="grade_sheet"
    )
    org = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    scale = models.CharField(
        _("scale"), max_length=10, choices=Scale.choices, default=Scale.HUNDRED
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    process_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("grade sheet")
        verbose_name_plural = _("grade sheets")

    def __str__(self) -> str:
        return f"{self.task_id} {self.get_status_display()}"

    @property
    def is_locked(self) -> bool:
        return self.status == SheetStatus.LOCKED


class GradeComponent(models.Model):
    """A weighted part of the total (平时 / 期中 / 期末 / 实训); weights add up to 100."""

    sheet = models.ForeignKey(GradeSheet, on_delete=models.CASCADE, related_name="components")
    kind = models.CharField(_("component"), max_length=10, choices=ComponentKind.choices)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))

    class Meta:
        ordering = ["sheet_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "kind"], name="teaching_component_unique"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="teaching_component_weight"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.weight}%"


class Attempt(models.TextChoices):
    REGULAR = "regular", _("Regular")
    MAKEUP = "makeup", _("Make-up exam")
    RETAKE = "retake", _("Retake")


class Grade(models.Model):
    """A student's grade on a sheet; ``scores`` maps component kind to its score (0-100)."""

    sheet = models.ForeignKey(GradeSheet, on_delete=models.CASCADE, related_name="grades")
    student = models.ForeignKey("records.Student", on_delete=models.CASCADE, related_name="+")
    attempt = models.CharField(
        _("attempt"), max_length=8, choices=Attempt.choices, default=Attempt.REGULAR
    )
    scores = models.JSONField(default=dict, blank=True)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=1, null=True, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["sheet_id", "student_id", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "student", "attempt"], name="teaching_grade_unique"
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=0, total__lte=100),
                name="teaching_grade_total_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.total}"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class GradeChange(models.Model):
    """A requested change to a locked grade; applied only once approved (workflow)."""

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="changes")
    org = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    old_scores = models.JSONField(default=dict)
    new_scores = models.JSONField(default=dict)
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    process_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.grade_id} {self.status}"


__all__ = ["Grade", "GradeChange", "GradeComponent", "GradeSheet", "SheetStatus"]
