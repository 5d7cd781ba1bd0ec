"""Tables of evidence-based learning (ADR 0730-0733): the teacher's weights of experience
points (经验值) per course, checkpoint questions placed in a video and the learners' answers
to them. Points and the integrity report are computed on read from these and the other
tables of the app; nothing is stored twice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class PointWeights(models.Model):
    """Points a learner earns per activity of a course, set by its teacher. A unit opened or
    completed earns ``unit``; a video ``video`` times the share watched; a quiz ``quiz`` times
    the best score's share; a checkpoint question answered right ``checkpoint``; an answer to
    a live-class question ``live``."""

    course = models.OneToOneField(
        "learning.OnlineCourse", on_delete=models.CASCADE, related_name="point_weights"
    )
    unit = models.PositiveSmallIntegerField(_("points per completed unit"), default=5)
    video = models.PositiveSmallIntegerField(_("points per video watched in full"), default=10)
    quiz = models.PositiveSmallIntegerField(_("points per quiz at full marks"), default=20)
    checkpoint = models.PositiveSmallIntegerField(
        _("points per checkpoint question answered right"), default=2
    )
    live = models.PositiveSmallIntegerField(_("points per answer in a live class"), default=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("weights of experience points")
        verbose_name_plural = _("weights of experience points")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__lte=100, video__lte=100, quiz__lte=100)
                & Q(checkpoint__lte=100, live__lte=100),
                name="learning_pointweights_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_id}"


class Checkpoint(models.Model):
    """A question of the course's bank placed at ``at_seconds`` of a video unit: the player
    stops there and the learner answers before going on; the server credits nothing past it
    until then (ADR 0731)."""

    unit = models.ForeignKey("learning.Unit", on_delete=models.CASCADE, related_name="checkpoints")
    at_seconds = models.PositiveIntegerField(_("at second"))
    question = models.ForeignKey(
        "learning.Question",
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("checkpoint question")
        verbose_name_plural = _("checkpoint questions")
        ordering = ["unit_id", "at_seconds", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "at_seconds"], name="learning_checkpoint_unique_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} @ {self.at_seconds}s"


class CheckpointAnswer(models.Model):
    """A learner's answer to a checkpoint: final once given, right or not."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    response = models.JSONField(default=list)
    correct = models.BooleanField(default=False)
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["checkpoint_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "user"], name="learning_checkpointanswer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} · {self.user_id}"
