"""The demo data set, built in memory from a seed: the same seed gives the same data."""

import random
from dataclasses import dataclass, field, replace
from datetime import date

from openvet.core import codetables
from openvet.core.models import OrgKind, SchoolType
from openvet.core.roles import Role
from openvet.demo import identifiers, people, sources
from openvet.demo.plan_records import RecordsPlan, build_records

DEFAULT_SEED = 20240901
GRADES = (2024, 2025, 2026)
# Last year's graduates: one class of the first college's first major, whose destinations
# and surveys the employment pages show. Built after everyone else, so that adding it
# changes no other person of the demo; a few more than a scaled class, for realistic rates.
GRADUATED_GRADE = GRADES[0] - 1
GRADUATED_AT_LEAST = 12
MAJOR_TABLE = "major_higher_vocational"
# Per college at full size: about 80 staff and 1,000 students.
STAFF_PER_COLLEGE = 80
COUNSELLORS_PER_DEPARTMENT = 2
CLASS_SIZE = (26, 35)
STAFF_BIRTH = (date(1965, 1, 1), date(1998, 12, 31))


@dataclass(frozen=True)
class OrgSpec:
    key: str
    parent_key: str | None
    kind: str
    name: str
    name_en: str = ""
    code: str = ""
    school_type: str = ""
    grade_year: int | None = None


@dataclass(frozen=True)
class PersonSpec:
    username: str
    full_name: str
    home_key: str
    role: str
    role_key: str
    person_number: str = ""
    gender: str = ""
    id_number: str = ""
    mobile: str = ""
    expires_in_days: int | None = None
    # Further nodes the role is granted on (a counsellor's other classes).
    more_role_keys: tuple[str, ...] = ()

    @property
    def role_keys(self) -> tuple[str, ...]:
        return (self.role_key, *self.more_role_keys)


@dataclass
class DemoPlan:
    orgs: list[OrgSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)
    # Student and staff records of the people, and status changes (``plan_records``).
    records: RecordsPlan = field(default_factory=RecordsPlan)

    @property
    def marker_school_code(self) -> str:
        """A school code whose presence means the demo has been seeded."""
        return next(org.code for org in self.orgs if org.kind == OrgKind.SCHOOL)


# One account per role, printed at the end of `openvet demo`.
FEATURED_ACCOUNTS = (
    "platform",
    "region",
    "admin1",
    "security1",
    "audit1",
    "head1",
    "teacher1",
    "counsellor1",
    "student1",
    "mentor1",
    "evaluator1",
)


class _Builder:
    def __init__(self, seed: int, scale: float) -> None:
        self.rng = random.Random(seed)  # noqa: S311 reproducible demo data, not secrets
        self.scale = scale
        self.plan = DemoPlan()
        self.used_ids: set[str] = set()
        self.mobiles = 0

    def scaled(self, count: int) -> int:
        return max(1, round(count * self.scale))

    def org(self, spec: OrgSpec) -> str:
        self.plan.orgs.append(spec)
        return spec.key

    def person(
        self,
        *,
        username: str,
        home_key: str,
        role: str,
        role_key: str = "",
        person_number: str = "",
        birth: tuple[date, date] | None = None,
        districts: tuple[str, ...] = (),
        male: bool | None = None,
        expires_in_days: int | None = None,
    ) -> PersonSpec:
        rng = self.rng
        is_male = rng.random() < 0.5 if male is None else male
        id_number = ""
        if birth is not None:
            id_number = identifiers.id_number(
                rng,
                district=rng.choice(districts),
                birth=identifiers.random_date(rng, *birth),
                male=is_male,
                used=self.used_ids,
            )
        self.mobiles += 1
        spec = PersonSpec(
            username=username,
            full_name=people.full_name(rng, male=is_male),
            home_key=home_key,
            role=role,
            role_key=role_key or home_key,
            person_number=person_number,
            gender="1" if is_male else "2",
            id_number=id_number,
            mobile=identifiers.mobile(self.mobiles),
            expires_in_days=expires_in_days,
        )
        self.plan.people.append(spec)
        return spec


def build_plan(*, seed: int = DEFAULT_SEED, scale: float = 1.0) -> DemoPlan:
    """The full data set; ``scale`` shrinks the number of students and staff (tests use 0.05)."""
    builder = _Builder(seed, scale)
    source = sources.organisations()
    _regions(builder, source)
    all_districts = tuple(d for college in source.colleges for d in college.districts)
    builder.person(
        username="platform",
        home_key="nation",
        role=Role.PLATFORM_ADMIN,
        birth=STAFF_BIRTH,
        districts=all_districts,
    )
    builder.person(
        username="region",
        home_key="province",
        role=Role.REGIONAL_ADMIN,
        birth=STAFF_BIRTH,
        districts=all_districts,
    )
    for number, college in enumerate(source.colleges, start=1):
        _college(builder, source, number, college)
    _enterprises(builder, source)
    builder.person(
        username="mentor1",
        home_key="enterprise:1",
        role=Role.ENTERPRISE_MENTOR,
        birth=STAFF_BIRTH,
        districts=all_districts,
    )
    builder.person(
        username="evaluator1",
        home_key="school:1",
        role=Role.EVALUATOR,
        birth=STAFF_BIRTH,
        districts=all_districts,
        expires_in_days=365,
    )
    _graduated_class(builder, source)
    builder.plan.records = build_records(builder.plan, seed=seed)
    return builder.plan


def _regions(builder: _Builder, source: sources.OrgSource) -> None:
    def region(code: str) -> codetables.CodeRow:
        return next(row for row in codetables.file_rows("region") if row.code == code)

    nation = codetables.nation_defaults()
    builder.org(
        OrgSpec("nation", None, OrgKind.NATION, nation["name"], nation["name_en"], nation["code"])
    )
    province = region(source.province)
    builder.org(
        OrgSpec(
            "province", "nation", OrgKind.PROVINCE, province.name, province.name_en, province.code
        )
    )
    for code in source.cities:
        city = region(code)
        builder.org(
            OrgSpec(f"city:{code}", "province", OrgKind.CITY, city.name, city.name_en, city.code)
        )


def _college(
    builder: _Builder, source: sources.OrgSource, number: int, college: sources.CollegeSource
) -> None:
    school = builder.org(
        OrgSpec(
            f"school:{number}",
            f"city:{college.city}",
            OrgKind.SCHOOL,
            college.name,
            college.name_en,
            college.code,
            school_type=SchoolType.HIGHER_VOCATIONAL,
        )
    )
    staff = _StaffNumbers(builder, number, college.districts)
    for role, name in (
        (Role.SCHOOL_ADMIN, "admin"),
        (Role.SECURITY_ADMIN, "security"),
        (Role.AUDIT_ADMIN, "audit"),
    ):
        staff.add(f"{name}{number}", school, role)
    teachers = max(
        1, round(STAFF_PER_COLLEGE / len(college.departments)) - 1 - COUNSELLORS_PER_DEPARTMENT
    )
    major_number = 0
    for dept_number, department in enumerate(college.departments, start=1):
        dept = builder.org(
            OrgSpec(
                f"{school}:dept:{dept_number}",
                school,
                OrgKind.DEPARTMENT,
                department.name,
                department.name_en,
                f"{dept_number:02d}",
            )
        )
        staff.add(f"head{number}" if dept_number == 1 else "", dept, Role.DEPARTMENT_HEAD)
        for index in range(builder.scaled(COUNSELLORS_PER_DEPARTMENT)):
            first = dept_number == 1 and index == 0
            staff.add(f"counsellor{number}" if first else "", dept, Role.COUNSELLOR)
        for index in range(builder.scaled(teachers)):
            first = dept_number == 1 and index == 0
            staff.add(f"teacher{number}" if first else "", dept, Role.TEACHER)
        counsellors_from = len(builder.plan.people)
        for code in department.majors:
            major_number += 1
            _major(builder, source, college, number, dept, major_number, code)
        _assign_classes(builder, dept, counsellors_from)


def _assign_classes(builder: _Builder, dept: str, people_from: int) -> None:
    """Each counsellor of ``dept`` looks after a block of its classes, taken grade by grade
    (least privilege: the role is granted on those classes, not on the department)."""
    people = builder.plan.people
    counsellors = [
        i
        for i, p in enumerate(people[:people_from])
        if p.role == Role.COUNSELLOR and p.home_key == dept
    ]
    majors = {o.key for o in builder.plan.orgs if o.parent_key == dept}
    classes = sorted(
        (o for o in builder.plan.orgs if o.parent_key in majors and o.kind == OrgKind.CLASS),
        key=lambda o: (o.grade_year or 0, o.key),
    )
    for number, index in enumerate(counsellors):
        # Contiguous blocks as even as possible (the later counsellors take any extra class).
        start = number * len(classes) // len(counsellors)
        end = (number + 1) * len(classes) // len(counsellors)
        keys = [o.key for o in classes[start:end]]
        if keys:
            people[index] = replace(people[index], role_key=keys[0], more_role_keys=tuple(keys[1:]))


class _StaffNumbers:
    """Staff numbers of one college: T, the college number, then four digits."""

    def __init__(self, builder: _Builder, college: int, districts: tuple[str, ...]) -> None:
        self.builder, self.college, self.districts, self.count = builder, college, districts, 0

    def add(self, username: str, home_key: str, role: str) -> None:
        self.count += 1
        number = f"T{self.college}{self.count:04d}"
        self.builder.person(
            username=username or number.lower(),
            home_key=home_key,
            role=role,
            person_number=number,
            birth=STAFF_BIRTH,
            districts=self.districts,
        )


def _major(
    builder: _Builder,
    source: sources.OrgSource,
    college: sources.CollegeSource,
    college_number: int,
    dept: str,
    major_number: int,
    code: str,
) -> None:
    name = codetables.file_name(MAJOR_TABLE, code)
    major = builder.org(OrgSpec(f"{dept}:major:{code}", dept, OrgKind.MAJOR, name, code=code))
    # Nursing classes are mostly women; elsewhere in these colleges a little over half are men.
    male_share = 0.1 if code.startswith("5202") else 0.55
    for grade in GRADES:
        class_name = source.class_name.format(major=name, year=grade % 100, number=1)
        klass = builder.org(
            OrgSpec(
                f"{major}:class:{grade}:1",
                major,
                OrgKind.CLASS,
                class_name,
                code=f"{grade % 100:02d}01",
                grade_year=grade,
            )
        )
        size = builder.scaled(builder.rng.randint(*CLASS_SIZE))
        for seat in range(1, size + 1):
            _student(builder, college, college_number, klass, grade, major_number, seat, male_share)


def _student(
    builder: _Builder,
    college: sources.CollegeSource,
    college_number: int,
    klass: str,
    grade: int,
    major_number: int,
    seat: int,
    male_share: float,
) -> None:
    rng = builder.rng
    # Student number: grade, college, major, class and seat; unique in the whole demo.
    number = f"{grade}{college_number}{major_number:02d}1{seat:02d}"
    first = grade == GRADES[0] and major_number == 1 and seat == 1
    # Entrants are mostly 17-19; some (from secondary vocational tracks) are younger.
    birth_year = min(2010, max(2005, grade - rng.choice((19, 18, 18, 18, 17, 17, 16))))
    builder.person(
        username=f"student{college_number}" if first else number,
        home_key=klass,
        role=Role.STUDENT,
        person_number=number,
        birth=(date(birth_year, 1, 1), date(birth_year, 12, 31)),
        districts=college.districts,
        male=rng.random() < male_share,
    )


def _graduated_class(builder: _Builder, source: sources.OrgSource) -> None:
    """Last year's class of the first college's first major, looked after by counsellor1."""
    major = next(o for o in builder.plan.orgs if o.kind == OrgKind.MAJOR)
    grade = GRADUATED_GRADE
    klass = builder.org(
        OrgSpec(
            f"{major.key}:class:{grade}:1",
            major.key,
            OrgKind.CLASS,
            source.class_name.format(major=major.name, year=grade % 100, number=1),
            code=f"{grade % 100:02d}01",
            grade_year=grade,
        )
    )
    size = max(GRADUATED_AT_LEAST, builder.scaled(builder.rng.randint(*CLASS_SIZE)))
    for seat in range(1, size + 1):
        _student(builder, source.colleges[0], 1, klass, grade, 1, seat, 0.55)
    people = builder.plan.people
    index = next(i for i, p in enumerate(people) if p.username == "counsellor1")
    people[index] = replace(people[index], more_role_keys=(*people[index].more_role_keys, klass))


def _enterprises(builder: _Builder, source: sources.OrgSource) -> None:
    for number, enterprise in enumerate(source.enterprises, start=1):
        builder.org(
            OrgSpec(
                f"enterprise:{number}",
                f"city:{enterprise.city}",
                OrgKind.ENTERPRISE,
                enterprise.name,
                enterprise.name_en,
                identifiers.credit_code(district=enterprise.district, number=number),
            )
        )
