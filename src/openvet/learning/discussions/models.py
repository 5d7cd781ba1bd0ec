"""Tables of discussions (ADR 0724): topics of a course, or of one of its units, and their
posts. A teacher pins or locks a topic and hides a post with a reason."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Topic(models.Model):
    """A discussion topic; its first post holds the opening text."""

    course = models.ForeignKey(
        "learning.OnlineCourse", on_delete=models.CASCADE, related_name="topics"
    )
    unit = models.ForeignKey(
        "learning.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="topics"
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    last_post_at = models.DateTimeField()
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        verbose_name = _("discussion topic")
        verbose_name_plural = _("discussion topics")
        ordering = ["-pinned", "-last_post_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """A post of a topic (sanitised rich text); a hidden post keeps its text for the teacher
    and shows students only that a teacher hid it."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("text"))
    created_at = models.DateTimeField()
    # When its author last changed it (ADR 0767); shown beside the post as "edited".
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["topic_id", "created_at", "id"]
        indexes = [models.Index(fields=["author", "created_at"], name="learning_post_author")]

    def __str__(self) -> str:
        return f"{self.topic_id} · {self.pk}"
