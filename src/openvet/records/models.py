"""The unified base database: students with their status changes (JY/T 1001), and staff."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openvet.core.pii import EncryptedTextField, mask_address, mask_id_number, mask_mobile
from openvet.records.codes import (
    ChangeReason,
    ChangeType,
    Degree,
    Education,
    EmploymentStatus,
    EnrolmentSource,
    Gender,
    IdType,
    PostType,
    QualificationKind,
    StudentStatus,
    StudyForm,
)

ORG = "core.OrgUnit"


class PersonIdentity(models.Model):
    """Who a student or staff member is: name, gender and identity document. The ID number is
    encrypted, its keyed digest finds duplicates, the birth date follows from a resident ID
    (``services.common.apply_identity`` keeps them in step)."""

    name = models.CharField(_("name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    id_type = models.CharField(
        _("ID type"), max_length=2, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_number = EncryptedTextField(_("ID number"), blank=True, default="")
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class PersonRecord(PersonIdentity):
    """What a student's and a staff member's record share besides identity: the school, the
    deepest unit (``org``, kept by the services for scoping) and timestamps. Each keeps its own
    ``user`` for the account's reverse name (``student_record``, ``staff_record``)."""

    school = models.ForeignKey(
        ORG, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Student(PersonRecord):
    """A student's record. ``org`` is the deepest unit they belong to (class, else major),
    kept by the services so that one prefix query scopes by school, department or class."""

    department = models.ForeignKey(
        ORG, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    major = models.ForeignKey(
        ORG, verbose_name=_("major"), on_delete=models.PROTECT, related_name="+"
    )
    class_unit = models.ForeignKey(
        ORG,
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    student_number = models.CharField(_("student number"), max_length=32)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, blank=True)
    political_status = models.CharField(_("political status"), max_length=2, blank=True)
    household_registration = models.CharField(
        _("household registration"), max_length=200, blank=True
    )
    enrolment_source = models.CharField(
        _("source of enrolment"), max_length=24, choices=EnrolmentSource.choices, blank=True
    )
    grade_year = models.PositiveSmallIntegerField(_("grade year"))
    schooling_years = models.PositiveSmallIntegerField(_("length of schooling (years)"), default=3)
    study_form = models.CharField(
        _("study form"), max_length=12, choices=StudyForm.choices, default=StudyForm.FULL_TIME
    )
    status = models.CharField(
        _("status"),
        max_length=2,
        choices=StudentStatus.choices,
        default=StudentStatus.ENROLLED,
        db_index=True,
    )
    # The XJYDLB code of the change that set the current status (19 for reserved status).
    status_change_type = models.CharField(max_length=2, blank=True, editable=False)
    guardian_name = models.CharField(_("guardian's name"), max_length=100, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=40, blank=True)
    guardian_phone = EncryptedTextField(_("guardian's phone"), blank=True, default="")
    photo = models.FileField(_("photo"), upload_to="records/photos/%Y/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student_record",
    )

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["school", "student_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student_number"], name="records_student_number_unique"
            ),
            models.UniqueConstraint(
                fields=["school", "id_number_digest"],
                condition=~Q(id_number_digest=""),
                name="records_student_id_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.student_number})"

    @property
    def masked_guardian_phone(self) -> str:
        return mask_mobile(self.guardian_phone)

    @property
    def masked_household_registration(self) -> str:
        return mask_address(self.household_registration)


class StudentHistory(models.Model):
    """One line of a student's history: created, edited, or a status change that took effect."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Record created")
        UPDATED = "updated", _("Record updated")
        STATUS_CHANGE = "status_change", _("Status change took effect")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    change = models.ForeignKey(
        "records.StatusChange", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The Excel import that wrote this line, so an import can list the students it touched.
    import_job = models.ForeignKey(
        "records.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.student_id} {self.kind}"


class ChangeState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved, in effect")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for correction")
    WITHDRAWN = "withdrawn", pgettext_lazy("application state", "Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


class StatusChange(models.Model):
    """A status change application (JY/T 1001 XJYDLB); in effect once approved."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="changes")
    org = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    change_type = models.CharField(_("kind of change"), max_length=2, choices=ChangeType.choices)
    reason = models.CharField(_("reason"), max_length=2, choices=ChangeReason.choices, blank=True)
    note = models.TextField(_("explanation"), blank=True)
    # Kind-specific fields: planned_return_date, target_major_id, target_class_id,
    # target_school_id, target_major_code, extra_years.
    details = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ChangeState.choices,
        default=ChangeState.PENDING,
        db_index=True,
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    process = models.ForeignKey(
        "workflow.ProcessInstance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    effective_at = models.DateTimeField(_("effective at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        # Read in the audit log: the kind of change and the student, as the request's title.
        return f"{self.get_change_type_display()}: {self.student}"


class MajorIntakePlan(models.Model):
    """How many students a major takes in a grade year: the ceiling for changes of major."""

    org = models.ForeignKey(
        ORG, verbose_name=_("major"), on_delete=models.PROTECT, related_name="+"
    )
    grade_year = models.PositiveSmallIntegerField(_("grade year"))
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "grade_year"], name="records_intake_plan_unique")
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.grade_year}: {self.capacity}"


class Staff(PersonRecord):
    department = models.ForeignKey(
        ORG,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff_number = models.CharField(_("staff number"), max_length=32)
    post_type = models.CharField(_("post type"), max_length=20, choices=PostType.choices)
    title = models.CharField(_("professional title"), max_length=60, blank=True)
    title_date = models.DateField(_("title awarded on"), null=True, blank=True)
    education = models.CharField(
        _("highest education"), max_length=16, choices=Education.choices, blank=True
    )
    degree = models.CharField(
        _("highest degree"), max_length=16, choices=Degree.choices, blank=True
    )
    field_code = models.CharField(_("professional field (major code)"), max_length=8, blank=True)
    employment_status = models.CharField(
        _("employment status"),
        max_length=12,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.ACTIVE,
    )
    enterprise = models.ForeignKey(
        ORG,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_dual_qualified = models.BooleanField(
        _("dual-qualified teacher"), default=False, editable=False
    )
    dual_qualified_on = models.DateField(null=True, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_record",
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["school", "staff_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "staff_number"], name="records_staff_number_unique"
            ),
            models.UniqueConstraint(
                fields=["school", "id_number_digest"],
                condition=~Q(id_number_digest=""),
                name="records_staff_id_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.staff_number})"


class Qualification(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(_("kind"), max_length=24, choices=QualificationKind.choices)
    name = models.CharField(_("name"), max_length=120)
    field_code = models.CharField(_("field (major code)"), max_length=8, blank=True)
    level = models.CharField(_("level"), max_length=40, blank=True)
    number = models.CharField(_("certificate number"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="records/evidence/%Y/", blank=True)

    class Meta:
        ordering = ["staff", "-issued_on", "id"]

    def __str__(self) -> str:
        return self.name


class EnterprisePractice(models.Model):
    """A teacher's practice period in an enterprise."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="practices")
    enterprise = models.ForeignKey(
        ORG,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise_name = models.CharField(_("enterprise name"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    content = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="records/evidence/%Y/", blank=True)

    class Meta:
        ordering = ["staff", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="records_practice_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.starts_on}–{self.ends_on}"


class TrainingRecord(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="trainings")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("training"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)

    class Meta:
        ordering = ["staff", "-year", "id"]

    def __str__(self) -> str:
        return f"{self.staff} {self.year} {self.title}"


class DualQualificationRule(models.Model):
    """How a school recognises dual-qualified teachers; each clause is sufficient on its own."""

    org = models.OneToOneField(
        ORG, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    min_practice_months = models.PositiveSmallIntegerField(
        _("minimum enterprise practice (months)"), default=6
    )
    within_years = models.PositiveSmallIntegerField(_("within the last years"), default=5)
    accept_vocational_qualification = models.BooleanField(
        _("a vocational qualification in the teacher's field suffices"), default=True
    )
    accept_industry_title = models.BooleanField(
        _("an industry professional title suffices"), default=False
    )

    def __str__(self) -> str:
        return f"{self.org_id}: {self.min_practice_months}m/{self.within_years}y"


from openvet.records.bulk.models import ImportJob  # noqa: E402,F401
from openvet.records.oneroster.models import SourcedId  # noqa: E402,F401
