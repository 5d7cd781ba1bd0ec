"""Factories for records. Other apps' tests may import these."""

import itertools
from datetime import date
from typing import Any

from openvet.core import codes
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.pii import digest
from openvet.core.tests.factories import OrgUnitFactory, department, province, school
from openvet.records.codes import Gender, PostType
from openvet.records.models import MajorIntakePlan, Staff, Student

_numbers = itertools.count(1)
_major_codes = itertools.count(510201)


def id_number_for(birth: date, *, male: bool = True, region: str = "330106") -> str:
    """A valid GB 11643 number with the given birth date."""
    sequence = next(_numbers) % 500 * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + codes.id_number_check_char(first17)


def major(dept: OrgUnit, name: str = "Software", code: str = "") -> OrgUnit:
    return OrgUnitFactory(
        kind=OrgKind.MAJOR, name=name, code=code or str(next(_major_codes)), parent=dept
    )


def klass(major_node: OrgUnit, name: str = "Class 1", grade_year: int = 2024) -> OrgUnit:
    return OrgUnitFactory(kind=OrgKind.CLASS, name=name, parent=major_node, grade_year=grade_year)


class Campus:
    """A school with one department, two majors and a class in each."""

    def __init__(self, name: str = "") -> None:
        region = OrgUnit.objects.filter(kind=OrgKind.PROVINCE).first() or province()
        self.school = school(parent=region, name=name)
        self.department = department(self.school, name="Information")
        self.major = major(self.department, "Software")
        self.other_major = major(self.department, "Networking")
        self.klass = klass(self.major, "Software 1")
        self.other_klass = klass(self.other_major, "Networking 1")


def student(campus: Campus, **overrides: Any) -> Student:
    n = next(_numbers)
    birth = overrides.pop("birth", date(2004, 5, 6))
    values: dict[str, Any] = {
        "school": campus.school,
        "department": campus.department,
        "major": campus.major,
        "class_unit": campus.klass,
        "student_number": f"S{n:06d}",
        "name": f"Student {n}",
        "gender": Gender.MALE,
        "id_number": id_number_for(birth),
        "birth_date": birth,
        "grade_year": 2024,
        "schooling_years": 3,
        "ethnicity": "01",
    }
    values.update(overrides)
    values["org"] = values.get("class_unit") or values["major"]
    values["id_number_digest"] = digest(values["id_number"]) if values["id_number"] else ""
    record = Student(**values)
    record.save()
    return record


def staff(campus: Campus, **overrides: Any) -> Staff:
    n = next(_numbers)
    values: dict[str, Any] = {
        "school": campus.school,
        "department": campus.department,
        "staff_number": f"T{n:05d}",
        "name": f"Teacher {n}",
        "gender": Gender.FEMALE,
        "post_type": PostType.FULL_TIME_TEACHER,
    }
    values.update(overrides)
    values["org"] = values.get("department") or values["school"]
    record = Staff(**values)
    record.save()
    return record


def intake_plan(major_node: OrgUnit, capacity: int, grade_year: int = 2024) -> MajorIntakePlan:
    return MajorIntakePlan.objects.create(org=major_node, grade_year=grade_year, capacity=capacity)
