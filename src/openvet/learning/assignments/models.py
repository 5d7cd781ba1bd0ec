"""Tables of assignments (ADR 0720): the settings of an assignment unit (deadline, late rule,
peer review), its rubric, each learner's submission with the teacher's grade per criterion,
and the anonymous peer reviews handed out after the deadline."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Assignment(models.Model):
    """What an assignment unit asks for and until when. After ``due_at`` a submission is
    refused, unless ``late_until`` is set: until then it is accepted and marked late, and its
    grade loses ``late_penalty_percent``. ``peer_reviews`` (0 for none) is how many other
    learners' submissions each submitter reviews after the deadline."""

    unit = models.OneToOneField(
        "learning.Unit", on_delete=models.CASCADE, related_name="assignment"
    )
    due_at = models.DateTimeField(_("deadline"))
    late_until = models.DateTimeField(_("late submissions until"), null=True, blank=True)
    late_penalty_percent = models.PositiveSmallIntegerField(_("late penalty (%)"), default=0)
    accepts_text = models.BooleanField(_("answer as text"), default=True)
    accepts_file = models.BooleanField(_("answer as a file"), default=True)
    peer_reviews = models.PositiveSmallIntegerField(_("peer reviews per student"), default=0)
    peers_allocated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(late_penalty_percent__lte=100), name="learning_assignment_penalty"
            ),
            models.CheckConstraint(
                condition=Q(accepts_text=True) | Q(accepts_file=True),
                name="learning_assignment_accepts",
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit_id)

    @property
    def closes_at(self) -> datetime:
        """The last moment a submission is accepted."""
        return self.late_until or self.due_at


class Criterion(models.Model):
    """One criterion of an assignment's rubric; ``levels`` lists ``{"label", "points"}`` from
    the best level down, ``max_points`` is the best level's points."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("criterion"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    levels = models.JSONField(default=list)
    max_points = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion of a rubric")
        verbose_name_plural = _("criteria of rubrics")
        ordering = ["assignment_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Submission(models.Model):
    """A learner's latest submission to an assignment (one per learner: a resubmission
    replaces it until it is graded) and the teacher's grade: ``raw_score`` is the sum of the
    criteria, ``score`` what is left after the late penalty."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("answer"), blank=True)
    file_name = models.CharField(max_length=300, blank=True)  # name in the storage
    original_name = models.CharField(max_length=200, blank=True)
    mime_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    submitted_at = models.DateTimeField()
    version = models.PositiveSmallIntegerField(default=1)
    late = models.BooleanField(default=False)
    penalty_percent = models.PositiveSmallIntegerField(default=0)
    graded_at = models.DateTimeField(null=True, blank=True)
    graded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raw_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("overall comment"), blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["assignment_id", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user"], name="learning_submission_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.user_id}"


class CriterionGrade(models.Model):
    """The teacher's points and comment on one criterion of a submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="grades")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    points = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "criterion"], name="learning_criteriongrade_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} · {self.criterion_id}"


class PeerReview(models.Model):
    """A submission handed to another learner to review anonymously; ``scores`` maps each
    criterion's id (as text) to the points given, ``done_at`` is set when handed in."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="peer_reviews"
    )
    reviewer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    scores = models.JSONField(default=dict)
    total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    comment = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="learning_peerreview_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} · {self.reviewer_id}"
