"""Tables of course groups and group documents (ADR 0756-0757).

A teacher splits a course's learners into groups (by hand or at random); a learner is in at
most one group of a course. Each group writes shared documents: every save is a numbered
version that keeps what the author typed, so history, differences and restores read it back.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class CourseGroup(models.Model):
    """A group of learners of one course (小组)."""

    course = models.ForeignKey(
        "learning.OnlineCourse", on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("name of the group"), max_length=60)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["course_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "name"], name="learning_group_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A learner's place in a group; ``course`` repeats the group's so that the database
    refuses a second group of the same course for the same learner."""

    group = models.ForeignKey(CourseGroup, on_delete=models.CASCADE, related_name="members")
    course = models.ForeignKey("learning.OnlineCourse", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="learning_member_one_group")
        ]

    def __str__(self) -> str:
        return f"{self.group_id} · {self.user_id}"


class GroupDocument(models.Model):
    """A shared document of a group; ``version`` is the number of its newest version, the
    one an edit must start from (optimistic check, ADR 0757)."""

    group = models.ForeignKey(CourseGroup, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=120)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("group document")
        verbose_name_plural = _("group documents")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """One saved state of a document: ``source`` as the author typed it (plain text or the
    allowed tags), ``html`` its sanitised rendering; ``restored_from`` names the version a
    restore copied."""

    document = models.ForeignKey(GroupDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    source = models.TextField()
    html = models.TextField()
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="learning_document_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class DocumentComment(models.Model):
    """A comment on a document (the teacher's feedback, or a member's answer), made on the
    version that was newest at the time."""

    document = models.ForeignKey(GroupDocument, on_delete=models.CASCADE, related_name="comments")
    version = models.PositiveIntegerField()
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("document comment")
        verbose_name_plural = _("document comments")
        ordering = ["document_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.pk}"
