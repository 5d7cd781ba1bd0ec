"""Tables completing the enterprise library (ADR 0620–0622): the enterprise's contacts and
qualification documents (kept by its mentors, read by every school), the rating each
cooperating school gives it once a year, and each school's on-site assessment of an enterprise
before it becomes one of its internship units (rule R18).

Imported at the end of ``industry.models`` so that Django finds them there.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ORG = "core.OrgUnit"
USER = settings.AUTH_USER_MODEL


class EnterpriseContact(models.Model):
    """A person to call at an enterprise; the phone is shown masked unless revealed (audited)."""

    enterprise = models.ForeignKey(
        ORG, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role at the enterprise"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise contact")
        verbose_name_plural = _("enterprise contacts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} · {self.role}"


class DocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "licence", _("Business licence")
    SAFETY = "safety", _("Work safety certificate")
    INDUSTRY_PERMIT = "permit", _("Industry permit")
    QUALITY = "quality", _("Quality or other certification")
    OTHER = "other", _("Other qualification")


class EnterpriseDocument(models.Model):
    """A qualification document (PDF) of an enterprise, with the day it stops being valid."""

    enterprise = models.ForeignKey(
        ORG, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file (PDF)"), upload_to="industry/qualifications/%Y/")
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("qualification document")
        verbose_name_plural = _("qualification documents")
        ordering = ["kind", "title", "id"]

    def __str__(self) -> str:
        return self.title


class EnterpriseRating(models.Model):
    """A cooperating school's rating of an enterprise for one year (1–5 on each criterion)."""

    enterprise = models.ForeignKey(
        ORG, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(ORG, verbose_name=_("school"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    placement_quality = models.PositiveSmallIntegerField(_("quality of the placements"))
    safety = models.PositiveSmallIntegerField(_("safety"))
    mentor_support = models.PositiveSmallIntegerField(_("mentor support"))
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise rating")
        verbose_name_plural = _("enterprise ratings")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "school", "year"], name="industry_one_rating_a_school_year"
            ),
            models.CheckConstraint(
                condition=Q(placement_quality__gte=1, placement_quality__lte=5)
                & Q(safety__gte=1, safety__lte=5)
                & Q(mentor_support__gte=1, mentor_support__lte=5),
                name="industry_rating_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.school} · {self.year}"

    @property
    def average(self) -> float:
        return (self.placement_quality + self.safety + self.mentor_support) / 3


class EnterpriseAssessment(models.Model):
    """R18: a school's on-site assessment of an enterprise (written report, PDF) and the
    decision of the school's Party committee meeting that puts it on the published list of
    internship units."""

    school = models.ForeignKey(ORG, verbose_name=_("school"), on_delete=models.PROTECT)
    enterprise = models.ForeignKey(
        ORG, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    report = models.FileField(_("assessment report (PDF)"), upload_to="industry/assessments/%Y/")
    decision_reference = models.CharField(_("reference of the meeting's decision"), max_length=60)
    published_on = models.DateField(_("list published on"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("on-site assessment")
        verbose_name_plural = _("on-site assessments")
        ordering = ["-visited_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "enterprise"], name="industry_one_assessment_a_school"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.enterprise}"
