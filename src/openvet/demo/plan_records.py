"""The demo's base data (student and staff records, a few status changes), built in memory.

Pure like ``plan``: drawn from its own random stream, so adding records left the accounts of
earlier versions unchanged. The texts (relations, titles, notes) live in ``data/records.json``.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

from openvet.core import codes, codetables
from openvet.core.models import OrgKind
from openvet.core.roles import Role
from openvet.demo import people, sources

if TYPE_CHECKING:  # plan.py imports this module
    from openvet.demo.plan import DemoPlan, OrgSpec, PersonSpec

# Students born in 2007 or later get a guardian: everyone who is a minor from 2025 on.
GUARDIAN_FROM = date(2007, 1, 1)
SCHOOLING_YEARS = 3
# Guardians' mobiles: 1701 0000 000 on, beside the accounts' 1700 range.
_GUARDIAN_MOBILE = "1701{:07d}"
# Share of teachers who are part-time teachers from an enterprise, and dual-qualified.
ENTERPRISE_TEACHER_SHARE = 0.08
DUAL_SHARE = 0.55
FEATURED_STAFF = frozenset({"head1", "teacher1", "counsellor1", "admin1"})


@dataclass(frozen=True)
class StudentRecordSpec:
    username: str
    class_key: str
    ethnicity: str
    political_status: str
    household_registration: str
    enrolment_source: str
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""


@dataclass(frozen=True)
class QualificationSpec:
    kind: str
    name: str
    issued_on: date
    field_code: str = ""
    level: str = ""
    number: str = ""


@dataclass(frozen=True)
class PracticeSpec:
    enterprise_key: str
    starts_on: date
    ends_on: date
    content: str


@dataclass(frozen=True)
class TrainingSpec:
    year: int
    title: str
    hours: str


@dataclass(frozen=True)
class StaffRecordSpec:
    username: str
    school_key: str
    department_key: str | None
    post_type: str
    title: str = ""
    title_date: date | None = None
    education: str = ""
    degree: str = ""
    field_code: str = ""
    enterprise_key: str | None = None
    qualifications: tuple[QualificationSpec, ...] = ()
    practices: tuple[PracticeSpec, ...] = ()
    trainings: tuple[TrainingSpec, ...] = ()


@dataclass(frozen=True)
class DecisionSpec:
    username: str
    decision: str  # approve | reject | return
    comment: str = ""


@dataclass(frozen=True)
class ChangeSpec:
    """A status change the student applies for, then the decisions taken on it, in order."""

    student: str
    change_type: str
    reason: str
    note: str
    return_after_days: int | None = None  # leave of absence: the planned return, from today
    target_class_key: str | None = None  # change of major
    extra_years: int | None = None  # extension
    decisions: tuple[DecisionSpec, ...] = ()


@dataclass
class RecordsPlan:
    students: list[StudentRecordSpec] = field(default_factory=list)
    staff: list[StaffRecordSpec] = field(default_factory=list)
    changes: list[ChangeSpec] = field(default_factory=list)


@dataclass(frozen=True)
class RecordTexts:
    ethnicity: tuple[tuple[str, int], ...]
    student_political_status: tuple[tuple[str, int], ...]
    enrolment_source: tuple[tuple[str, int], ...]
    guardian_relations: tuple[tuple[str, int, str], ...]
    teacher_titles: dict[str, str]
    staff_titles: dict[str, str]
    industry_titles: tuple[str, ...]
    teacher_certificate: str
    vocational_certificate: str
    vocational_level: str
    practice_content: tuple[str, ...]
    trainings: tuple[tuple[str, str], ...]
    status_changes: dict[str, str]


@cache
def texts() -> RecordTexts:
    data = sources.read_data("records.json")
    return RecordTexts(
        ethnicity=tuple((c, int(w)) for c, w in data["ethnicity"]),
        student_political_status=tuple((c, int(w)) for c, w in data["student_political_status"]),
        enrolment_source=tuple((c, int(w)) for c, w in data["enrolment_source"]),
        guardian_relations=tuple((r, int(w), g) for r, w, g in data["guardian_relations"]),
        teacher_titles=dict(data["teacher_titles"]),
        staff_titles=dict(data["staff_titles"]),
        industry_titles=tuple(data["industry_titles"]),
        teacher_certificate=data["teacher_certificate"],
        vocational_certificate=data["vocational_certificate"],
        vocational_level=data["vocational_level"],
        practice_content=tuple(data["practice_content"]),
        trainings=tuple((t, h) for t, h in data["trainings"]),
        status_changes=dict(data["status_changes"]),
    )


@cache
def _regions() -> dict[str, codetables.CodeRow]:
    return {row.code: row for row in codetables.file_rows("region")}


def household_registration(district: str) -> str:
    """Province, city and district names of a district code: a household register address."""
    regions = _regions()
    parts: list[str] = []
    code: str | None = district
    while code and code in regions:
        parts.append(regions[code].name)
        code = regions[code].parent_code
    return "".join(reversed(parts))


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _w in pairs], weights=[w for _c, w in pairs])[0]


class _RecordsBuilder:
    def __init__(self, plan: "DemoPlan", seed: int) -> None:
        self.rng = random.Random(f"records:{seed}")  # noqa: S311 reproducible demo data
        self.plan = plan
        self.orgs: dict[str, OrgSpec] = {o.key: o for o in plan.orgs}
        self.records = RecordsPlan()
        self.guardians = 0

    def school_of(self, key: str) -> str:
        spec = self.orgs[key]
        while spec.kind != OrgKind.SCHOOL:
            spec = self.orgs[spec.parent_key or ""]
        return spec.key

    def majors_of(self, dept_key: str) -> list["OrgSpec"]:
        return [o for o in self.plan.orgs if o.kind == OrgKind.MAJOR and o.parent_key == dept_key]

    def enterprises_near(self, school_key: str) -> list[str]:
        city = self.orgs[school_key].parent_key
        near = [o.key for o in self.plan.orgs if o.kind == OrgKind.ENTERPRISE]
        return [k for k in near if self.orgs[k].parent_key == city] or near


def build_records(plan: "DemoPlan", *, seed: int) -> RecordsPlan:
    builder = _RecordsBuilder(plan, seed)
    for person in plan.people:
        if person.role == Role.STUDENT:
            builder.records.students.append(_student(builder, person))
        elif person.person_number:
            builder.records.staff.append(_staff(builder, person))
    builder.records.changes.extend(_changes(builder))
    return builder.records


# Students ------------------------------------------------------------------------------------


@cache
def _surnames_longest_first() -> tuple[str, ...]:
    return tuple(sorted(sources.names().surnames, key=len, reverse=True))


def _surname(full_name: str) -> str:
    known = _surnames_longest_first()
    return next((s for s in known if full_name.startswith(s)), full_name[:1])


def _student(builder: _RecordsBuilder, person: "PersonSpec") -> StudentRecordSpec:
    rng, data = builder.rng, texts()
    birth = codes.id_number_birth_date(person.id_number)
    guardian: dict[str, str] = {}
    if birth is not None and birth >= GUARDIAN_FROM:
        builder.guardians += 1
        relations = data.guardian_relations
        relation, _w, sex = rng.choices(relations, weights=[w for _r, w, _s in relations])[0]
        male = sex == "male" or (sex == "either" and rng.random() < 0.5)
        # Fathers and paternal grandparents share the student's surname.
        family = _surname(person.full_name) if male else ""
        name = people.full_name(rng, male=male)
        guardian = {
            "guardian_name": family + name[len(_surname(name)) :] if family else name,
            "guardian_relation": relation,
            "guardian_phone": _GUARDIAN_MOBILE.format(builder.guardians),
        }
    return StudentRecordSpec(
        username=person.username,
        class_key=person.home_key,
        ethnicity=_weighted(rng, data.ethnicity),
        political_status=_weighted(rng, data.student_political_status),
        household_registration=household_registration(person.id_number[:6]),
        enrolment_source=_weighted(rng, data.enrolment_source),
        **guardian,
    )


# Staff ---------------------------------------------------------------------------------------


def _education(rng: random.Random, *, teacher: bool, born: int) -> tuple[str, str]:
    # Younger teachers are mostly recruited with a master's degree.
    teacher_weights = (14, 66, 20, 0) if born >= 1980 else (8, 42, 48, 2)
    weights = teacher_weights if teacher else (2, 38, 55, 5)
    education = rng.choices(("doctorate", "master", "bachelor", "junior_college"), weights=weights)[
        0
    ]
    degree = {"doctorate": "doctor", "master": "master", "bachelor": "bachelor"}.get(education, "")
    return education, degree


def _title_level(rng: random.Random, age: int) -> str:
    if age < 30:
        return rng.choice(("junior", "junior", "intermediate"))
    if age < 38:
        return rng.choice(("intermediate", "intermediate", "intermediate", "associate"))
    if age < 48:
        return rng.choice(("intermediate", "associate", "associate", "senior"))
    return rng.choice(("associate", "associate", "senior", "senior"))


def _title_date(rng: random.Random, born: int, level: str) -> date:
    # Years after birth when each level is typically reached, capped at mid-2025.
    first = {"junior": 24, "intermediate": 29, "associate": 36, "senior": 44}[level]
    year = min(2025, born + first + rng.randrange(4))
    return date(year, rng.choice((1, 7, 12)), 1)


def _staff(builder: _RecordsBuilder, person: "PersonSpec") -> StaffRecordSpec:
    rng = builder.rng
    home = builder.orgs[person.home_key]
    school_key = builder.school_of(person.home_key)
    department_key = home.key if home.kind == OrgKind.DEPARTMENT else None
    born = int(person.id_number[6:10])
    teaching = person.role in (Role.TEACHER, Role.DEPARTMENT_HEAD)
    if not teaching:
        education, degree = _education(rng, teacher=False, born=born)
        level = rng.choice(("", "", "junior", "intermediate", "intermediate", "associate"))
        title = texts().staff_titles[level] if level else ""
        return StaffRecordSpec(
            username=person.username,
            school_key=school_key,
            department_key=department_key,
            post_type="administrative",
            title=title,
            title_date=_title_date(rng, born, level) if title else None,
            education=education,
            degree=degree,
        )
    majors = builder.majors_of(department_key or "")
    field_code = rng.choice(majors).code if majors else ""
    if (
        person.role == Role.TEACHER
        and person.username not in FEATURED_STAFF
        and rng.random() < ENTERPRISE_TEACHER_SHARE
    ):
        return _enterprise_teacher(builder, person, school_key, department_key, field_code)
    return _teacher(builder, person, school_key, department_key, field_code, majors)


def _enterprise_teacher(
    builder: _RecordsBuilder,
    person: "PersonSpec",
    school_key: str,
    department_key: str | None,
    field_code: str,
) -> StaffRecordSpec:
    rng = builder.rng
    born = int(person.id_number[6:10])
    title = rng.choice(texts().industry_titles)
    return StaffRecordSpec(
        username=person.username,
        school_key=school_key,
        department_key=department_key,
        post_type="enterprise_teacher",
        education="bachelor",
        degree="bachelor",
        field_code=field_code,
        enterprise_key=rng.choice(builder.enterprises_near(school_key)),
        qualifications=(
            QualificationSpec(
                kind="title",
                name=title,
                field_code=field_code,
                issued_on=_title_date(rng, born, "intermediate"),
            ),
        ),
    )


def _teacher(
    builder: _RecordsBuilder,
    person: "PersonSpec",
    school_key: str,
    department_key: str | None,
    field_code: str,
    majors: list["OrgSpec"],
) -> StaffRecordSpec:
    rng, data = builder.rng, texts()
    born = int(person.id_number[6:10])
    level = _title_level(rng, 2025 - born)
    title_date = _title_date(rng, born, level)
    qualifications = [
        QualificationSpec(
            kind="teacher_certificate",
            name=data.teacher_certificate,
            issued_on=date(min(2024, born + 25), 9, 1),
            number=f"{born}33{person.person_number[1:]}",
        )
    ]
    practices: list[PracticeSpec] = []
    if rng.random() < DUAL_SHARE:
        if rng.random() < 0.6 or not field_code:
            practices = _practices(builder, school_key, months=rng.choice((7, 8, 9, 12)))
        else:
            major = next(m for m in majors if m.code == field_code)
            qualifications.append(
                QualificationSpec(
                    kind="vocational",
                    name=data.vocational_certificate.format(major=major.name),
                    field_code=field_code,
                    level=data.vocational_level,
                    issued_on=date(2023, rng.choice((6, 12)), 15),
                )
            )
    elif rng.random() < 0.25:
        # Some practice, but not yet the six months the rule asks for.
        practices = _practices(builder, school_key, months=rng.choice((2, 3)))
    training, hours = rng.choice(data.trainings)
    education, degree = _education(rng, teacher=True, born=born)
    return StaffRecordSpec(
        username=person.username,
        school_key=school_key,
        department_key=department_key,
        post_type="teacher",
        title=data.teacher_titles[level],
        title_date=title_date,
        education=education,
        degree=degree,
        field_code=field_code,
        qualifications=tuple(qualifications),
        practices=tuple(practices),
        trainings=(TrainingSpec(year=2025, title=training, hours=hours),),
    )


def _practices(builder: _RecordsBuilder, school_key: str, *, months: int) -> list[PracticeSpec]:
    """One practice period of whole months in a nearby enterprise, between 2023 and mid-2025.

    The rule counts days / 30.44, so six calendar months fall just short of six: the
    dual-qualified get at least seven.
    """
    rng = builder.rng
    year = rng.choice((2023, 2024))
    start_month = rng.choice((1, 7))
    after_end = start_month - 1 + months  # zero-based month after the last one
    ends = date(year + after_end // 12, after_end % 12 + 1, 1) - timedelta(days=1)
    return [
        PracticeSpec(
            enterprise_key=rng.choice(builder.enterprises_near(school_key)),
            starts_on=date(year, start_month, 1),
            ends_on=ends,
            content=rng.choice(texts().practice_content),
        )
    ]


# Status changes ------------------------------------------------------------------------------


def _changes(builder: _RecordsBuilder) -> list[ChangeSpec]:
    """Six applications in the first department of college 1, so the approval pages of
    counsellor1, head1 and admin1 and student1's own page show real items."""
    school = "school:1"
    dept = f"{school}:dept:1"
    first_in_class: dict[str, str] = {}
    for person in builder.plan.people:
        if person.role == Role.STUDENT and person.home_key.startswith(f"{dept}:"):
            first_in_class.setdefault(person.home_key, person.username)
    majors = builder.majors_of(dept)
    if len(majors) < 3:
        return []

    def student_of(major: int, grade: int) -> str:
        return first_in_class[f"{majors[major].key}:class:{grade}:1"]

    def counsellor(
        major: int, grade: int, decision: str = "approve", note: str = ""
    ) -> DecisionSpec:
        """The counsellor who looks after that class decides (the role is granted there)."""
        key = f"{majors[major].key}:class:{grade}:1"
        username = next(
            p.username
            for p in builder.plan.people
            if p.role == Role.COUNSELLOR and key in p.role_keys
        )
        return DecisionSpec(username, decision, note)

    notes = texts().status_changes
    head = DecisionSpec("head1", "approve")
    return [
        ChangeSpec("student1", "11", "10", notes["suspend_illness"], return_after_days=180),
        ChangeSpec(student_of(0, 2025), "11", "26", notes["suspend_family"], return_after_days=150),
        ChangeSpec(
            student_of(1, 2025),
            "23",
            "99",
            notes["change_major"],
            target_class_key=f"{majors[0].key}:class:2025:1",
            decisions=(counsellor(1, 2025), head, DecisionSpec("admin1", "approve")),
        ),
        ChangeSpec(
            student_of(2, 2026),
            "11",
            "27",
            notes["returned_suspend"],
            return_after_days=200,
            decisions=(counsellor(2, 2026, "return", notes["return_comment"]),),
        ),
        ChangeSpec(
            student_of(1, 2024),
            "06",
            "99",
            notes["extend"],
            extra_years=1,
            decisions=(counsellor(1, 2024),),
        ),
        ChangeSpec(
            student_of(2, 2024),
            "19",
            "34",
            notes["reserve_military"],
            decisions=(counsellor(2, 2024), head),
        ),
    ]
