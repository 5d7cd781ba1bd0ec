"""Teaching evaluation (评教): questionnaires, windows, anonymous responses.

A response carries no link to the student and a random key, so that neither a foreign key nor
the order of ids ties it to the ``EvaluationReceipt`` that stops a second vote.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

ORG = "core.OrgUnit"


class Questionnaire(models.Model):
    org = models.ForeignKey(
        ORG, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["org_id", "-created_at"]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    TEXT = "text", _("Comment")


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=8, choices=QuestionKind.choices, default=QuestionKind.RATING
    )

    class Meta:
        ordering = ["questionnaire_id", "order", "id"]

    def __str__(self) -> str:
        return self.text


class EvaluationWindow(models.Model):
    term = models.ForeignKey("teaching.Term", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(
        ORG, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    min_responses = models.PositiveSmallIntegerField(_("fewest responses shown"), default=5)

    class Meta:
        verbose_name = _("evaluation window")
        verbose_name_plural = _("evaluation windows")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="teaching_evalwindow_order"
            ),
            models.CheckConstraint(
                condition=Q(min_responses__gte=5), name="teaching_evalwindow_min"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term_id} {self.opens_at:%Y-%m-%d}"


class EvaluationResponse(models.Model):
    """One anonymous answer sheet: ``answers`` maps question id (str) to 1-5 or a comment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    window = models.ForeignKey(EvaluationWindow, on_delete=models.CASCADE, related_name="responses")
    task = models.ForeignKey("teaching.TeachingTask", on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["window", "task"], name="teaching_evalresp_task")]

    def __str__(self) -> str:
        return f"{self.window_id} {self.task_id}"


class EvaluationReceipt(models.Model):
    """That a student has answered for a task in a window; says nothing of the answers."""

    window = models.ForeignKey(EvaluationWindow, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey("teaching.TeachingTask", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("records.Student", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["window", "task", "student"], name="teaching_evalreceipt_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window_id} {self.task_id} {self.student_id}"


__all__ = [
    "EvaluationReceipt",
    "EvaluationResponse",
    "EvaluationWindow",
    "Question",
    "Questionnaire",
]
