"""Approval processes: versioned definitions, running instances, tasks, delegation, notices.

The engine knows no domain app. An app registers a process kind (``workflow.registry``),
starts instances about its own subjects and is told the outcome.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrgLevel(models.TextChoices):
    """Where, relative to the subject, a step's approvers are found."""

    SUBJECT = "subject", _("The subject's own unit")
    MAJOR = "major", _("Major")
    DEPARTMENT = "department", _("Department")
    SCHOOL = "school", _("School")
    TARGET_SCHOOL = "target_school", _("Receiving school")


class StepMode(models.TextChoices):
    ANY = "any", _("Any one of the roles")
    ALL = "all", _("Countersign: every role")


class InstanceStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned to applicant")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (InstanceStatus.PENDING, InstanceStatus.RETURNED)


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    SKIPPED = "skipped", _("No longer needed")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    RETURN = "return", _("Return to applicant")


class ProcessDefinition(models.Model):
    """One version of a process kind; a school's own definition overrides the platform's."""

    code = models.CharField(_("process kind"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1)
    school = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("process definition")
        verbose_name_plural = _("process definitions")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "school", "version"], name="workflow_definition_version_unique"
            ),
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=Q(school__isnull=True),
                name="workflow_definition_platform_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class StepDefinition(models.Model):
    definition = models.ForeignKey(
        ProcessDefinition, on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=80)
    roles = models.JSONField(_("roles"), default=list)
    org_level = models.CharField(_("org level"), max_length=16, choices=OrgLevel.choices)
    mode = models.CharField(_("mode"), max_length=8, choices=StepMode.choices, default=StepMode.ANY)
    # {"field": "change_type", "in": ["21"]}: the step applies only when the payload matches.
    condition = models.JSONField(_("condition"), default=dict, blank=True)
    deadline_hours = models.PositiveIntegerField(_("deadline in hours"), null=True, blank=True)

    class Meta:
        ordering = ["definition", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "order"], name="workflow_step_order_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.definition} #{self.order} {self.name}"


class ProcessInstance(models.Model):
    definition = models.ForeignKey(
        ProcessDefinition, on_delete=models.PROTECT, related_name="instances"
    )
    code = models.CharField(_("process kind"), max_length=64, db_index=True)
    subject_type = models.CharField(max_length=80)
    subject_id = models.CharField(max_length=64)
    title = models.CharField(_("title"), max_length=200)
    org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField(default=dict, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InstanceStatus.choices,
        default=InstanceStatus.PENDING,
        db_index=True,
    )
    current_step = models.PositiveSmallIntegerField(_("current step"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("process instance")
        verbose_name_plural = _("process instances")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Task(models.Model):
    """One approver slot of a step: a role at an org node; whoever holds it may decide."""

    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="tasks")
    step_order = models.PositiveSmallIntegerField()
    step_name = models.CharField(max_length=80)
    round = models.PositiveSmallIntegerField(default=1)
    role = models.CharField(_("role"), max_length=32)
    org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=TaskStatus.choices,
        default=TaskStatus.OPEN,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("approval task")
        verbose_name_plural = _("approval tasks")
        ordering = ["instance", "round", "step_order", "id"]

    def __str__(self) -> str:
        return f"{self.instance_id} #{self.step_order} {self.role}"


class Delegation(models.Model):
    """While ``from_user`` is away, ``to_user`` sees and decides their tasks."""

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegate"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="workflow_delegation_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_user_id} -> {self.to_user_id}"


class NotificationKind(models.TextChoices):
    TASK_ASSIGNED = "task_assigned", _("A request awaits your decision")
    TASK_OVERDUE = "task_overdue", _("A request is past its deadline")
    APPROVED = "approved", _("Your request was approved")
    REJECTED = "rejected", _("Your request was rejected")
    RETURNED = "returned", _("Your request was returned to you")


class Notification(models.Model):
    """An in-app notice; its text is rendered in the reader's language from ``kind``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
