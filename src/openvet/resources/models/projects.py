"""Library-building projects (共建共享), learning paths through a library, and forks.

A project builds one library (for example a major's national library) with a lead school and
member schools and enterprises; its work is split into packages, each with an owner, a
deadline and a planned number of items. Members contribute resources into a package and the
lead accepts or returns each contribution (ADR 0520). A learning path is an ordered list of a
library's resources that a learner follows (ADR 0522). A fork is a copy of a resource owned by
the teacher who made it, attributed to its original (ADR 0523).
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Project(models.Model):
    title = models.CharField(_("project name"), max_length=200)
    major_code = models.CharField(_("major"), max_length=8)
    description = models.TextField(_("description"), blank=True)
    lead = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("lead school"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("library-building project")
        verbose_name_plural = _("library-building projects")
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ProjectMember(models.Model):
    """A school or enterprise taking part; the lead school is a member too."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        ordering: ClassVar[list[str]] = ["id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["project", "org"], name="resources_member_once")
        ]

    def __str__(self) -> str:
        return str(self.org_id)


class PackageStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("work package", "In progress")
    DONE = "done", pgettext_lazy("work package", "Finished")


class WorkPackage(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="packages")
    title = models.CharField(_("work package"), max_length=200)
    owner = models.ForeignKey(
        "identity.User", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    planned_items = models.PositiveIntegerField(_("planned resources"))
    status = models.CharField(
        _("status"), max_length=8, choices=PackageStatus.choices, default=PackageStatus.OPEN
    )

    class Meta:
        verbose_name = _("work package")
        verbose_name_plural = _("work packages")
        ordering: ClassVar[list[str]] = ["deadline", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(planned_items__gte=1), name="resources_package_plans_something"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ContributionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class Contribution(models.Model):
    """A member's resource offered to a work package, and the lead's decision on it."""

    package = models.ForeignKey(WorkPackage, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.CASCADE, related_name="contributions"
    )
    org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ContributionStatus.choices,
        default=ContributionStatus.SUBMITTED,
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        "identity.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering: ClassVar[list[str]] = ["-submitted_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["package", "resource"], name="resources_contribution_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.resource_id)


class LearningPath(models.Model):
    """A standard course built from a major's library: ordered steps, each a resource."""

    org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    major_code = models.CharField(_("major"), max_length=8)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # A draft is seen by its author and the library's curators only (ADR 0535).
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        ordering: ClassVar[list[str]] = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class PathStep(models.Model):
    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.PROTECT, related_name="path_steps"
    )
    heading = models.CharField(_("section heading"), max_length=100, blank=True)
    note = models.CharField(_("note for the learner"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["path", "position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["path", "position"], name="resources_step_position")
        ]

    def __str__(self) -> str:
        return f"{self.path_id} · {self.position}"


class ResourceFork(models.Model):
    """The copy a teacher made of another resource, and the original it is attributed to."""

    fork = models.OneToOneField(
        "resources.Resource", on_delete=models.CASCADE, related_name="forked_from"
    )
    original = models.ForeignKey(
        "resources.Resource", on_delete=models.PROTECT, related_name="forks"
    )
    original_version = models.PositiveIntegerField()
    forked_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    forked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.original_id} → {self.fork_id}"
