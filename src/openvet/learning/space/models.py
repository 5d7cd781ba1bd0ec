"""Tables of the student's learning space (网络学习空间, ADR 0755): private notes per unit,
favourite units, course certificates with a verifiable code, and portfolio links."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Note(models.Model):
    """A learner's own note on a unit; nobody else reads it."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("learning.Unit", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("note"))
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="learning_note_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.unit_id}"


class Favourite(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("learning.Unit", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="learning_favourite_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.unit_id}"


class Certificate(models.Model):
    """Issued once a learner has met the completion rule of every unit of a course; ``code``
    is the public, unguessable id anyone can verify."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(
        "learning.OnlineCourse", on_delete=models.CASCADE, related_name="certificates"
    )
    code = models.CharField(max_length=32, unique=True)
    course_title = models.CharField(max_length=200)
    school_name = models.CharField(max_length=200)
    units = models.PositiveIntegerField()
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name = _("course certificate")
        verbose_name_plural = _("course certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="learning_certificate_unique")
        ]

    def __str__(self) -> str:
        return self.code


class PortfolioLink(models.Model):
    """A read-only public address of chosen items of a learner's portfolio; revoking it makes
    the address answer 404 for good."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=100)
    course_ids = models.JSONField(default=list)
    certificate_ids = models.JSONField(default=list)
    attempt_ids = models.JSONField(default=list)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class TeacherProfile(models.Model):
    """A teacher's public page of the learning space (ADR 0758): shown only while ``shown``
    is on, at an unguessable address (``token``), with what the teacher wrote in ``bio``."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=32, unique=True)
    shown = models.BooleanField(_("show my public page"), default=False)
    bio = models.TextField(_("about me"), blank=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id}"
