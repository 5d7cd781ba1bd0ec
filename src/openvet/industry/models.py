"""Tables of school–enterprise cooperation: the enterprise library and internship posts
(owned by an enterprise org unit), internship plans and placements (owned by the student's
class), the evidence of an internship (check-ins, journals, evaluations) and graduate
destinations."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openvet.industry.codes import Destination, EnterpriseSize, Industry, SalaryBand

ORG = "core.OrgUnit"
USER = settings.AUTH_USER_MODEL


class EnterpriseProfile(models.Model):
    """The library entry of an enterprise org unit; its 统一社会信用代码 is the unit's code."""

    enterprise = models.OneToOneField(
        ORG, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices)
    size = models.CharField(_("size"), max_length=8, choices=EnterpriseSize.choices)
    region_code = models.CharField(_("region code"), max_length=6)
    address = models.CharField(_("address"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    staff_count = models.PositiveIntegerField(_("staff on the payroll"))
    # Rules 16(5) and 16(6) of the 2021 internship regulation refuse these outright.
    is_entertainment_venue = models.BooleanField(_("entertainment venue"), default=False)
    is_agency = models.BooleanField(_("staffing or placement agency"), default=False)
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enterprise profile")
        verbose_name_plural = _("enterprise profiles")

    def __str__(self) -> str:
        return str(self.enterprise)


class PostStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("internship post", "Open")
    CLOSED = "closed", pgettext_lazy("internship post", "Closed")


class PostApproval(models.TextChoices):
    """A post appears under a school's name only once that school approves it (ADR 0606)."""

    PENDING = "pending", pgettext_lazy("internship post", "Awaiting the school's approval")
    APPROVED = "approved", pgettext_lazy("internship post", "Approved by the school")
    REFUSED = "refused", pgettext_lazy("internship post", "Refused by the school")


class InternshipPost(models.Model):
    """An internship post an enterprise publishes for one partner school."""

    org = models.ForeignKey(ORG, verbose_name=_("enterprise"), on_delete=models.PROTECT)
    school = models.ForeignKey(
        ORG,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        help_text=_("The partner school under whose name the post appears once it approves it."),
    )
    approval = models.CharField(
        _("approval"),
        max_length=8,
        choices=PostApproval.choices,
        default=PostApproval.PENDING,
        db_index=True,
    )
    title = models.CharField(_("post"), max_length=100)
    description = models.TextField(_("tasks of the post"), blank=True)
    location = models.CharField(_("workplace"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    openings = models.PositiveSmallIntegerField(_("openings"))
    same_post_staff = models.PositiveIntegerField(_("staff in the same post"))
    staff_wage = models.PositiveIntegerField(_("monthly wage of staff in this post (yuan)"))
    physical_intensity = models.PositiveSmallIntegerField(
        _("physical labour intensity (GB 3869 grade)"), default=1
    )
    minor_forbidden = models.BooleanField(_("forbidden work for minors"), default=False)
    female_forbidden = models.BooleanField(_("forbidden work for women"), default=False)
    high_risk = models.BooleanField(_("high-risk work"), default=False)
    night_shifts = models.BooleanField(_("night shifts"), default=False)
    intern_pay = models.PositiveIntegerField(_("monthly pay offered to interns (yuan)"), default=0)
    shifts = models.CharField(_("working hours and shifts"), max_length=200, blank=True)
    skills = models.TextField(_("skills practised"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=PostStatus.choices, default=PostStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internship post")
        verbose_name_plural = _("internship posts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.org} · {self.title}"


class InternshipKind(models.TextChoices):
    """Art. 2 of 《职业学校学生实习管理规定》(2021): 认识实习 and 岗位实习."""

    RECOGNITION = "recognition", _("Recognition internship")
    POST = "post", _("Post internship")


class InternshipPlan(models.Model):
    """An internship of one class: kind, period and learning objectives."""

    org = models.ForeignKey(ORG, verbose_name=_("class"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=InternshipKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    objectives = models.TextField(_("learning objectives"))
    # Medicine and health majors may intern longer (R11); set by the school.
    longer_allowed = models.BooleanField(_("longer internship allowed"), default=False)
    # R19 and R21 (ADR 0618): the filing with the education authority, its consent to
    # internships outside the province, the safety training and the emergency plan.
    filing_reference = models.CharField(
        _("filing number with the authority"), max_length=60, blank=True
    )
    out_of_province_approval = models.CharField(
        _("authority's approval of internships outside the province"), max_length=60, blank=True
    )
    safety_training_on = models.DateField(_("safety training held on"), null=True, blank=True)
    emergency_plan = models.TextField(_("emergency plan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internship plan")
        verbose_name_plural = _("internship plans")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="industry_plan_period"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlacementStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    ENDED = "ended", _("Ended")


class InternshipGrade(models.TextChoices):
    """The four-grade scale of internship assessment (2016 regulation Art. 30, kept by the
    provincial rules of 2021)."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", pgettext_lazy("internship grade", "Pass")
    FAIL = "fail", pgettext_lazy("internship grade", "Fail")


class Placement(models.Model):
    """One student at one enterprise post for (part of) a plan. ``org`` is the student's class."""

    org = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    plan = models.ForeignKey(
        InternshipPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="placements"
    )
    student = models.ForeignKey(
        "records.Student", verbose_name=_("student"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(
        InternshipPost, verbose_name=_("post"), on_delete=models.PROTECT, related_name="placements"
    )
    enterprise = models.ForeignKey(
        ORG, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    school_mentor = models.ForeignKey(
        USER, verbose_name=_("school mentor"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise_mentor = models.ForeignKey(
        USER, verbose_name=_("enterprise mentor"), on_delete=models.PROTECT, related_name="+"
    )
    monthly_pay = models.PositiveIntegerField(_("monthly pay (yuan)"), default=0)
    fees_charged = models.PositiveIntegerField(_("fees charged to the student (yuan)"), default=0)
    agreement = models.FileField(_("three-party agreement"), upload_to="industry/agreements/%Y/")
    # R14 (ADR 0618): the informed consent signed by the student and their guardian.
    consent = models.FileField(
        _("informed consent of the student and guardian"),
        upload_to="industry/consents/%Y/",
        blank=True,
    )
    insurance_policy = models.CharField(_("liability insurance policy number"), max_length=40)
    insurance_start = models.DateField(_("insurance from"))
    insurance_end = models.DateField(_("insurance until"))
    status = models.CharField(
        _("status"), max_length=8, choices=PlacementStatus.choices, default=PlacementStatus.ACTIVE
    )
    grade = models.CharField(
        pgettext_lazy("internship grade", "grade"),
        max_length=12,
        choices=InternshipGrade.choices,
        blank=True,
    )
    # R23: the internship's papers filed once it ends (ADR 0621).
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archived_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "student"],
                condition=Q(status="active"),
                name="industry_one_active_placement_per_plan",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.enterprise}"


class CheckIn(models.Model):
    """A daily check-in from the phone, with the distance to the workplace."""

    # Indexes kept to what is read (ADR 0625): every check-in of the morning peak pays for
    # each one. A placement's check-ins are found by the unique (placement, day), a device's
    # by (device, day); nothing reads by time alone or by a device's prefix.
    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="checkins", db_index=False
    )
    at = models.DateTimeField(_("time"))
    # The local day of ``at``: one check-in a placement a day, kept by the database.
    day = models.DateField(_("day"), null=True, editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    distance_m = models.PositiveIntegerField(_("distance from the workplace (m)"))
    device = models.CharField(_("device"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "day"], name="industry_one_checkin_a_day")
        ]
        indexes = [models.Index(fields=["device", "day"], name="industry_checkin_device_day")]

    def __str__(self) -> str:
        return f"{self.placement} · {self.at:%Y-%m-%d %H:%M}"


class CosignedWriting(models.Model):
    """What an intern writes and the enterprise mentor co-signs once (a weekly or monthly
    journal): ``industry.daily_services.journal_cosign`` serves both."""

    submitted_at = models.DateTimeField(auto_now_add=True)
    cosigned_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Journal(CosignedWriting):
    """A weekly journal; the enterprise mentor co-signs it."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="journals")
    week_start = models.DateField(_("week starting"))
    text = models.TextField(_("journal"))

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "week_start"], name="industry_one_journal_a_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.placement} · {self.week_start.isoformat()}"


class EvaluationSide(models.TextChoices):
    SCHOOL = "school", _("School mentor")
    ENTERPRISE = "enterprise", _("Enterprise mentor")


class Evaluation(models.Model):
    """The end evaluation of a placement by one of its two mentors."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="evaluations")
    side = models.CharField(_("by"), max_length=12, choices=EvaluationSide.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(pgettext_lazy("evaluation", "comment"))
    evaluator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "side"], name="industry_one_evaluation_a_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.placement} · {self.get_side_display()}"


class GraduateDestination(models.Model):
    """Where a graduate went (毕业去向), for the destination rate."""

    org = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    student = models.OneToOneField(
        "records.Student", verbose_name=_("student"), on_delete=models.PROTECT, related_name="+"
    )
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"), db_index=True)
    destination = models.CharField(_("destination"), max_length=2, choices=Destination.choices)
    employer = models.CharField(_("employer or school"), max_length=200, blank=True)
    # The enterprise of the library that employs the graduate, when it is one: its mentors
    # answer the employer survey about the graduate (ADR 0623).
    employer_unit = models.ForeignKey(
        ORG,
        verbose_name=_("employing enterprise"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # GB/T 4754-2017 section of the employer, for the flows by industry (ADR 0624).
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices, blank=True)
    region_code = models.CharField(_("region code"), max_length=6, blank=True)
    salary_band = models.CharField(
        _("salary band"), max_length=8, choices=SalaryBand.choices, blank=True
    )
    related_to_major = models.BooleanField(_("related to the major"), null=True)
    # The employer's 统一社会信用代码 (GB 32100-2015) when it is typed rather than chosen from
    # the library (ADR 0627); the library's enterprises carry theirs as their unit's code.
    employer_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    placed_on = models.DateField(_("placed on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("graduate destination")
        verbose_name_plural = _("graduate destinations")

    def __str__(self) -> str:
        return f"{self.student} · {self.get_destination_display()}"


class JobStandard(models.Model):
    """A job-skill standard (岗位技能标准) a school keeps, often with an enterprise: the job's
    typical tasks, the skills they need and the certificates required, linked to the majors
    that prepare for it (ADR 0607)."""

    org = models.ForeignKey(ORG, verbose_name=_("school"), on_delete=models.PROTECT)
    name = models.CharField(_("job"), max_length=100)
    occupation_code = models.CharField(
        _("occupation code"),
        max_length=12,
        blank=True,
        help_text=_("Code of the occupation in the national classification, e.g. 6-18-01-01."),
    )
    enterprise = models.ForeignKey(
        ORG,
        verbose_name=_("co-built with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    majors: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        ORG, verbose_name=_("majors"), related_name="+", blank=True
    )
    certificates = models.TextField(_("required certificates"), blank=True)
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("job-skill standard")
        verbose_name_plural = _("job-skill standards")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="industry_standard_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def certificate_list(self) -> list[str]:
        return [line.strip() for line in self.certificates.splitlines() if line.strip()]


class JobTask(models.Model):
    """A typical work task of a job."""

    standard = models.ForeignKey(JobStandard, on_delete=models.CASCADE, related_name="tasks")
    name = models.CharField(_("work task"), max_length=200)

    class Meta:
        verbose_name = _("work task")
        verbose_name_plural = _("work tasks")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "name"], name="industry_task_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class JobSkill(models.Model):
    """A skill a job requires, with the courses of the school that teach it."""

    standard = models.ForeignKey(JobStandard, on_delete=models.CASCADE, related_name="skills")
    task = models.ForeignKey(
        JobTask,
        verbose_name=_("work task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="skills",
    )
    name = models.CharField(_("skill"), max_length=200)
    courses: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        "teaching.Course", verbose_name=_("courses that teach it"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "name"], name="industry_skill_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


# --- Internships day to day: leave, safety incidents, mentor visits, monthly journals and
# skills evidence (ADR 0615–0617); the placement-time documents of R14, R19 and R21 (ADR 0618).


class LeaveStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("leave", "Awaiting the mentor")
    APPROVED = "approved", pgettext_lazy("leave", "Approved")
    REFUSED = "refused", pgettext_lazy("leave", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("leave", "Withdrawn")


class LeaveRequest(models.Model):
    """An intern's request for days off; the school mentor of the placement decides (ADR 0615)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="leaves")
    first_day = models.DateField(_("first day off"))
    last_day = models.DateField(_("last day off"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note of the decision"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-first_day", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="industry_leave_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.placement} · {self.first_day.isoformat()}"


class IncidentSeverity(models.TextChoices):
    """Severity as the intern or the enterprise mentor judges it at report time."""

    MINOR = "minor", pgettext_lazy("incident", "Minor (no lost work time)")
    SERIOUS = "serious", pgettext_lazy("incident", "Serious (injury or lost work time)")
    GRAVE = "grave", pgettext_lazy("incident", "Grave (hospital, or several people)")


class IncidentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("incident", "Open")
    ESCALATED = "escalated", pgettext_lazy("incident", "Escalated to the school")
    CLOSED = "closed", pgettext_lazy("incident", "Closed")


class Incident(models.Model):
    """A safety incident during an internship, reported by the intern or the enterprise mentor,
    escalated to the school and closed with a note (ADR 0616)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="incidents")
    reporter = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    happened_at = models.DateTimeField(_("when it happened"))
    severity = models.CharField(_("severity"), max_length=8, choices=IncidentSeverity.choices)
    description = models.TextField(_("what happened"))
    status = models.CharField(
        _("status"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(_("how it was handled"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("safety incident")
        verbose_name_plural = _("safety incidents")
        ordering = ["-happened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.placement} · {self.get_severity_display()}"


class IncidentNotice(models.Model):
    """A notice of an escalated incident to one person of the school."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "user"], name="industry_one_notice_each")
        ]

    def __str__(self) -> str:
        return f"{self.incident} → {self.user_id}"


class VisitKind(models.TextChoices):
    ONSITE = "onsite", _("Visit at the workplace")
    REMOTE = "remote", _("Phone or video talk")


class MentorVisit(models.Model):
    """The school mentor's visit to, or remote talk with, an intern."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="visits")
    mentor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=8, choices=VisitKind.choices)
    notes = models.TextField(_("notes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentor visit")
        verbose_name_plural = _("mentor visits")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{self.placement} · {self.day.isoformat()}"


class MonthlyJournal(CosignedWriting):
    """A monthly summary of the internship; the enterprise mentor co-signs it like the weekly."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="monthlies")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    text = models.TextField(_("monthly summary"))

    class Meta:
        verbose_name = _("monthly journal")
        verbose_name_plural = _("monthly journals")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "month"], name="industry_one_journal_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.placement} · {self.month:%Y-%m}"


class PostStandard(models.Model):
    """The job-skill standard a post follows: its tasks are what interns show evidence of, and
    its majors decide whether the post matches a student's major (R12)."""

    post = models.OneToOneField(InternshipPost, on_delete=models.CASCADE, related_name="+")
    standard = models.ForeignKey(JobStandard, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.post} · {self.standard}"


class SkillEvidence(models.Model):
    """Evidence (a photo or document and a note) that the intern practised a work task of the
    post's job-skill standard, attached to one of their journals (ADR 0617)."""

    journal = models.ForeignKey(
        Journal, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    monthly = models.ForeignKey(
        MonthlyJournal, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    task = models.ForeignKey(
        JobTask, verbose_name=_("work task"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("what I did"), max_length=300)
    file = models.FileField(_("photo or document"), upload_to="industry/evidence/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("skills evidence")
        verbose_name_plural = _("skills evidence")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(journal__isnull=False, monthly__isnull=True)
                | Q(journal__isnull=True, monthly__isnull=False),
                name="industry_evidence_of_one_journal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.note[:30]}"


# --- Enterprise-side libraries and cooperation projects (ADR 0610–0613) -------------------------
from openvet.industry.models_cooperation import (  # noqa: E402, F401
    CaseAward,
    CaseFile,
    CooperationProject,
    InnovationCase,
    ProjectAgreement,
    ProjectDeliverable,
    ProjectFund,
    ProjectMilestone,
    TalentDemand,
)
from openvet.industry.models_destinations import DestinationRevision  # noqa: E402, F401

# --- Enterprise library completion and surveys (ADR 0620–0623) ---------------------------------
from openvet.industry.models_library import (  # noqa: E402, F401
    EnterpriseAssessment,
    EnterpriseContact,
    EnterpriseDocument,
    EnterpriseRating,
)
from openvet.industry.models_surveys import SurveyResponse, SurveyRound  # noqa: E402, F401
