"""Monthly internship data in the fields of the national internship public service platform
(全国职业院校学生实习公共服务平台), and graduate destinations, as .xlsx through
``core.exports`` (ADR 0013: text cells are never formulas).

The platform's import asks per intern: internship type (实习类型), organisation form
(组织形式: arranged by the school or chosen by the student), mode (实习方式: concentrated, when
several students of one plan are at one enterprise, else dispersed), the employer's unified
social credit code, the post, the period, agreement and insurance, pay and both mentors; we add
the month's check-in days and journals. Course codes of the internship course are not held yet.
"""

from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from openvet.core.exports import xlsx_bytes
from openvet.industry.codes import Destination, SalaryBand


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def internship_headers() -> list[str]:
    return [
        _("Student number"),
        _("Student name"),
        _("Major"),
        _("Class"),
        _("Internship type"),
        _("Organisation form"),
        _("Internship mode"),
        _("Employer"),
        _("Unified social credit code"),
        _("Post"),
        _("Start date"),
        _("End date"),
        _("Three-party agreement signed"),
        _("Liability insurance policy number"),
        _("Monthly pay (yuan)"),
        _("School mentor"),
        _("Enterprise mentor"),
        _("Check-in days this month"),
        _("Journals this month"),
        pgettext("internship grade", "Grade"),
    ]


def internship_month_xlsx(placements: Any, month: date) -> bytes:
    first, last = month_bounds(month)
    in_month = (
        placements.filter(start_date__lte=last, end_date__gte=first)
        .select_related(
            "student__major",
            "student__class_unit",
            "plan",
            "enterprise",
            "post",
            "school_mentor",
            "enterprise_mentor",
        )
        .annotate(
            month_checkins=Count(
                "checkins", filter=Q(checkins__at__date__range=(first, last)), distinct=True
            ),
            month_journals=Count(
                "journals", filter=Q(journals__week_start__range=(first, last)), distinct=True
            ),
        )
        .order_by("student__student_number")
    )
    rows = list(in_month)
    together = Counter((p.plan_id, p.enterprise_id) for p in rows)
    yes, no = _("Yes"), _("No")
    return xlsx_bytes(
        internship_headers(),
        (
            [
                p.student.student_number,
                p.student.name,
                p.student.major.name,
                p.student.class_unit.name if p.student.class_unit else "",
                p.plan.get_kind_display(),
                _("Arranged by the school"),
                _("Concentrated") if together[(p.plan_id, p.enterprise_id)] > 1 else _("Dispersed"),
                p.enterprise.name,
                p.enterprise.code,
                p.post.title,
                p.start_date.isoformat(),
                p.end_date.isoformat(),
                yes if p.agreement else no,
                p.insurance_policy,
                p.monthly_pay,
                p.school_mentor.full_name,
                p.enterprise_mentor.full_name,
                p.month_checkins,
                p.month_journals,
                p.get_grade_display(),
            ]
            for p in rows
        ),
    )


def destinations_xlsx(destinations: Any) -> bytes:
    headers = [
        _("Student number"),
        _("Student name"),
        _("Major"),
        _("Class"),
        _("Graduation year"),
        _("Destination code"),
        _("Destination"),
        _("Employer or school"),
        _("Region code"),
        _("Salary band"),
        _("Related to the major"),
    ]
    related = {True: _("Yes"), False: _("No"), None: ""}
    return xlsx_bytes(
        headers,
        (
            [
                d.student.student_number,
                d.student.name,
                d.student.major.name,
                d.student.class_unit.name if d.student.class_unit else "",
                d.graduation_year,
                d.destination,
                str(Destination(d.destination).label),
                d.employer,
                d.region_code,
                str(SalaryBand(d.salary_band).label) if d.salary_band else "",
                related[d.related_to_major],
            ]
            for d in destinations.order_by("student__student_number")
        ),
    )
