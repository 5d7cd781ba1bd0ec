"""Code tables of student and staff records, each naming its standard.

Names of ethnic groups (GB 3304) and political status (GB/T 4762) come from the data files
under ``records/data/``; the choices below have English labels translated in the .po file.
"""

import csv
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DATA_DIR = Path(__file__).resolve().parent / "data"


class Gender(models.TextChoices):
    # GB/T 2261.1-2003 人的性别代码
    UNKNOWN = "0", _("Unknown")
    MALE = "1", _("Male")
    FEMALE = "2", _("Female")
    UNSTATED = "9", _("Not stated")


class IdType(models.TextChoices):
    # JY/T 1001 身份证件类型 SFZJLX; the codes were seen only in inconsistent forms (see
    # STANDARDS-CN.md 3.7), so only 1 resident ID is checked as a GB 11643 number.
    RESIDENT_ID = "1", _("Resident identity card")
    HK_MACAO_PASS = "6", _("Hong Kong / Macao residence permit")
    TAIWAN_PASS = "8", _("Taiwan residence permit")
    PASSPORT = "A", _("Passport")
    OTHER = "Z", _("Other")


class EnrolmentSource(models.TextChoices):
    NATIONAL_EXAM = "national_exam", _("National college entrance exam")
    SEPARATE_ADMISSION = "separate_admission", _("Separate admission")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("From secondary vocational school")
    EXPANDED_ENROLMENT = "expanded_enrolment", _("Expanded enrolment (adults)")
    JUNIOR_HIGH = "junior_high", _("From junior high school")
    OTHER = "other", _("Other")


class StudyForm(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")


class StudentStatus(models.TextChoices):
    # JY/T 1001 学生当前状态代码 XSDQZT
    ENROLLED = "01", _("Enrolled")
    SUSPENDED = "02", _("On leave of absence")
    # "Withdrawn" alone is also the state of a withdrawn application: the context tells them apart.
    WITHDRAWN = "03", pgettext_lazy("student status", "Withdrawn")
    STOPPED = "04", _("Study stopped")
    RESUMED = "05", _("Resumed")
    DROPPED_OUT = "06", _("Left without notice")
    GRADUATED = "07", _("Graduated")
    COMPLETED = "08", _("Completed without degree")
    INCOMPLETE = "09", _("Left with certificate of attendance")
    TRANSFERRED_OUT = "10", _("Transferred out")
    DECEASED = "11", _("Deceased")
    ADMISSION_RESERVED = "12", _("Admission reserved")
    ABROAD = "13", _("Studying abroad (state-sponsored)")
    EXPELLED = "14", _("Expelled")
    MISSING = "15", _("Whereabouts unknown")
    OTHER = "99", _("Other (status reserved)")


# A student in one of these has left; no further change is possible.
FINAL_STATUSES = frozenset(
    {
        StudentStatus.WITHDRAWN,
        StudentStatus.GRADUATED,
        StudentStatus.COMPLETED,
        StudentStatus.INCOMPLETE,
        StudentStatus.TRANSFERRED_OUT,
        StudentStatus.DECEASED,
        StudentStatus.EXPELLED,
    }
)


class ChangeType(models.TextChoices):
    # JY/T 1001 学籍异动类别代码 XJYDLB (STANDARDS-CN.md 3.2); the ones handled here.
    EXTEND = "06", _("Extension of study period")
    SUSPEND = "11", _("Leave of absence")
    RESUME = "12", _("Resumption of study")
    RESERVE = "19", _("Reservation of student status")
    TRANSFER_OUT = "21", _("Transfer to another school")
    TRANSFER_IN = "22", _("Transfer from another school")
    CHANGE_MAJOR = "23", _("Change of major")
    WITHDRAW = "31", _("Withdrawal")
    EXPEL = "42", _("Expulsion")
    GRADUATE = "61", _("Graduation")
    COMPLETE = "62", _("Completion without graduation")
    INCOMPLETE = "63", _("Leaving with certificate of attendance")


class ChangeReason(models.TextChoices):
    # JY/T 1001 学籍异动原因代码 XJYDYY (first level and common second-level codes)
    EXCELLENT = "01", _("Excellent results")
    ILLNESS = "10", _("Illness")
    MENTAL_ILLNESS = "11", _("Mental illness")
    INFECTIOUS_DISEASE = "12", _("Infectious disease")
    VOLUNTARY = "21", _("Own request")
    POOR_RESULTS = "22", _("Poor results")
    CRIMINAL_OFFENCE = "23", _("Criminal offence")
    ENTREPRENEURSHIP = "24", _("Leave to start a business")
    PRACTICE = "25", _("Practice or job seeking")
    FAMILY_ILLNESS = "26", _("Serious illness in the family")
    POVERTY = "27", _("Financial hardship")
    LEAVE_EXPIRED = "31", _("Did not resume after leave")
    FEES_UNPAID = "32", _("Fees wilfully unpaid")
    PERIOD_EXCEEDED = "33", _("Maximum study period exceeded")
    MILITARY_SERVICE = "34", _("Military service")
    OTHER_WITHDRAWAL = "39", _("Other reason for withdrawal")
    OTHER = "99", _("Other")


# The reasons each kind of change offers (ADR 0212). JY/T 1001 codes the reasons (XJYDYY) and
# the kinds (XJYDLB) but does not pair them; this pairing is ours: a change of major for
# results or health, a withdrawal for the withdrawal reasons, and so on. "99 Other" fits all.
_HEALTH = ("10", "11", "12")
CHANGE_REASONS: dict[str, tuple[str, ...]] = {
    ChangeType.EXTEND: (*_HEALTH, "22", "24", "25", "99"),
    ChangeType.SUSPEND: (*_HEALTH, "24", "25", "26", "27", "34", "99"),
    ChangeType.RESUME: ("99",),
    ChangeType.RESERVE: (*_HEALTH, "34", "99"),
    ChangeType.TRANSFER_OUT: (*_HEALTH, "26", "27", "99"),
    ChangeType.TRANSFER_IN: (*_HEALTH, "26", "27", "99"),
    ChangeType.CHANGE_MAJOR: ("01", *_HEALTH, "22", "99"),
    ChangeType.WITHDRAW: (*_HEALTH, "21", "22", "27", "31", "32", "33", "34", "39", "99"),
    ChangeType.EXPEL: ("23", "99"),
    ChangeType.GRADUATE: ("99",),
    ChangeType.COMPLETE: ("22", "33", "99"),
    ChangeType.INCOMPLETE: ("22", "33", "99"),
}


def reasons_for(change_type: str) -> list[tuple[str, Any]]:
    """The (code, label) reasons that fit ``change_type``, in code order."""
    codes = CHANGE_REASONS.get(change_type, tuple(ChangeReason.values))
    return [(code, label) for code, label in ChangeReason.choices if code in codes]


class PostType(models.TextChoices):
    FULL_TIME_TEACHER = "teacher", _("Full-time teacher")
    ADMINISTRATIVE = "administrative", _("Administrative staff")
    TEACHING_SUPPORT = "teaching_support", _("Teaching support staff")
    SERVICE = "service", _("Service staff")
    ENTERPRISE_TEACHER = "enterprise_teacher", _("Part-time teacher from an enterprise")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctoral study")
    MASTER = "master", _("Master's study")
    BACHELOR = "bachelor", _("Undergraduate")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    SECONDARY = "secondary", _("Secondary school or below")


class Degree(models.TextChoices):
    NONE = "", _("No degree")
    DOCTOR = "doctor", _("Doctor")
    MASTER = "master", _("Master")
    BACHELOR = "bachelor", _("Bachelor")


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("In post")
    LEAVE = "leave", _("On leave")
    RETIRED = "retired", _("Retired")
    LEFT = "left", _("Left")


class QualificationKind(models.TextChoices):
    TEACHER_CERTIFICATE = "teacher_certificate", _("Teacher qualification")
    VOCATIONAL = "vocational", _("Vocational qualification or skill certificate")
    TITLE = "title", _("Industry professional title")
    OTHER = "other", _("Other")


@cache
def _table(name: str) -> dict[str, str]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def ethnicity_names() -> dict[str, str]:
    """GB 3304-1991 民族 codes, two digits with a leading zero."""
    return _table("ethnicity_gb3304.csv")


def political_status_names() -> dict[str, str]:
    """GB/T 4762-1984 政治面貌 codes."""
    return _table("political_status_gb4762.csv")
