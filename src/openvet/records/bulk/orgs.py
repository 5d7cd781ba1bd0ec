"""Import of majors and classes: few rows, so each goes through the core org services (with
their own validation and audit) inside one transaction, a savepoint per row."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core import services as org_services
from openvet.core.errors import DomainError
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.records.bulk.columns import CodeBook
from openvet.records.bulk.people import Outcome, Progress
from openvet.records.bulk.rows import RowParser, RowResult
from openvet.records.services.common import require_school


class _OrgImporter:
    kind = ""

    def __init__(
        self,
        *,
        actor: Actor,
        school: OrgUnit,
        progress: Progress | None = None,
        job_id: int | None = None,
    ) -> None:
        require_school(school)
        policy.require(actor, "core.add_orgunit", school)
        self.actor, self.school = actor, school
        self.progress = progress or (lambda n: None)
        self.parser = RowParser(self.kind, CodeBook())

    def nodes(self, kind: str) -> dict[str, OrgUnit]:
        found = OrgUnit.objects.filter(path__startswith=self.school.path, kind=kind)
        return {node.code: node for node in found.exclude(code="")}

    def run(
        self,
        raw_rows: list[tuple[int, dict[str, Any]]],
        *,
        all_or_nothing: bool,
        dry_run: bool = False,
        blocked: frozenset[int] = frozenset(),
    ) -> Outcome:
        outcome = Outcome()
        rows = [self.parser.parse(number, raw) for number, raw in raw_rows]
        with transaction.atomic():
            for index, row in enumerate(rows, start=1):
                if not row.errors and row.number not in blocked:
                    self._one(row, outcome)
                outcome.errors.extend(
                    {"row": row.number, "column": column, "message": message}
                    for column, message in row.errors.items()
                )
                self.progress(index)
            outcome.skipped = len({e["row"] for e in outcome.errors})
            if dry_run or (outcome.errors and all_or_nothing):
                transaction.set_rollback(True)
                outcome.created = outcome.updated = outcome.unchanged = 0
                return outcome
        outcome.written = True
        return outcome

    def _one(self, row: RowResult, outcome: Outcome) -> None:
        try:
            with transaction.atomic():
                self._write(row, outcome)
        except DomainError as exc:
            details = exc.details if isinstance(exc.details, dict) else {}
            for key, message in details.items() or {"": exc.message}.items():
                row.errors[self._column_of(key)] = str(message)

    def _column_of(self, field: str) -> str:
        return self.parser.header({"code": f"{self.kind}_code"}.get(field, field))

    def _write(self, row: RowResult, outcome: Outcome) -> None:
        raise NotImplementedError


class MajorImporter(_OrgImporter):
    kind = "major"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.departments = self.nodes(OrgKind.DEPARTMENT)
        self.majors = self.nodes(OrgKind.MAJOR)

    def _department(self, row: RowResult, outcome: Outcome) -> OrgUnit | None:
        code = row.values["department_code"].upper()
        department = self.departments.get(code)
        if department is None and row.values.get("department_name"):
            department = org_services.org_create(
                actor=self.actor,
                parent=self.school,
                kind=OrgKind.DEPARTMENT,
                name=row.values["department_name"],
                code=code,
            )
            self.departments[code] = department
        if department is None:
            row.errors[self.parser.header("department_code")] = _(
                "No department of this school has this code; give its name to create it."
            )
        return department

    def _write(self, row: RowResult, outcome: Outcome) -> None:
        department = self._department(row, outcome)
        if department is None:
            return
        code = row.values["major_code"]
        major = self.majors.get(code)
        if major is None:
            self.majors[code] = org_services.org_create(
                actor=self.actor,
                parent=department,
                kind=OrgKind.MAJOR,
                name=row.values["name"],
                code=code,
            )
            outcome.created += 1
        elif major.parent_id != department.pk:
            row.errors[self.parser.header("department_code")] = _(
                "This major belongs to another department; moving majors is not done by import."
            )
        elif major.name != row.values["name"]:
            org_services.org_update(actor=self.actor, org=major, name=row.values["name"])
            outcome.updated += 1
        else:
            outcome.unchanged += 1


class ClassImporter(_OrgImporter):
    kind = "class"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.majors = self.nodes(OrgKind.MAJOR)
        found = OrgUnit.objects.filter(path__startswith=self.school.path, kind=OrgKind.CLASS)
        self.classes = {(n.parent_id, n.code): n for n in found.exclude(code="")}

    def _write(self, row: RowResult, outcome: Outcome) -> None:
        major = self.majors.get(row.values["major_code"])
        if major is None:
            row.errors[self.parser.header("major_code")] = _(
                "No major of this school has this code."
            )
            return
        code = row.values["class_code"].upper()
        existing = self.classes.get((major.pk, code))
        values = {"name": row.values["name"], "grade_year": row.values["grade_year"]}
        if existing is None:
            self.classes[(major.pk, code)] = org_services.org_create(
                actor=self.actor, parent=major, kind=OrgKind.CLASS, code=code, **values
            )
            outcome.created += 1
        elif (existing.name, existing.grade_year) != (values["name"], values["grade_year"]):
            org_services.org_update(actor=self.actor, org=existing, **values)
            outcome.updated += 1
        else:
            outcome.unchanged += 1
