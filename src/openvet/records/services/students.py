"""Writes to student records: create, update, upsert (for importers), link, photo."""

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from openvet.core import policy, validation
from openvet.core.audit import AuditAction, audit_record, diff
from openvet.core.errors import ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.pii import REVEAL_CAPABILITY, Disclosure, looks_masked
from openvet.core.policy import Actor
from openvet.records.codes import (
    EnrolmentSource,
    StudentStatus,
    StudyForm,
    ethnicity_names,
    political_status_names,
)
from openvet.records.models import MajorIntakePlan, Student, StudentHistory
from openvet.records.services.common import (
    CleanPhoto,
    age_on,
    check_name,
    clean_photo,
    require_school,
    resolve_unit,
    validate_person,
)
from openvet.records.services.persons import (
    person_fill,
    person_find,
    person_link_user,
    person_public,
    person_save,
)

ADULT_AGE = 18
# The codes as sets, built once: ``Choices.values`` builds a new list on every call, and the
# bulk importer checks every row against them.
_ENROLMENT_SOURCES = frozenset(EnrolmentSource.values)
_STUDY_FORMS = frozenset(StudyForm.values)
_PLAIN_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "political_status",
    "household_registration",
    "enrolment_source",
    "grade_year",
    "schooling_years",
    "study_form",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
)
_PLACEMENT_FIELDS = ("department", "major", "class_unit", "major_code", "class_code")
# Never written to the audit log or history in clear.
_PII_FIELDS = frozenset({"id_number", "guardian_phone"})


def place_student(
    student: Student, school: OrgUnit, values: dict[str, Any], errors: dict[str, str]
) -> None:
    """Set department, major, class and ``org``; class within major within department."""
    major = resolve_unit(
        school, values.get("major"), OrgKind.MAJOR, code=str(values.get("major_code") or "")
    )
    if major is None:
        errors["major"] = _("Choose a major of this school.")
        return
    department = major.parent
    given_department = resolve_unit(school, values.get("department"), OrgKind.DEPARTMENT)
    if values.get("department") not in (None, "") and given_department != department:
        errors["department"] = _("This major does not belong to this department.")
        return
    class_unit = resolve_unit(
        school, values.get("class_unit"), OrgKind.CLASS, code=str(values.get("class_code") or "")
    )
    wants_class = values.get("class_unit") not in (None, "") or values.get("class_code")
    if wants_class and (class_unit is None or class_unit.parent_id != major.pk):
        errors["class_unit"] = _("This class does not belong to the chosen major.")
        return
    student.school = school
    student.department = department  # type: ignore[assignment]
    student.major, student.class_unit = major, class_unit
    student.org = class_unit or major


def validate_student_fields(student: Student, errors: dict[str, str]) -> None:
    """The single-record rules of a student, added to ``errors`` by field; the bulk importer
    holds every row to them too."""
    validate_person(student, errors, number_field="student_number")
    if student.ethnicity and student.ethnicity not in ethnicity_names():
        errors["ethnicity"] = _("Use a two-digit GB 3304 ethnicity code, such as 01.")
    if student.political_status and student.political_status not in political_status_names():
        errors["political_status"] = _("Use a two-digit GB/T 4762 political status code.")
    if student.enrolment_source and student.enrolment_source not in _ENROLMENT_SOURCES:
        errors["enrolment_source"] = _("Choose a known source of enrolment.")
    if student.study_form not in _STUDY_FORMS:
        errors["study_form"] = _("Choose full-time or part-time.")
    if not 1990 <= int(student.grade_year or 0) <= 2100:
        errors["grade_year"] = _("Enter the four-digit year the student started.")
    if not 1 <= int(student.schooling_years or 0) <= 8:
        errors["schooling_years"] = _("The length of schooling is 1 to 8 years.")
    check_name(
        student, "household_registration", _("Household registration"), errors, required=False
    )
    if looks_masked(student.household_registration):
        errors["household_registration"] = _(
            "This household registration is masked (it has ***): enter the full address, or "
            "leave the column out to keep the one on file."
        )
    check_name(student, "guardian_name", _("Guardian's name"), errors, required=False)
    check_name(student, "guardian_relation", _("Guardian's relation"), errors, required=False)
    phone = validation.phone_error(student.guardian_phone, label=_("Guardian's phone"))
    if phone:
        errors["guardian_phone"] = phone
    age = age_on(student.birth_date)
    if (
        age is not None
        and age < ADULT_AGE
        and not (student.guardian_name.strip() and student.guardian_phone.strip())
    ):
        errors["guardian_name"] = _("A student under 18 needs a guardian's name and phone.")


def _fill(student: Student, school: OrgUnit, values: dict[str, Any]) -> None:
    def place(person: Student, errors: dict[str, str]) -> None:
        if any(field in values for field in _PLACEMENT_FIELDS):
            place_student(person, school, values, errors)

    person_fill(
        student,
        values=values,
        plain_fields=_PLAIN_FIELDS,
        place=place,
        validate=validate_student_fields,
    )


def _save(student: Student) -> None:
    person_save(
        student,
        number_field="student_number",
        duplicate=_(
            "A student with this student number or ID number already exists in this school."
        ),
    )


def _public(values: dict[str, Any]) -> dict[str, Any]:
    return person_public(values, pii=_PII_FIELDS)


def _snapshot(student: Student, fields: list[str]) -> dict[str, Any]:
    return {
        f: getattr(student, f"{f}_id" if f in ("department", "major", "class_unit") else f)
        for f in fields
        if hasattr(student, f)
    }


def history_add(
    student: Student, kind: str, *, actor: Actor, changes: dict[str, Any], change: Any = None
) -> None:
    StudentHistory.objects.create(
        student=student, kind=kind, actor_id=actor.pk, changes=_public(changes), change=change
    )


@transaction.atomic
def student_create(
    *, actor: Actor, school: OrgUnit, photo: UploadedFile | None = None, **values: Any
) -> Student:
    """Create a record (``photo`` optional); all of it or, on any bad field, nothing."""
    require_school(school)
    cleaned = clean_photo(photo) if photo is not None else None
    student = Student(
        school=school,
        student_number=str(values.pop("student_number", "")),
        status=StudentStatus.ENROLLED,
    )
    if "major" not in values and "major_code" not in values:
        raise ValidationFailed(details={"major": _("Choose a major of this school.")})
    _fill(student, school, values)
    policy.require(actor, "records.add_student", student.org)
    _save(student)
    changes = {k: [None, str(v)] for k, v in _public(values).items() if v not in ("", None)}
    audit_record(
        action=AuditAction.CREATE, obj=student, org=student.org, actor=actor, changes=changes
    )
    history_add(student, StudentHistory.Kind.CREATED, actor=actor, changes=changes)
    if cleaned is not None:
        _store_photo(actor=actor, student=student, photo=cleaned)
    return student


@transaction.atomic
def student_update(
    *, actor: Actor, student: Student, photo: UploadedFile | None = None, **values: Any
) -> Student:
    """Edit a record. Status and moves between majors only change through status changes."""
    policy.require(actor, "records.change_student", student.org)
    cleaned = clean_photo(photo) if photo is not None else None
    for forbidden in ("status", "school", "major", "major_code", "department"):
        if forbidden in values and values[forbidden] not in (None, ""):
            current = getattr(student, f"{forbidden}_id", getattr(student, forbidden, None))
            given = getattr(values[forbidden], "pk", values[forbidden])
            if str(given) != str(current):
                raise ValidationFailed(
                    details={
                        forbidden: _(
                            "Change this through a status change (for example a change of major)."
                        )
                    }
                )
            values.pop(forbidden)
    if "class_unit" in values or "class_code" in values:
        values["major"] = student.major
    fields = [f for f in values if f not in ("major", "class_code")]
    before = _snapshot(student, fields)
    _fill(student, student.school, values)
    policy.require(actor, "records.change_student", student.org)
    _save(student)
    changes = diff(_public(before), _public(_snapshot(student, fields)))
    if changes:
        audit_record(
            action=AuditAction.UPDATE, obj=student, org=student.org, actor=actor, changes=changes
        )
        history_add(student, StudentHistory.Kind.UPDATED, actor=actor, changes=changes)
    if cleaned is not None:
        _store_photo(actor=actor, student=student, photo=cleaned)
    return student


def student_upsert(*, actor: Actor, school: OrgUnit, row: dict[str, Any]) -> tuple[Student, bool]:
    """Create or update one student from an import row; returns (student, created).

    The row is keyed on ``student_number`` within the school, else on the ID number, so a
    re-imported file updates instead of duplicating. Keys are the field names of
    ``student_create``; placement may be given as ``major_code`` / ``class_code``.
    """
    row = dict(row)
    existing = person_find(Student, school=school, number_field="student_number", row=row)
    if existing is None:
        return student_create(actor=actor, school=school, **row), True
    row.pop("student_number", None)
    if "major_code" in row and row["major_code"] == getattr(existing.major, "code", None):
        row.pop("major_code")
    return student_update(actor=actor, student=existing, **row), False


@transaction.atomic
def student_link_user(*, actor: Actor, student: Student, user: Any) -> Student:
    """Link the student's sign-in account, so they see their own record."""
    return person_link_user(
        student,
        actor=actor,
        user=user,
        capability="records.change_student",
        taken=_("This account already belongs to another student."),
    )


@transaction.atomic
def student_set_photo(*, actor: Actor, student: Student, upload: UploadedFile) -> Student:
    """Store a JPEG or PNG photo, decoded and re-encoded by ``clean_photo`` (no metadata, at
    most ``PHOTO_MAX_SIDE`` pixels); it is served only to whoever may see the record."""
    policy.require(actor, "records.change_student", student.org)
    return _store_photo(actor=actor, student=student, photo=clean_photo(upload))


def _store_photo(*, actor: Actor, student: Student, photo: CleanPhoto) -> Student:
    """The stored name carries the record id and the type, never the uploaded name."""
    policy.require(actor, "records.change_student", student.org)
    replaced = student.photo.name if student.photo else ""
    student.photo.save(f"{student.pk}.{photo.extension}", ContentFile(photo.content), save=False)
    if replaced and replaced != student.photo.name:
        # The old photo goes once the new one is committed; a rollback keeps it.
        storage = student.photo.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    student.save(update_fields=["photo", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=student,
        org=student.org,
        actor=actor,
        changes={"photo": [None, student.photo.name]},
    )
    return student


@transaction.atomic
def intake_plan_set(
    *, actor: Actor, major: OrgUnit, grade_year: int, capacity: int
) -> MajorIntakePlan:
    """How many students ``major`` takes in ``grade_year``; changes of major respect it."""
    if major.kind != OrgKind.MAJOR:
        raise ValidationFailed(details={"major": _("Choose a major.")})
    policy.require(actor, "records.change_majorintakeplan", major)
    if capacity < 0 or not 1990 <= grade_year <= 2100:
        raise ValidationFailed(details={"capacity": _("Enter a grade year and a capacity.")})
    plan, created = MajorIntakePlan.objects.update_or_create(
        org=major, grade_year=grade_year, defaults={"capacity": capacity}
    )
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=plan,
        org=major,
        actor=actor,
        changes={"capacity": [None, capacity]},
    )
    return plan


def student_reveal_pii(*, actor: Actor, student: Student) -> dict[str, str]:
    """The clear ID number, guardian phone and household registration, for roles that need
    them; audited."""
    policy.require(actor, REVEAL_CAPABILITY, student.org)
    disclosure = Disclosure(actor=actor, asked=True, purpose="student record")
    clear = {
        field: disclosure.clear(
            getattr(student, field), org=student.org, subject=f"student:{student.pk}", field=field
        )
        or ""
        for field in ("id_number", "guardian_phone", "household_registration")
    }
    disclosure.audit(obj=student)
    return clear
