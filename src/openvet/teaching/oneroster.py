"""OneRoster academic sessions and courses as teaching terms and catalogue courses (ADR 0209).

Registered with the records OneRoster import and export, so that both run in their transaction
and bundle. A ``term`` or ``semester`` session becomes the school's term of its academic year:
an autumn start (August or later) is term 1 of the year it starts in, an earlier start term 2
of the year before, as the Chinese school year runs from autumn; week 1 starts on the Monday of
the start date's week, and the term runs to the end date's week. A course becomes an entry of
the catalogue by its code (``courseCode``, else its sourcedId); what OneRoster lacks (hours,
credits, type, assessment) travels in ``metadata.openvet.*`` columns of our own export, else a
new course starts as a major core course with an examination and no hours, to be completed in
the catalogue.
"""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from openvet.core.errors import DomainError
from openvet.core.models import OrgUnit
from openvet.records.services import (
    OneRosterImportContext,
    SourcedIdOf,
    oneroster_extension_register,
)
from openvet.teaching import services
from openvet.teaching.models import Assessment, Course, CourseType, Term

META = "metadata.openvet."
TERM, COURSE = "term", "course"  # the kinds of kept sourcedIds
SESSION_TYPES = ("term", "semester")
COURSE_META = {  # metadata column -> catalogue field
    "courseType": "course_type",
    "assessment": "assessment",
    "theoryHours": "theory_hours",
    "practiceHours": "practice_hours",
    "credits": "credits",
}


def term_values(row: dict[str, str]) -> dict[str, Any]:
    start, end = date.fromisoformat(row["startDate"]), date.fromisoformat(row["endDate"])
    monday = start - timedelta(days=start.weekday())
    number = 1 if start.month >= 8 else 2
    return {
        "academic_year": start.year if number == 1 else start.year - 1,
        "number": number,
        "start_date": monday,
        "weeks": min(30, max(1, (end - monday).days // 7 + 1)),
    }


def _report(
    context: OneRosterImportContext,
    name: str,
    row: dict[str, str],
    exc: DomainError,
    columns: dict[str, str],
    default: str,
) -> None:
    """The teaching services' refusal, per field where they name one, as bundle problems."""
    if not isinstance(exc.details, dict) or not exc.details:
        context.problem(name, row, default, str(exc.message))
        return
    for field, message in exc.details.items():
        context.problem(name, row, columns.get(field, default), str(message))


def _changes(obj: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if getattr(obj, k) != v}


class TeachingRoster:
    files: tuple[str, ...] = ("academicSessions", "courses")

    def import_rows(self, context: OneRosterImportContext) -> None:
        claimed: set[int] = set()
        for row in context.rows("academicSessions"):
            self._session(context, row, claimed)
        for row in context.rows("courses"):
            self._course(context, row)

    def _session(
        self, context: OneRosterImportContext, row: dict[str, str], claimed: set[int]
    ) -> None:
        if row.get("status") == "tobedeleted":
            context.skip("academicSessions", row, _("The bundle marks it tobedeleted."))
            return
        if row.get("type") not in SESSION_TYPES:
            context.skip(
                "academicSessions", row, _("Only terms and semesters become teaching terms.")
            )
            return
        values = term_values(row)
        pk = context.find(TERM, row["sourcedId"])
        term = Term.objects.filter(org=context.school, pk=pk).first() if pk else None
        term = (
            term
            or Term.objects.filter(
                org=context.school, academic_year=values["academic_year"], number=values["number"]
            ).first()
        )
        if term is not None and term.pk in claimed:
            context.skip(
                "academicSessions",
                row,
                _("Another session of the bundle already is this term of this academic year."),
            )
            return
        try:
            term = self._save_term(context, term, values)
        except DomainError as exc:
            _report(context, "academicSessions", row, exc, {"weeks": "endDate"}, "startDate")
            return
        claimed.add(term.pk)
        context.keep(TERM, row["sourcedId"], term.pk)

    def _save_term(
        self, context: OneRosterImportContext, term: Term | None, values: dict[str, Any]
    ) -> Term:
        if term is None:
            context.done("academicSessions", created=True, changed=True)
            return services.term_create(actor=context.actor, school=context.school, **values)
        changes = _changes(term, values)
        context.done("academicSessions", created=False, changed=bool(changes))
        if not changes:
            return term
        return services.term_update(actor=context.actor, term=term, **changes)

    def _course(self, context: OneRosterImportContext, row: dict[str, str]) -> None:
        if row.get("status") == "tobedeleted":
            context.skip("courses", row, _("The bundle marks it tobedeleted."))
            return
        if row.get(META + "kind") == "major":
            context.skip(
                "courses", row, _("A major travels as a course; it is imported as an organisation.")
            )
            return
        values: dict[str, Any] = {
            "code": (row.get("courseCode") or row["sourcedId"])[:20],
            "name": row["title"][:100],
        }
        for column, name in COURSE_META.items():
            value = _parse(name, row.get(META + column, ""))
            if value is not None:
                values[name] = value
        pk = context.find(COURSE, row["sourcedId"])
        course = Course.objects.filter(org=context.school, pk=pk).first() if pk else None
        course = course or Course.objects.filter(org=context.school, code=values["code"]).first()
        try:
            course = self._save_course(context, course, values)
        except DomainError as exc:
            _report(context, "courses", row, exc, {"name": "title"}, "courseCode")
            return
        context.keep(COURSE, row["sourcedId"], course.pk)

    def _save_course(
        self, context: OneRosterImportContext, course: Course | None, values: dict[str, Any]
    ) -> Course:
        if course is None:
            context.done("courses", created=True, changed=True)
            values.setdefault("course_type", CourseType.MAJOR_CORE)
            return services.course_create(actor=context.actor, school=context.school, **values)
        changes = _changes(course, values)
        context.done("courses", created=False, changed=bool(changes))
        if not changes:
            return course
        return services.course_update(actor=context.actor, course=course, **changes)

    def export_rows(
        self, *, school: OrgUnit, sourced_id: SourcedIdOf
    ) -> dict[str, list[dict[str, Any]]]:
        school_id = sourced_id("org", school.pk, f"org-{school.pk}")
        sessions = [
            {
                "sourcedId": sourced_id(TERM, term.pk, f"term-{term.pk}"),
                "title": str(term),
                "type": "semester",
                "startDate": term.start_date.isoformat(),
                "endDate": (term.start_date + timedelta(days=7 * term.weeks - 1)).isoformat(),
                "schoolYear": str(term.academic_year + 1),
            }
            for term in Term.objects.filter(org=school).order_by("academic_year", "number")
        ]
        courses = [
            {
                "sourcedId": sourced_id(COURSE, course.pk, f"catalogue-{course.pk}"),
                "title": course.name,
                "courseCode": course.code,
                "orgSourcedId": school_id,
                **{META + column: getattr(course, name) for column, name in COURSE_META.items()},
            }
            for course in Course.objects.filter(org=school).order_by("code")
        ]
        return {"academicSessions": sessions, "courses": courses}


def _parse(name: str, value: str) -> Any:
    """A catalogue field from our export's metadata column; None when absent or not valid."""
    if name == "course_type":
        return value if value in CourseType.values else None
    if name == "assessment":
        return value if value in Assessment.values else None
    if name == "credits":
        try:
            return Decimal(value) if value else None
        except InvalidOperation:
            return None
    return int(value) if value.isdigit() else None


def register() -> None:
    oneroster_extension_register(ROSTER)


ROSTER = TeachingRoster()
