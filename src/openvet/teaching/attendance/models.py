"""Attendance (考勤): sign-in sessions of lectures, records per student, leave requests and
alerts to counsellors.

A session's sign-in code is an HMAC of the session id and a time window (``attendance.codes``),
so rotating it writes nothing to the database.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ORG = "core.OrgUnit"
USER = settings.AUTH_USER_MODEL


class RoomLocation(models.Model):
    """Where a room is, for sign-in by geolocation (rooms carry no coordinates themselves)."""

    room = models.OneToOneField("teaching.Room", on_delete=models.CASCADE, related_name="+")
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    radius_m = models.PositiveIntegerField(_("allowed distance (metres)"), default=100)

    class Meta:
        verbose_name = _("room location")
        verbose_name_plural = _("room locations")

    def __str__(self) -> str:
        return f"{self.room_id} {self.latitude:.5f},{self.longitude:.5f}"


class AttendanceSession(models.Model):
    """The sign-in of one lecture: task + date + first period."""

    task = models.ForeignKey("teaching.TeachingTask", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    date = models.DateField(_("date"))
    period_start = models.PositiveSmallIntegerField(_("first period"))
    room = models.ForeignKey(
        "teaching.Room", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(_("lecture starts"))
    ends_at = models.DateTimeField(_("lecture ends"))
    late_after_minutes = models.PositiveSmallIntegerField(_("late after (minutes)"), default=10)
    require_location = models.BooleanField(_("require the phone's location"), default=False)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance session")
        verbose_name_plural = _("attendance sessions")
        ordering = ["-date", "-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "date", "period_start"], name="teaching_attsession_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="teaching_attsession_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.date} P{self.period_start}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    LEAVE = "leave", pgettext_lazy("attendance", "On leave")


class AttendanceRecord(models.Model):
    session = models.ForeignKey(AttendanceSession, on_delete=models.CASCADE, related_name="records")
    student = models.ForeignKey("records.Student", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=AttendanceStatus.choices)
    signed_at = models.DateTimeField(null=True, blank=True)
    distance_m = models.PositiveIntegerField(null=True, blank=True)
    marked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["session_id", "student_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "student"], name="teaching_attrecord_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.student_id} {self.get_status_display()}"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LeaveRequest(models.Model):
    """A student's leave (请假) from date to date, approved by the counsellor (workflow)."""

    student = models.ForeignKey("records.Student", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", editable=False)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    process_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__gte=F("date_from")), name="teaching_leave_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.date_from}–{self.date_to}"


class AttendanceAlert(models.Model):
    """A notice to a counsellor: a student missed more than the allowed share of a course."""

    counsellor = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("records.Student", on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey("teaching.TeachingTask", on_delete=models.CASCADE, related_name="+")
    absences = models.PositiveIntegerField()
    sessions = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["counsellor", "student", "task"], name="teaching_attalert_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counsellor_id}: {self.student_id} {self.absences}/{self.sessions}"


__all__ = [
    "AttendanceAlert",
    "AttendanceRecord",
    "AttendanceSession",
    "LeaveRequest",
    "RoomLocation",
]
