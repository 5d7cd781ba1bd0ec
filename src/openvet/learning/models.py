"""Tables of online learning: a course built on a teaching task, its chapters and units, each
learner's progress (with the watched intervals of a video), the question bank, papers and
attempts with their answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ORG = "core.OrgUnit"
USER = settings.AUTH_USER_MODEL


class OnlineCourse(models.Model):
    """The online course of one teaching task: its learners are the task's students and its
    teachers the task's teachers; it sits where the task sits in the org tree."""

    org = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    task = models.OneToOneField(
        "teaching.TeachingTask",
        verbose_name=_("teaching task"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("online course")
        verbose_name_plural = _("online courses")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Chapter(models.Model):
    course = models.ForeignKey(OnlineCourse, on_delete=models.CASCADE, related_name="chapters")
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class UnitKind(models.TextChoices):
    TEXT = "text", pgettext_lazy("unit kind", "Text")
    VIDEO = "video", pgettext_lazy("unit kind", "Video")
    DOCUMENT = "document", pgettext_lazy("unit kind", "Document")
    LINK = "link", pgettext_lazy("unit kind", "Link")
    QUIZ = "quiz", pgettext_lazy("unit kind", "Quiz")
    IMAGE = "image", pgettext_lazy("unit kind", "Image")
    SCORM = "scorm", pgettext_lazy("unit kind", "SCORM package")
    H5 = "h5", pgettext_lazy("unit kind", "H5 package")
    ASSIGNMENT = "assignment", pgettext_lazy("unit kind", "Assignment")
    RESOURCE = "resource", pgettext_lazy("unit kind", "From the resource library")


class Unit(models.Model):
    """One unit of a chapter: its content by kind, when it is released and when it counts as
    completed (a video: a share of it watched; a quiz: a passing score; others: opened)."""

    course = models.ForeignKey(OnlineCourse, on_delete=models.CASCADE, related_name="units")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="units")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=UnitKind.choices)
    position = models.PositiveIntegerField(default=0)
    body = models.TextField(_("text"), blank=True)  # sanitised HTML
    url = models.URLField(_("address"), blank=True)
    file_name = models.CharField(max_length=300, blank=True)  # name in the storage
    original_name = models.CharField(max_length=200, blank=True)
    mime_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    duration_seconds = models.PositiveIntegerField(_("length in seconds"), default=0)
    release_at = models.DateTimeField(_("released at"), null=True, blank=True)
    requires_previous = models.BooleanField(
        _("after the previous unit is completed"), default=False
    )
    min_watched_percent = models.PositiveSmallIntegerField(_("share to watch (%)"), default=90)
    pass_percent = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    questions: "models.ManyToManyField[Question, Question]" = models.ManyToManyField(
        "Question", verbose_name=_("questions"), related_name="units", blank=True
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["chapter__position", "chapter_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_watched_percent__lte=100, pass_percent__lte=100),
                name="learning_unit_percents",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Progress(models.Model):
    """What one learner did in one unit. ``watched`` holds the merged intervals of the video
    the server credited, as ``[[start, end], ...]`` in seconds; ``beat_at`` is the server time
    of the last accepted heartbeat (ADR 0702)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="progress")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    position = models.FloatField(default=0)
    watched = models.JSONField(default=list)
    watched_seconds = models.FloatField(default=0)
    beat_at = models.DateTimeField(null=True, blank=True)
    refused_beats = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="learning_progress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.unit_id}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    FILL = "fill", _("Fill in the blank")
    SHORT = "short", _("Short answer")
    MATCHING = "matching", _("Matching")


class Difficulty(models.IntegerChoices):
    EASY = 1, _("Easy")
    MEDIUM = 2, _("Medium")
    HARD = 3, _("Hard")


class Question(models.Model):
    """A question of a course's bank. ``choices`` lists the options of a choice question;
    ``answer`` holds the indexes of the right options, ``[true]`` / ``[false]``, the accepted
    texts of a blank, or a model answer of a short question (graded by hand). A matching
    question lists its left items in ``choices`` and the right item of each, in the same
    order, in ``answer`` (ADR 0750). ``pool`` and ``difficulty`` let a quiz draw random papers
    (ADR 0751); ``image`` is a picture shown with the question, ``source_id`` the identifier
    of an imported QTI item."""

    course = models.ForeignKey(OnlineCourse, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    choices = models.JSONField(default=list, blank=True)
    answer = models.JSONField(default=list, blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    pool = models.CharField(_("pool"), max_length=60, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    image = models.CharField(max_length=300, blank=True)  # name in the storage
    source_id = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class Attempt(models.Model):
    """One attempt of a learner at a quiz unit; answers after ``deadline`` are refused."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    needs_grading = models.BooleanField(default=False)
    # The questions of this attempt's paper, fixed when it starts (ADR 0751); empty for
    # attempts started before random papers, which answer the unit's questions.
    paper = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["unit_id", "user_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "user", "number"], name="learning_attempt_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} #{self.number}"


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    response = models.JSONField(default=list)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["question_id"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="learning_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.question_id}"


class PaperDraw(models.Model):
    """A rule of a quiz's random paper: draw ``count`` questions of the course's bank from
    ``pool`` (every pool when empty) at ``difficulty`` (any when null), ADR 0751."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="draws")
    pool = models.CharField(_("pool"), max_length=60, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, null=True, blank=True
    )
    count = models.PositiveSmallIntegerField(_("questions to draw"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.pool} × {self.count}"


# Content packages: SCORM 1.2 / 2004 and H5 (ADR 0704-0706) ----------------------------------


class PackageStandard(models.TextChoices):
    SCORM_12 = "scorm12", "SCORM 1.2"
    SCORM_2004 = "scorm2004", "SCORM 2004"
    H5 = "h5", pgettext_lazy("package standard", "H5 (HTML5)")


class Package(models.Model):
    """The unpacked content package of a SCORM or H5 unit: its files live in the storage under
    ``root``; ``title`` and ``schema_version`` come from the manifest."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="package")
    standard = models.CharField(max_length=10, choices=PackageStandard.choices)
    schema_version = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=200, blank=True)
    root = models.CharField(max_length=200)  # storage prefix of the unpacked files
    file_count = models.PositiveIntegerField(default=0)
    unpacked_bytes = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.standard}"


class PackageItem(models.Model):
    """One entry of a package's table of contents: a SCO or asset to launch, or a heading."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="items")
    identifier = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField()
    depth = models.PositiveSmallIntegerField(default=0)
    href = models.CharField(max_length=1000, blank=True)  # launch address inside the package
    is_sco = models.BooleanField(default=False)
    mastery_score = models.FloatField(null=True, blank=True)
    launch_data = models.TextField(blank=True)

    class Meta:
        ordering = ["package_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "position"], name="learning_packageitem_position"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ScoAttempt(models.Model):
    """A learner's attempt at one SCO: the CMI values the SCO stored (``cmi``, element ->
    string), the status read from them, and the time spent over its sessions."""

    item = models.ForeignKey(PackageItem, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(default=1)
    cmi = models.JSONField(default=dict)
    completed = models.BooleanField(default=False)
    success = models.CharField(max_length=10, default="unknown")
    score_raw = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    score_scaled = models.DecimalField(max_digits=8, decimal_places=7, null=True, blank=True)
    total_seconds = models.FloatField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    exit = models.CharField(max_length=10, blank=True)
    # The runtime's session and the number of its last stored commit: an older commit that
    # arrives late is ignored (each commit carries every value set in its session).
    commit_session = models.CharField(max_length=32, blank=True)
    commit_seq = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)  # the last session's end

    class Meta:
        ordering = ["item_id", "user_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "user", "number"], name="learning_scoattempt_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.user_id} #{self.number}"


# Lesson plans: before, during and after class (ADR 0707) -------------------------------------


class PlanPhase(models.TextChoices):
    BEFORE = "before", _("Before class")
    DURING = "during", _("During class")
    AFTER = "after", _("After class")


class LessonPlan(models.Model):
    """One class meeting of a course planned in three parts (课前 / 课中 / 课后); a teacher can
    copy it, with its units, into another course they teach."""

    course = models.ForeignKey(
        OnlineCourse,
        verbose_name=_("online course"),
        on_delete=models.CASCADE,
        related_name="plans",
    )
    title = models.CharField(_("title"), max_length=200)
    class_date = models.DateField(_("date of the class"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesson plan")
        verbose_name_plural = _("lesson plans")
        ordering = ["course_id", "class_date", "id"]

    def __str__(self) -> str:
        return self.title


class PlanEntry(models.Model):
    """A unit of the course to learn, or an activity (a discussion, a task in class) with its
    instructions, in one part of a lesson plan."""

    plan = models.ForeignKey(
        LessonPlan, verbose_name=_("lesson plan"), on_delete=models.CASCADE, related_name="entries"
    )
    phase = models.CharField(_("part"), max_length=6, choices=PlanPhase.choices)
    position = models.PositiveIntegerField(_("order"), default=0)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("activity"), max_length=200, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)

    class Meta:
        verbose_name = _("entry of a lesson plan")
        verbose_name_plural = _("entries of lesson plans")
        ordering = ["plan_id", "phase", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | ~Q(title=""), name="learning_planentry_what"
            )
        ]

    def __str__(self) -> str:
        return self.title or str(self.unit_id)


# Live in-class mode: its tables live in ``learning.live.models`` (ADR 0710) ---------------------
# Assignments (ADR 0720) and discussions (ADR 0724) live in their own modules ------------------
from openvet.learning.assignments.models import (  # noqa: E402, F401
    Assignment,
    Criterion,
    CriterionGrade,
    PeerReview,
    Submission,
)

# Course groups and group documents (ADR 0756-0757) ------------------------------------------
from openvet.learning.collab.models import (  # noqa: E402, F401
    CourseGroup,
    DocumentComment,
    DocumentVersion,
    GroupDocument,
    GroupMember,
)
from openvet.learning.discussions.models import Post, Topic  # noqa: E402, F401

# Live in-class mode: its tables live in ``learning.live.models`` (ADR 0710); points and
# checkpoints in videos in ``learning.evidence_models`` (ADR 0730) --------------------------------
from openvet.learning.evidence_models import (  # noqa: E402, F401
    Checkpoint,
    CheckpointAnswer,
    PointWeights,
)
from openvet.learning.live.models import (  # noqa: E402, F401
    LiveAnswer,
    LiveComment,
    LiveConfusion,
    LiveParticipant,
    LiveQuestion,
    LiveSession,
    LiveSlide,
)

# Learning space: notes, favourites, certificates, portfolio (ADR 0755) ----------------------
from openvet.learning.space.models import (  # noqa: E402, F401
    Certificate,
    Favourite,
    Note,
    PortfolioLink,
    TeacherProfile,
)


class LibraryUnit(models.Model):
    """A unit that refers to a resource of the library (not a copy: it shows the resource's
    newest version); a fork is referred to the same way, as the teacher's own resource."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="library")
    resource = models.ForeignKey("resources.Resource", on_delete=models.PROTECT, related_name="+")
    forked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.resource_id}"


# Self-enrolment (ADR 0759-0760) ----------------------------------------------------------------
from openvet.learning.catalogue.models import (  # noqa: E402, F401
    Enrolment,
    EnrolmentPolicy,
    EnrolScope,
)
