"""Graduate and employer surveys (ADR 0623): a school opens a round for a graduating cohort at
six months or one year after graduation; each graduate answers once about their own job, each
employer (a mentor of the enterprise recorded as the graduate's employer) once about each
graduate it employs.

Imported at the end of ``industry.models`` so that Django finds them there.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openvet.industry.codes import SalaryBand

ORG = "core.OrgUnit"
USER = settings.AUTH_USER_MODEL


class SurveyMilestone(models.TextChoices):
    SIX_MONTHS = "6m", _("Six months after graduation")
    ONE_YEAR = "12m", _("One year after graduation")


class SurveyRound(models.Model):
    """A survey of one school's graduates of one year, at one milestone."""

    org = models.ForeignKey(ORG, verbose_name=_("school"), on_delete=models.PROTECT)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"))
    milestone = models.CharField(_("milestone"), max_length=3, choices=SurveyMilestone.choices)
    closes_on = models.DateField(_("closes on"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-graduation_year", "milestone", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "graduation_year", "milestone"], name="industry_one_survey_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.graduation_year} · {self.get_milestone_display()}"


class RespondentSide(models.TextChoices):
    GRADUATE = "graduate", pgettext_lazy("survey", "Graduate")
    EMPLOYER = "employer", pgettext_lazy("survey", "Employer")


class SurveyResponse(models.Model):
    """One answer of a round about one graduate: by the graduate, or by their employer."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    student = models.ForeignKey(
        "records.Student", verbose_name=_("graduate"), on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(_("by"), max_length=10, choices=RespondentSide.choices)
    respondent = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # Graduate's questions.
    job_satisfaction = models.PositiveSmallIntegerField(_("job satisfaction"), null=True)
    major_relevance = models.PositiveSmallIntegerField(
        _("relevance of the job to the major"), null=True
    )
    salary_band = models.CharField(
        _("salary band"), max_length=8, choices=SalaryBand.choices, blank=True
    )
    # Employer's questions.
    skills_rating = models.PositiveSmallIntegerField(
        _("rating of the graduate's skills"), null=True
    )
    would_hire_again = models.BooleanField(_("would hire graduates of the school again"), null=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "student", "side"], name="industry_one_response_a_side"
            ),
            models.CheckConstraint(
                condition=Q(job_satisfaction__isnull=True)
                | Q(job_satisfaction__gte=1, job_satisfaction__lte=5),
                name="industry_survey_satisfaction_range",
            ),
            models.CheckConstraint(
                condition=Q(major_relevance__isnull=True)
                | Q(major_relevance__gte=1, major_relevance__lte=5),
                name="industry_survey_relevance_range",
            ),
            models.CheckConstraint(
                condition=Q(skills_rating__isnull=True)
                | Q(skills_rating__gte=1, skills_rating__lte=5),
                name="industry_survey_skills_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.student} · {self.get_side_display()}"
