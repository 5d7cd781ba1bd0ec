"""Tables of the live in-class mode: the session and its join code, who joined, the instant
questions and their answers, bullet comments and random calls. They stay with the course
after the class as its record (ADR 0710)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class LiveSession(models.Model):
    """One class taught live: a join code valid until ``code_expires_at`` while the session
    runs; sign-in is the lecture's attendance session of ``teaching`` when one is opened."""

    course = models.ForeignKey(
        "learning.OnlineCourse", on_delete=models.CASCADE, related_name="live_sessions"
    )
    org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    code = models.CharField(_("join code"), max_length=8)
    code_expires_at = models.DateTimeField()
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    attendance = models.ForeignKey(
        "teaching.AttendanceSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comments_on = models.BooleanField(_("bullet comments shown"), default=True)
    blocked_words = models.JSONField(default=list, blank=True)
    slide = models.PositiveSmallIntegerField(_("slide shown"), default=0)  # 0: none yet
    # Groups (ADR 0743): how the current groups were formed ("" none yet) and their round;
    # the groups of earlier rounds stay for the record of their answers.
    grouping = models.CharField(max_length=10, blank=True, default="")
    group_round = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["code"], name="learning_live_code")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_running(self) -> bool:
        return self.ended_at is None


class LiveGroup(models.Model):
    """A group of a live class in one round of grouping (ADR 0743), numbered from 1. A round
    formed from the course's groups (ADR 0763) names each one's ``course_group`` and keeps its
    name as it was in class, for the record."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="groups")
    round = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    course_group = models.ForeignKey(
        "learning.CourseGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="live_groups",
    )
    name = models.CharField(max_length=60, blank=True, default="")

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "round", "number"], name="learning_live_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.round}.{self.number}"


class LiveParticipant(models.Model):
    """A learner who joined; ``hand_raised_at`` is set while their hand is up. ``remote``:
    following from elsewhere, not in the room (ADR 0745); ``group``: their group now."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField()
    hand_raised_at = models.DateTimeField(null=True, blank=True)
    called = models.PositiveSmallIntegerField(default=0)
    remote = models.BooleanField(default=False)
    group = models.ForeignKey(
        LiveGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="learning_live_participant")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.user_id}"


class LiveQuestion(models.Model):
    """An instant question (single choice) asked during the class; open until closed."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(default=list)
    answer = models.SmallIntegerField(null=True, blank=True)  # the right option, if any
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    for_groups = models.BooleanField(default=False)  # answered once per group (ADR 0744)

    class Meta:
        ordering = ["opened_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class LiveAnswer(models.Model):
    """One learner's answer to one question: final once given (no double answers)."""

    question = models.ForeignKey(LiveQuestion, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    choice = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="learning_live_answer")
        ]

    def __str__(self) -> str:
        return f"{self.question_id} · {self.user_id}: {self.choice}"


class LiveGroupAnswer(models.Model):
    """A group's answer to a group question: any member answers for the group and the last
    answer before the question closes stands (ADR 0744); ``user`` answered it last."""

    question = models.ForeignKey(
        LiveQuestion, on_delete=models.CASCADE, related_name="group_answers"
    )
    group = models.ForeignKey(LiveGroup, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    choice = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField()
    by_name = ""  # not stored: who answered, named for the phones after a batch

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "group"], name="learning_live_group_answer")
        ]

    def __str__(self) -> str:
        return f"{self.question_id} · {self.group_id}: {self.choice}"


class LiveComment(models.Model):
    """A bullet comment (弹幕); ``shown`` is false when the teacher's filter held it back."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=60)
    shown = models.BooleanField(default=True)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["session", "user", "sent_at"], name="learning_live_cmt")]

    def __str__(self) -> str:
        return self.text


def _slide_path(instance: "LiveSlide", filename: str) -> str:
    return f"learning/live/{instance.session_id}/slide-{instance.number}-{filename}"


class LiveSlide(models.Model):
    """One slide of the session's deck (an uploaded image, checked as ADR 0741 says),
    numbered from 1; phones show the one the screen shows."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="slides")
    number = models.PositiveSmallIntegerField()
    image = models.FileField(upload_to=_slide_path, max_length=200)
    content_type = models.CharField(max_length=40)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="learning_live_slide")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.number}"


class LiveConfusion(models.Model):
    """A learner pressed 不懂 on a slide. Who pressed is kept only so a learner counts once;
    the teacher sees counts, never names (ADR 0742)."""

    slide = models.ForeignKey(LiveSlide, on_delete=models.CASCADE, related_name="confusions")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slide", "user"], name="learning_live_confusion")
        ]

    def __str__(self) -> str:
        return f"{self.slide_id} · ?"
