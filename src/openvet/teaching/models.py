"""Teaching tables: terms and their calendar, bell schedules, rooms, the course catalogue,
talent-training programmes, teaching tasks, the timetable, adjustments and solver runs.

Every table is org-owned: ``org`` is the school for terms, bells, rooms and courses, the major
for programmes and the smallest unit holding all of a task's classes for teaching tasks.
Timetable rows are reached through their task. See ``README.md`` for the full description.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ORG = "core.OrgUnit"
USER = settings.AUTH_USER_MODEL


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class TermNumber(models.IntegerChoices):
    FIRST = 1, _("First term")
    SECOND = 2, _("Second term")


class Term(models.Model):
    """A term of a school: academic year, number, first Monday and teaching weeks."""

    org = models.ForeignKey(
        ORG, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    academic_year = models.PositiveSmallIntegerField(
        _("academic year"), help_text=_("The year the academic year starts in, e.g. 2025.")
    )
    number = models.PositiveSmallIntegerField(_("term"), choices=TermNumber.choices)
    start_date = models.DateField(_("first day of week 1"))
    weeks = models.PositiveSmallIntegerField(_("teaching weeks"), default=18)
    teaching_days = models.PositiveSmallIntegerField(_("teaching days per week"), default=5)
    max_daily_periods = models.PositiveSmallIntegerField(
        _("most periods a class should have per day"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["org_id", "-academic_year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "academic_year", "number"], name="teaching_term_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.academic_year}-{self.academic_year + 1}-{self.number}"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday: no lectures")
    WORKDAY = "workday", _("Make-up working day: holds another day's lectures")


class CalendarDay(models.Model):
    """A dated exception to the teaching calendar: a holiday, or a make-up working day
    that holds the lectures of ``follows_date`` (usually a holiday of the same term)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=CalendarDayKind.choices)
    follows_date = models.DateField(_("holds the lectures of"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["term", "date"], name="teaching_calendarday_unique"),
            models.CheckConstraint(
                condition=Q(kind="holiday", follows_date__isnull=True)
                | Q(kind="workday", follows_date__isnull=False),
                name="teaching_calendarday_follows",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


class BellPeriod(models.Model):
    """One period of a school's bell schedule."""

    org = models.ForeignKey(
        ORG, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("period"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        ordering = ["org_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="teaching_bellperiod_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="teaching_bellperiod_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class RoomType(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary classroom")
    MULTIMEDIA = "multimedia", _("Multimedia classroom")
    COMPUTER_LAB = "computer_lab", _("Computer lab")
    TRAINING = "training", _("Training room")


class Room(models.Model):
    org = models.ForeignKey(
        ORG, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    building = models.CharField(_("building"), max_length=60)
    number = models.CharField(_("room number"), max_length=20)
    name = models.CharField(_("name"), max_length=80, blank=True)
    capacity = models.PositiveIntegerField(_("seats"))
    room_type = models.CharField(
        _("room type"), max_length=16, choices=RoomType.choices, default=RoomType.ORDINARY
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["org_id", "building", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "building", "number"], name="teaching_room_unique"
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.building} {self.number}"
        return f"{label} {self.name}" if self.name else label


class CourseType(models.TextChoices):
    PUBLIC_BASIC = "public_basic", _("Public basic course")
    MAJOR_BASIC = "major_basic", _("Major basic course")
    MAJOR_CORE = "major_core", _("Major core course")
    MAJOR_EXTENSION = "major_extension", _("Major extension course")
    PRACTICE = "practice", _("Internship and practical training")


class Assessment(models.TextChoices):
    EXAM = "exam", _("Examination")
    TEST = "test", _("Assessment by coursework")


class Course(models.Model):
    """An entry of a school's course catalogue."""

    org = models.ForeignKey(
        ORG, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("course code"), max_length=20)
    name = models.CharField(_("course name"), max_length=100)
    theory_hours = models.PositiveSmallIntegerField(_("theory hours"), default=0)
    practice_hours = models.PositiveSmallIntegerField(_("practice hours"), default=0)
    credits = models.DecimalField(_("credits"), max_digits=4, decimal_places=1, default=0)
    course_type = models.CharField(_("course type"), max_length=16, choices=CourseType.choices)
    assessment = models.CharField(
        _("assessment"), max_length=8, choices=Assessment.choices, default=Assessment.EXAM
    )
    room_type = models.CharField(
        _("usual room type"), max_length=16, choices=RoomType.choices, default=RoomType.ORDINARY
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["org_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="teaching_course_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def total_hours(self) -> int:
        return self.theory_hours + self.practice_hours


class Programme(models.Model):
    """A talent-training programme of a major for one intake year.

    ``version`` counts the programmes of the major; a new intake gets a new version (usually
    copied from the previous one with ``programme_new_version``) and old cohorts keep theirs.
    """

    org = models.ForeignKey(
        ORG, verbose_name=_("major"), on_delete=models.PROTECT, related_name="+"
    )
    intake_year = models.PositiveSmallIntegerField(_("intake year"))
    version = models.PositiveSmallIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=120)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["org_id", "-intake_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "intake_year"], name="teaching_programme_intake_unique"
            ),
            models.UniqueConstraint(
                fields=["org", "version"], name="teaching_programme_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeCourse(models.Model):
    """A course of a programme in one semester (1 = first term of the intake year)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="courses")
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+"
    )
    semester = models.PositiveSmallIntegerField(_("semester"))
    is_required = models.BooleanField(_("required"), default=True)
    weekly_hours = models.PositiveSmallIntegerField(_("periods per week"), default=2)
    block = models.PositiveSmallIntegerField(_("consecutive periods"), default=1)
    training_weeks = models.PositiveSmallIntegerField(_("whole training weeks"), default=0)
    certificates = models.CharField(_("1+X certificates"), max_length=200, blank=True)

    class Meta:
        ordering = ["semester", "course__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "course", "semester"], name="teaching_programmecourse_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} S{self.semester} {self.course_id}"


class WeekParity(models.TextChoices):
    ALL = "all", _("Every week")
    ODD = "odd", _("Odd weeks")
    EVEN = "even", _("Even weeks")


class TeachingTask(models.Model):
    """A teaching task: one course taught to one or more classes by one or more
    teachers in a term, with its weekly load, weeks and room needs."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="tasks")
    org = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+"
    )
    classes: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        ORG, verbose_name=_("classes"), related_name="+"
    )
    teachers: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        USER, verbose_name=_("teachers"), related_name="+", blank=True
    )
    source = models.ForeignKey(
        ProgrammeCourse,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    weekly_hours = models.PositiveSmallIntegerField(_("periods per week"), default=2)
    week_start = models.PositiveSmallIntegerField(_("first week"), default=1)
    week_end = models.PositiveSmallIntegerField(_("last week"))
    week_parity = models.CharField(
        _("weeks"), max_length=4, choices=WeekParity.choices, default=WeekParity.ALL
    )
    room_type = models.CharField(
        _("room type"), max_length=16, choices=RoomType.choices, default=RoomType.ORDINARY
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("named room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    block = models.PositiveSmallIntegerField(_("consecutive periods"), default=1)
    student_count = models.PositiveIntegerField(_("students"), default=0)

    class Meta:
        verbose_name = _("teaching task")
        verbose_name_plural = _("teaching tasks")
        ordering = ["term_id", "course__code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(week_end__gte=models.F("week_start")), name="teaching_task_weeks"
            ),
            models.CheckConstraint(
                condition=Q(block__gte=1, block__lte=3), name="teaching_task_block"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.term})"


class TrainingWeek(models.Model):
    """A whole training week of a class: its normal lectures are suspended."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="training_weeks")
    class_unit = models.ForeignKey(
        ORG, verbose_name=_("class"), on_delete=models.PROTECT, related_name="+"
    )
    week = models.PositiveSmallIntegerField(_("week"))
    task = models.ForeignKey(
        TeachingTask,
        verbose_name=_("training task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_weeks",
    )

    class Meta:
        ordering = ["term_id", "class_unit_id", "week"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "class_unit", "week"], name="teaching_trainingweek_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.class_unit_id} W{self.week}"


class TeacherTime(models.Model):
    """A teacher's unavailable or undesired period in a term (for the solver)."""

    class Level(models.TextChoices):
        UNAVAILABLE = "unavailable", _("Unavailable")
        UNDESIRED = "undesired", _("Rather not")

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="teacher_times")
    teacher = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    period = models.PositiveSmallIntegerField(_("period"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["term", "teacher", "weekday", "period"], name="teaching_teachertime_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher_id} {self.weekday}/{self.period} {self.level}"


class TimetableEntry(models.Model):
    """A weekly lecture of a task: weekday (1 = Monday), first period, length, room and weeks."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="entries")
    task = models.ForeignKey(TeachingTask, on_delete=models.CASCADE, related_name="entries")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    period_start = models.PositiveSmallIntegerField(_("first period"))
    length = models.PositiveSmallIntegerField(_("periods"), default=1)
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    week_start = models.PositiveSmallIntegerField(_("first week"))
    week_end = models.PositiveSmallIntegerField(_("last week"))
    week_parity = models.CharField(
        _("weeks"), max_length=4, choices=WeekParity.choices, default=WeekParity.ALL
    )
    is_locked = models.BooleanField(_("keep when re-solving"), default=False)
    solver_run = models.ForeignKey(
        "SolverRun",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("timetable entry")
        verbose_name_plural = _("timetable entries")
        ordering = ["term_id", "weekday", "period_start", "id"]
        indexes = [models.Index(fields=["term", "weekday"], name="teaching_entry_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=1, weekday__lte=7), name="teaching_entry_weekday"
            ),
            models.CheckConstraint(condition=Q(length__gte=1), name="teaching_entry_length"),
            models.CheckConstraint(
                condition=Q(week_end__gte=models.F("week_start")), name="teaching_entry_weeks"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} D{self.weekday} P{self.period_start}+{self.length}"

    @property
    def period_end(self) -> int:
        return self.period_start + self.length - 1


class AdjustmentKind(models.TextChoices):
    RESCHEDULE = "reschedule", _("Reschedule a lecture")
    CANCEL = "cancel", _("Cancel a lecture")
    MAKEUP = "makeup", _("Make-up lecture")


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Adjustment(models.Model):
    """A request to move, cancel or add one lecture; it changes the
    timetable only once approved through the ``teaching.adjustment`` process."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="adjustments")
    task = models.ForeignKey(TeachingTask, on_delete=models.CASCADE, related_name="adjustments")
    org = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=AdjustmentKind.choices)
    # The lecture moved or cancelled is named by task, date and first period, so that the
    # adjustment survives a re-published timetable; ``entry`` is kept for reference only.
    entry = models.ForeignKey(
        TimetableEntry,
        verbose_name=_("lecture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adjustments",
    )
    original_date = models.DateField(_("date of the lecture"), null=True, blank=True)
    original_period_start = models.PositiveSmallIntegerField(null=True, blank=True)
    new_date = models.DateField(_("new date"), null=True, blank=True)
    new_period_start = models.PositiveSmallIntegerField(
        _("new first period"), null=True, blank=True
    )
    new_length = models.PositiveSmallIntegerField(_("periods"), null=True, blank=True)
    new_room = models.ForeignKey(
        Room,
        verbose_name=_("new room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AdjustmentStatus.choices,
        default=AdjustmentStatus.PENDING,
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    process_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("timetable adjustment")
        verbose_name_plural = _("timetable adjustments")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        # Read in the audit log: the course by name, not its task id.
        day = self.original_date or self.new_date
        return f"{self.get_kind_display()}: {self.task.course.name} {day}"


class Notice(models.Model):
    """An in-app notice to a student or teacher that their timetable changed: one approved
    adjustment, or a published solver run with the person's own ``changes`` (a list of
    ``{"course", "old", "new"}``, each slot ``[weekday, first period, length, room name]`` or
    null for a lesson added or removed)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    adjustment = models.ForeignKey(
        Adjustment, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    solver_run = models.ForeignKey(
        "SolverRun", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    changes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "adjustment"], name="teaching_notice_unique"),
            models.UniqueConstraint(
                fields=["user", "solver_run"], name="teaching_notice_run_unique"
            ),
            models.CheckConstraint(
                condition=Q(adjustment__isnull=True) ^ Q(solver_run__isnull=True),
                name="teaching_notice_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.adjustment_id}"


class SolverStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished: ready for review")
    FAILED = "failed", _("Failed")
    PUBLISHED = "published", _("Published")


class SolverPhase(models.TextChoices):
    """What a running solve is doing, shown beside its progress bar."""

    PREPARING = "preparing", _("Reading the teaching tasks and preparing the solver")
    CONFLICTS = "conflicts", _("Removing conflicts")
    IMPROVING = "improving", _("Improving the arrangement")


class SolverRun(models.Model):
    """One run of the timetabling solver for a term (or one imported ITC-2007 solution).

    ``result`` holds the proposed lectures as ``[task_id, room_id, weekday, period]`` rows;
    nothing reaches the timetable until the run is published.
    """

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="solver_runs")
    status = models.CharField(
        _("status"), max_length=10, choices=SolverStatus.choices, default=SolverStatus.QUEUED
    )
    seed = models.PositiveIntegerField(_("seed"), default=0)
    time_limit = models.PositiveIntegerField(_("time limit (seconds)"), default=30)
    minimal_perturbation = models.BooleanField(
        _("keep the current timetable where possible"), default=False
    )
    progress = models.FloatField(default=0)
    phase = models.CharField(max_length=12, choices=SolverPhase.choices, blank=True)
    best_hard = models.IntegerField(null=True, blank=True)
    best_soft = models.IntegerField(null=True, blank=True)
    hard = models.JSONField(default=dict, blank=True)
    soft = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    is_import = models.BooleanField(default=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("solver run")
        verbose_name_plural = _("solver runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.term_id} #{self.pk} {self.status}"


class FeedToken(models.Model):
    """The secret in a person's iCalendar feed URL; resetting it revokes the old URL."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id}"


from openvet.teaching.attendance.models import *  # noqa: E402, F403
from openvet.teaching.evaluation.models import *  # noqa: E402, F403
from openvet.teaching.grades.models import *  # noqa: E402, F403
from openvet.teaching.selection.models import *  # noqa: E402, F403
