"""Bulk import of students and staff: every row validated with the records rules, existing
keys prefetched in one query, writes batched in one transaction, one summary audit entry.

The per-row services (``student_upsert``) cost a dozen queries a row; a school's 20,000
students through them take minutes, so this module validates with the same rule functions
and writes with ``bulk_create`` / ``bulk_update`` (ADR 0203).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record, diff
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.records.bulk.columns import CodeBook
from openvet.records.bulk.insert import insert_all
from openvet.records.bulk.rows import RowParser, RowResult
from openvet.records.codes import IdType, StudentStatus
from openvet.records.models import Staff, Student, StudentHistory

# The records rules themselves, so an imported row is held to exactly what the form is.
from openvet.records.services import validate_staff_fields, validate_student_fields
from openvet.records.services.common import apply_identity, require_school

BATCH = 500
PROGRESS_EVERY = 500
Progress = Callable[[int], None]
_PII = frozenset({"id_number", "guardian_phone"})
STUDENT_FIELDS = (
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
STAFF_FIELDS = (
    "name",
    "gender",
    "post_type",
    "title",
    "title_date",
    "education",
    "degree",
    "field_code",
    "employment_status",
)
IDENTITY_FIELDS = ("id_type", "id_number", "birth_date")


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    written: bool = False


@dataclass
class Planned:
    row: RowResult
    obj: Any
    created: bool
    changes: dict[str, Any]


def _public(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: (["***", "***"] if k in _PII else v) for k, v in changes.items()}


def _snapshot(obj: Any, keys: list[str]) -> dict[str, Any]:
    return {k: getattr(obj, f"{k}_id" if k in ("class_unit", "department") else k) for k in keys}


class _Importer:
    model: Any
    number_field: str
    kind: str
    capabilities: tuple[str, str]

    def __init__(
        self,
        *,
        actor: Actor,
        school: OrgUnit,
        progress: Progress | None = None,
        job_id: int | None = None,
    ) -> None:
        require_school(school)
        self.job_id = job_id
        for capability in self.capabilities:
            policy.require(actor, capability, school)
        self.actor, self.school = actor, school
        self.progress = progress or (lambda n: None)
        self.parser = RowParser(self.kind, CodeBook())
        nodes = OrgUnit.objects.filter(path__startswith=school.path, is_active=True)
        self.nodes = list(nodes.only("id", "kind", "code", "parent_id", "path", "name"))
        self.by_number: dict[str, int] = {}
        self.by_digest: dict[str, int] = {}
        for pk, number, digest in self.model.objects.filter(school=school).values_list(
            "pk", self.number_field, "id_number_digest"
        ):
            self.by_number[number] = pk
            if digest:
                self.by_digest[digest] = pk

    def run(
        self,
        raw_rows: list[tuple[int, dict[str, Any]]],
        *,
        all_or_nothing: bool,
        dry_run: bool = False,
        blocked: frozenset[int] = frozenset(),
    ) -> Outcome:
        """Validates every row completely (every problem of every row in one pass, ADR-0211)
        and writes the good ones unless ``dry_run``; rows in ``blocked`` (already bad for the
        reader) are validated but never written."""
        outcome = Outcome()
        rows = [self.parser.parse(number, raw) for number, raw in raw_rows]
        existing = self._load_existing(rows)
        planned: list[Planned] = []
        seen_numbers: dict[str, int] = {}
        seen_digests: dict[str, int] = {}
        for index, row in enumerate(rows, start=1):
            item = self._plan(row, existing)
            self._check_duplicates(item, seen_numbers, seen_digests)
            if row.errors:
                outcome.errors.extend(
                    {"row": row.number, "column": column, "message": message}
                    for column, message in row.errors.items()
                )
            elif row.number not in blocked:
                planned.append(item)
            if index % PROGRESS_EVERY == 0:
                self.progress(index)
        outcome.skipped = len({e["row"] for e in outcome.errors})
        if dry_run or (outcome.errors and all_or_nothing):
            return outcome
        self._write(planned, outcome)
        return outcome

    def _load_existing(self, rows: list[RowResult]) -> dict[int, Any]:
        from openvet.core.pii import digest

        wanted: set[int] = set()
        for row in rows:
            number = str(row.values.get(self.number_field, ""))
            if row.values.get("id_number"):
                row.id_digest = digest(row.values["id_number"])
            pk = self.by_number.get(number)
            if pk is None and row.id_digest:
                pk = self.by_digest.get(row.id_digest)
            if pk is not None:
                wanted.add(pk)
        found: dict[int, Any] = {}
        ids = sorted(wanted)
        for start in range(0, len(ids), BATCH):
            found.update(self.model.objects.in_bulk(ids[start : start + BATCH]))
        return found

    def _match(self, row: RowResult, existing: dict[int, Any]) -> Any:
        number = str(row.values.get(self.number_field, ""))
        pk = self.by_number.get(number)
        by_id = self.by_digest.get(row.id_digest) if row.id_digest else None
        if pk is not None and by_id is not None and pk != by_id:
            row.errors[self.parser.header("id_number")] = _(
                "This ID number belongs to another record of this school."
            )
            return None
        pk = pk or by_id
        return existing.get(pk) if pk is not None else None

    def _check_duplicates(
        self, item: Planned, numbers: dict[str, int], digests: dict[str, int]
    ) -> None:
        row, obj = item.row, item.obj
        number = getattr(obj, self.number_field)
        if number and number in numbers:
            row.errors[self.parser.header(self.number_field)] = _(
                "The same number is already in row %(row)s of this file."
            ) % {"row": numbers[number]}
        if number:
            numbers.setdefault(number, row.number)
        if obj.id_number_digest:
            if obj.id_number_digest in digests:
                row.errors[self.parser.header("id_number")] = _(
                    "The same ID number is already in row %(row)s of this file."
                ) % {"row": digests[obj.id_number_digest]}
            digests.setdefault(obj.id_number_digest, row.number)

    def _apply(self, obj: Any, row: RowResult, fields: tuple[str, ...]) -> dict[str, str]:
        errors: dict[str, str] = {}
        for key in fields:
            if key in row.values:
                setattr(obj, key, row.values[key])
        identity = {k: row.values[k] for k in IDENTITY_FIELDS if k in row.values}
        if obj.pk is None and "id_type" not in identity:
            identity["id_type"] = IdType.RESIDENT_ID
        apply_identity(obj, identity, errors)
        return errors

    def _report(self, row: RowResult, errors: dict[str, str], aliases: dict[str, str]) -> None:
        for key, message in errors.items():
            row.errors.setdefault(self.parser.header(aliases.get(key, key)), str(message))

    def _plan(self, row: RowResult, existing: dict[int, Any]) -> Planned:
        raise NotImplementedError

    def _write(self, planned: list[Planned], outcome: Outcome) -> None:
        new = [p for p in planned if p.created]
        changed = [p for p in planned if not p.created and p.changes]
        outcome.unchanged = len(planned) - len(new) - len(changed)
        now = timezone.now()
        for item in changed:
            item.obj.updated_at = now
        try:
            with transaction.atomic():
                self._save(new, changed)
                audit_record(
                    action=AuditAction.CREATE,
                    org=self.school,
                    actor=self.actor,
                    object_label=f"import {self.kind}",
                    changes={"created": len(new), "updated": len(changed), "kind": self.kind},
                )
        except IntegrityError:
            outcome.errors.append(
                {
                    "row": None,
                    "column": "",
                    "message": _(
                        "Another change to the same records happened during the import; "
                        "nothing was written. Upload the file again."
                    ),
                }
            )
            return
        outcome.created, outcome.updated, outcome.written = len(new), len(changed), True

    def _save(self, new: list[Planned], changed: list[Planned]) -> None:
        fields = [f for f in self.update_fields if f != "updated_at"] + ["updated_at"]
        insert_all(self.model, [p.obj for p in new], batch_size=BATCH)
        self.progress_write(len(new))
        self.model.objects.bulk_update([p.obj for p in changed], fields, batch_size=BATCH)

    update_fields: tuple[str, ...] = ()

    def progress_write(self, count: int) -> None:
        """Hook for writing progress; the write phase runs in one transaction."""


class StudentImporter(_Importer):
    model = Student
    number_field = "student_number"
    kind = "student"
    capabilities = ("records.add_student", "records.change_student")
    update_fields = (
        *STUDENT_FIELDS,
        "id_type",
        "id_number",
        "id_number_digest",
        "birth_date",
        "class_unit",
        "org",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.majors = {n.code: n for n in self.nodes if n.kind == OrgKind.MAJOR and n.code}
        self.departments = {n.pk: n for n in self.nodes if n.kind == OrgKind.DEPARTMENT}
        self.classes: dict[tuple[int | None, str], OrgUnit] = {
            (n.parent_id, n.code): n for n in self.nodes if n.kind == OrgKind.CLASS and n.code
        }

    def _plan(self, row: RowResult, existing: dict[int, Any]) -> Planned:
        """The row applied to its record, every rule checked even after a first problem."""
        found = self._match(row, existing)
        student = found or Student(
            school=self.school,
            student_number=row.values.get("student_number", ""),
            status=StudentStatus.ENROLLED,
        )
        keys = [k for k in (*STUDENT_FIELDS, *IDENTITY_FIELDS, "class_unit") if k in row.values]
        keys += ["class_unit"] if "class_code" in row.values else []
        before = _snapshot(student, keys) if found else {}
        errors = self._place(student, row, is_new=found is None)
        errors |= self._apply(student, row, STUDENT_FIELDS)
        validate_student_fields(student, errors)
        self._report(row, errors, {"major": "major_code", "class_unit": "class_code"})
        if found is None:
            changes = {k: [None, str(row.values[k])] for k in row.values}
            return Planned(row=row, obj=student, created=True, changes=_public(changes))
        changes = diff(before, _snapshot(student, keys))
        return Planned(row=row, obj=student, created=False, changes=_public(changes))

    def _place(self, student: Student, row: RowResult, *, is_new: bool) -> dict[str, str]:
        errors: dict[str, str] = {}
        major = self.majors.get(str(row.values.get("major_code", "")))
        class_code = str(row.values.get("class_code", ""))
        if major is None:
            if "major_code" in row.values:
                errors["major"] = _("No major of this school has this code.")
            if class_code and not any(code == class_code for _major, code in self.classes):
                errors["class_unit"] = _("No class of this school has this code.")
            return errors
        if not is_new and major.pk != student.major_id:
            errors["major"] = _(
                "Change this through a status change (for example a change of major)."
            )
        class_unit = None
        if class_code:
            class_unit = self.classes.get((major.pk, class_code))
            if class_unit is None:
                errors["class_unit"] = _("No class of this major has this code.")
        elif not is_new:
            class_unit = student.class_unit
        if errors:
            return errors
        if is_new:
            student.department = self.departments[major.parent_id]  # type: ignore[index]
            student.major = major
        student.class_unit = class_unit
        student.org = class_unit or major
        return errors

    def _save(self, new: list[Planned], changed: list[Planned]) -> None:
        super()._save(new, changed)
        history = [
            StudentHistory(
                student=p.obj,
                kind=StudentHistory.Kind.CREATED if p.created else StudentHistory.Kind.UPDATED,
                actor_id=self.actor.pk,
                changes=p.changes,
                import_job_id=self.job_id,
            )
            for p in (*new, *changed)
        ]
        insert_all(StudentHistory, history, batch_size=BATCH)


class StaffImporter(_Importer):
    model = Staff
    number_field = "staff_number"
    kind = "staff"
    capabilities = ("records.add_staff", "records.change_staff")
    update_fields = (
        *STAFF_FIELDS,
        "id_type",
        "id_number",
        "id_number_digest",
        "birth_date",
        "department",
        "enterprise",
        "org",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.departments = {
            n.code: n for n in self.nodes if n.kind == OrgKind.DEPARTMENT and n.code
        }
        self.enterprises = {
            n.code: n for n in OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE).exclude(code="")
        }

    def _plan(self, row: RowResult, existing: dict[int, Any]) -> Planned:
        """The row applied to its record, every rule checked even after a first problem."""
        found = self._match(row, existing)
        staff = found or Staff(school=self.school, staff_number=row.values.get("staff_number", ""))
        keys = [k for k in (*STAFF_FIELDS, *IDENTITY_FIELDS) if k in row.values]
        keys += [
            k
            for k, c in (("department", "department_code"), ("enterprise", "enterprise_code"))
            if c in row.values
        ]
        before = _snapshot(staff, keys) if found else {}
        errors = self._place(staff, row)
        errors |= self._apply(staff, row, STAFF_FIELDS)
        validate_staff_fields(staff, errors)
        self._report(
            row, errors, {"department": "department_code", "enterprise": "enterprise_code"}
        )
        if found is None:
            changes = {k: [None, str(row.values[k])] for k in row.values}
            return Planned(row=row, obj=staff, created=True, changes=_public(changes))
        after = _snapshot(staff, keys)
        return Planned(row=row, obj=staff, created=False, changes=_public(diff(before, after)))

    def _place(self, staff: Staff, row: RowResult) -> dict[str, str]:
        errors: dict[str, str] = {}
        if "department_code" in row.values:
            department = self.departments.get(row.values["department_code"])
            if department is None:
                errors["department"] = _("No department of this school has this code.")
            staff.department = department
        if "enterprise_code" in row.values:
            enterprise = self.enterprises.get(row.values["enterprise_code"].upper())
            if enterprise is None:
                errors["enterprise"] = _("No enterprise on the platform has this credit code.")
            staff.enterprise = enterprise
        staff.school = self.school
        staff.org = staff.department or self.school
        return errors
