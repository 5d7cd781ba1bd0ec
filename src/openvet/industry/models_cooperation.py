"""Tables of the enterprise-side libraries and school–enterprise projects (ADR 0610–0613):
talent demand an enterprise declares, cooperation projects of a school with enterprises (their
agreements, milestones, deliverables and funds) and innovation and entrepreneurship cases.

Imported at the end of ``industry.models`` so that Django finds them there.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openvet.industry.codes import SalaryBand

ORG = "core.OrgUnit"
USER = settings.AUTH_USER_MODEL


class TalentDemand(models.Model):
    """Positions an enterprise expects to fill in a year, by major and region (人才需求)."""

    org = models.ForeignKey(ORG, verbose_name=_("enterprise"), on_delete=models.PROTECT)
    position = models.CharField(_("position"), max_length=100)
    # 《职业教育专业目录（2021年）》 six-digit major code (core code table).
    major_code = models.CharField(_("major"), max_length=7)
    # GB/T 2260 administrative division code of the workplace.
    region_code = models.CharField(_("region"), max_length=6)
    headcount = models.PositiveIntegerField(_("headcount"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    salary_band = models.CharField(_("salary band"), max_length=8, choices=SalaryBand.choices)
    requirements = models.TextField(_("requirements"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("talent demand")
        verbose_name_plural = _("talent demand")
        ordering = ["-year", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gte=1), name="industry_demand_headcount")
        ]

    def __str__(self) -> str:
        return f"{self.org} · {self.position} · {self.year}"


class ProjectKind(models.TextChoices):
    """The forms of school–enterprise cooperation named in 《职业学校校企合作促进办法》(2018)
    Art. 7 and the 2019 national implementation plan for vocational education reform."""

    ORDER_CLASS = "order_class", _("Order class")
    APPRENTICESHIP = "apprenticeship", _("Modern apprenticeship")
    INDUSTRY_COLLEGE = "industry_college", _("Industry college")
    TRAINING_BASE = "training_base", _("Co-built training base")
    JOINT_RD = "joint_rd", _("Joint research and development")


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", pgettext_lazy("cooperation project", "Being prepared")
    ACTIVE = "active", pgettext_lazy("cooperation project", "Under way")
    COMPLETED = "completed", pgettext_lazy("cooperation project", "Completed")
    ENDED = "ended", pgettext_lazy("cooperation project", "Ended early")


class CooperationProject(models.Model):
    """A project of one school with a lead enterprise and, maybe, other partner enterprises."""

    org = models.ForeignKey(ORG, verbose_name=_("school"), on_delete=models.PROTECT)
    enterprise = models.ForeignKey(
        ORG, verbose_name=_("lead enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    partners: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        ORG, verbose_name=_("other partner enterprises"), related_name="+", blank=True
    )
    name = models.CharField(_("project"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=ProjectKind.choices)
    major = models.ForeignKey(
        ORG,
        verbose_name=_("major"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PREPARING
    )
    description = models.TextField(_("goals and content"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="industry_project_period"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProjectAgreement(models.Model):
    """A signed agreement of a project, kept as a PDF."""

    project = models.ForeignKey(
        CooperationProject, on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(_("agreement"), max_length=120)
    file = models.FileField(_("file"), upload_to="industry/projects/%Y/")
    signed_on = models.DateField(_("signed on"))
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return self.title


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("milestone", "Planned")
    DONE = "done", pgettext_lazy("milestone", "Reached")
    LATE = "late", pgettext_lazy("milestone", "Late")


class ProjectMilestone(models.Model):
    project = models.ForeignKey(
        CooperationProject, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=120)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=8, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    note = models.CharField(pgettext_lazy("milestone", "note"), max_length=200, blank=True)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title


class ProjectDeliverable(models.Model):
    """What the project produced: a course, a textbook, a standard, a patent, a report..."""

    project = models.ForeignKey(
        CooperationProject, on_delete=models.CASCADE, related_name="deliverables"
    )
    title = models.CharField(_("deliverable"), max_length=120)
    delivered_on = models.DateField(_("delivered on"))
    file = models.FileField(_("file"), upload_to="industry/projects/%Y/", blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-delivered_on", "-id"]

    def __str__(self) -> str:
        return self.title


class FundSource(models.TextChoices):
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise")
    GOVERNMENT = "government", _("Government grant")
    OTHER = "other", _("Other source")


class ProjectFund(models.Model):
    """Money put into a project, in fen (integers: no rounding of yuan amounts)."""

    project = models.ForeignKey(CooperationProject, on_delete=models.CASCADE, related_name="funds")
    source = models.CharField(_("source"), max_length=12, choices=FundSource.choices)
    amount_fen = models.PositiveBigIntegerField(_("amount"))
    received_on = models.DateField(_("received on"))
    note = models.CharField(pgettext_lazy("fund", "note"), max_length=200, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=1), name="industry_fund_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.amount_fen}"


class CaseKind(models.TextChoices):
    INNOVATION = "innovation", _("Innovation")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship")


class InnovationCase(models.Model):
    """A case of the innovation and entrepreneurship library, kept by a school or an enterprise
    (``org``); shown to every school's staff once published."""

    org = models.ForeignKey(ORG, verbose_name=_("kept by"), on_delete=models.PROTECT)
    title = models.CharField(_("case"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    summary = models.TextField(_("summary"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("innovation case")
        verbose_name_plural = _("innovation cases")
        ordering = ["-year", "title", "id"]

    def __str__(self) -> str:
        return self.title


class CaseFile(models.Model):
    case = models.ForeignKey(InnovationCase, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=120)
    file = models.FileField(_("file"), upload_to="industry/cases/%Y/")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class AwardLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    SCHOOL = "school", _("School")


class CaseAward(models.Model):
    """An award the case won (a competition's prize at a level, in a year)."""

    case = models.ForeignKey(InnovationCase, on_delete=models.CASCADE, related_name="awards")
    name = models.CharField(_("award"), max_length=160)
    level = models.CharField(_("level"), max_length=12, choices=AwardLevel.choices)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.name
