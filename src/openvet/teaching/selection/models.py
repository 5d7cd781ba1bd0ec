"""Course selection (选课): elective offerings, selection rounds, preferences and seats.

A seat is a ``Selection`` row; ``Offering.taken`` counts them and is only ever changed by the
conditional atomic UPDATE in ``selection.services`` inside the transaction that writes or
deletes the row, so ``taken <= capacity`` holds under any burst (ADR 0302).
"""

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

ORG = "core.OrgUnit"


class RoundKind(models.TextChoices):
    PREFERENCE = "preference", _("Preference round (lottery)")
    FIRST_COME = "first_come", _("First come, first served")


class SelectionRound(models.Model):
    """A window of a school's term in which students rank (preference) or take seats."""

    term = models.ForeignKey("teaching.Term", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(
        ORG, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=RoundKind.choices)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    max_choices = models.PositiveSmallIntegerField(_("most courses per student"), default=3)
    # Empty: no limit. Counts the credits of the courses a student holds a seat in through
    # this round (first come or won in its lottery).
    max_credits_per_student = models.DecimalField(
        _("most credits per student"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    lottery_seed = models.BigIntegerField(_("lottery seed"), null=True, blank=True)
    lottery_run_at = models.DateTimeField(_("lottery run at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        ordering = ["term_id", "opens_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="teaching_round_window"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Offering(models.Model):
    """An elective teaching task open for selection, with its seats and who may take it."""

    term = models.ForeignKey("teaching.Term", on_delete=models.CASCADE, related_name="+")
    task = models.OneToOneField(
        "teaching.TeachingTask", on_delete=models.CASCADE, related_name="offering"
    )
    org = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    school = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    capacity = models.PositiveIntegerField(_("seats"))
    taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    eligible_majors: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        ORG, verbose_name=_("eligible majors"), related_name="+", blank=True
    )
    # Grade years (intake years) allowed; empty: every grade.
    eligible_grades = models.JSONField(_("eligible grades"), default=list, blank=True)
    # Course codes the student must have passed.
    prerequisites = models.JSONField(_("prerequisite course codes"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("elective offering")
        verbose_name_plural = _("elective offerings")
        ordering = ["term_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")), name="teaching_offering_not_oversold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.taken}/{self.capacity}"

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.taken)


class SelectionSource(models.TextChoices):
    LOTTERY = "lottery", _("Lottery")
    FIRST_COME = "first_come", _("First come")
    ADMIN = "admin", _("Added by an administrator")


class Selection(models.Model):
    """A confirmed seat of a student in an offering."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="selections")
    student = models.ForeignKey("records.Student", on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("teaching.Term", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=12, choices=SelectionSource.choices)
    round = models.ForeignKey(
        SelectionRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course selection")
        verbose_name_plural = _("course selections")
        ordering = ["offering_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "offering"], name="teaching_selection_unique"
            ),
        ]
        indexes = [models.Index(fields=["student", "term"], name="teaching_sel_student_term")]

    def __str__(self) -> str:
        return f"{self.student_id} -> {self.offering_id}"


class PreferenceOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for the lottery")
    WON = "won", _("Seat assigned")
    LOST = "lost", _("No seat (oversubscribed)")
    SKIPPED = "skipped", _("Not considered (clash or limit)")


class Preference(models.Model):
    """A student's ranked choice in a preference round (1 = first choice)."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="preferences")
    student = models.ForeignKey("records.Student", on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    outcome = models.CharField(
        max_length=8, choices=PreferenceOutcome.choices, default=PreferenceOutcome.PENDING
    )

    class Meta:
        ordering = ["round_id", "student_id", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "student", "offering"], name="teaching_preference_unique"
            ),
            models.UniqueConstraint(
                fields=["round", "student", "rank"], name="teaching_preference_rank_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} #{self.rank} {self.offering_id}"


__all__ = ["Offering", "Preference", "Selection", "SelectionRound"]
