"""The demo data: deterministic, well-formed identifiers, one seeding, working accounts."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from openvet.core import codes, policy
from openvet.core.models import AuditEntry, CodeItem, OrgKind, OrgUnit
from openvet.core.roles import Role, duty_conflict
from openvet.demo.plan import FEATURED_ACCOUNTS, DemoPlan, build_plan
from openvet.demo.seed import DEMO_PASSWORD, demo_seed

SMALL = 0.05


@pytest.fixture(scope="module")
def plan() -> DemoPlan:
    return build_plan()


@pytest.fixture
def seeded(db: None) -> None:
    demo_seed(scale=SMALL)


def test_the_same_seed_gives_the_same_people() -> None:
    first, second = build_plan(scale=SMALL), build_plan(scale=SMALL)

    assert first.people == second.people
    assert first.orgs == second.orgs


def test_another_seed_gives_other_people() -> None:
    assert build_plan(seed=1, scale=SMALL).people != build_plan(seed=2, scale=SMALL).people


def test_full_plan_has_about_3000_students_and_250_staff(plan: DemoPlan) -> None:
    students = [p for p in plan.people if p.role == Role.STUDENT]

    assert len(students) == 3096
    assert len(plan.people) - len(students) == 253


def test_every_id_number_is_valid(plan: DemoPlan) -> None:
    problems = {p.username: codes.id_number_problem(p.id_number) for p in plan.people}

    assert {name: problem for name, problem in problems.items() if problem} == {}


def test_id_numbers_are_unique(plan: DemoPlan) -> None:
    assert len({p.id_number for p in plan.people}) == len(plan.people)


def test_gender_matches_the_id_number_parity(plan: DemoPlan) -> None:
    mismatched = [
        p.username for p in plan.people if codes.id_number_gender(p.id_number) != p.gender
    ]

    assert mismatched == []


def test_id_numbers_come_from_demo_districts(plan: DemoPlan) -> None:
    assert {p.id_number[:4] for p in plan.people} == {"3301", "3302"}


def test_some_students_are_minors_in_2025(plan: DemoPlan) -> None:
    births = [int(p.id_number[6:10]) for p in plan.people if p.role == Role.STUDENT]

    assert min(births) == 2005
    assert max(births) == 2010


def test_mobiles_are_unique_and_well_formed(plan: DemoPlan) -> None:
    mobiles = [p.mobile for p in plan.people]

    assert len(set(mobiles)) == len(mobiles)
    assert {codes.mobile_problem(m) for m in mobiles} == {None}
    assert {m[:4] for m in mobiles} == {"1700"}


def test_person_numbers_are_unique(plan: DemoPlan) -> None:
    numbers = [p.person_number for p in plan.people if p.person_number]

    assert len(set(numbers)) == len(numbers)


def test_every_enterprise_credit_code_is_valid(plan: DemoPlan) -> None:
    enterprises = [o for o in plan.orgs if o.kind == OrgKind.ENTERPRISE]

    assert len(enterprises) == 10
    assert {codes.credit_code_problem(o.code) for o in enterprises} == {None}


def test_school_codes_are_ten_digits_in_the_demo_range(plan: DemoPlan) -> None:
    schools = [o.code for o in plan.orgs if o.kind == OrgKind.SCHOOL]

    assert schools == ["4133019901", "4133019902", "4133029901"]


@pytest.mark.django_db
def test_every_major_code_is_in_the_catalogue(plan: DemoPlan) -> None:
    majors = {o.code for o in plan.orgs if o.kind == OrgKind.MAJOR}
    catalogue = set(
        CodeItem.objects.filter(table="major_higher_vocational").values_list("code", flat=True)
    )

    assert majors - catalogue == set()


def test_class_names_follow_major_year_and_number(plan: DemoPlan) -> None:
    first_class = next(o for o in plan.orgs if o.kind == OrgKind.CLASS)

    assert (first_class.name, first_class.grade_year) == (
        "\u8ba1\u7b97\u673a\u5e94\u7528\u6280\u672f2401\u73ed",
        2024,
    )


def test_org_paths_follow_the_parents(seeded: None) -> None:
    wrong = [
        org.pk
        for org in OrgUnit.objects.select_related("parent")
        if org.path != f"{org.parent.path if org.parent else '/'}{org.pk:08d}/"
    ]

    assert wrong == []


def _signs_in(username: str) -> bool:
    client = Client()
    client.post(reverse("identity:login"), {"username": username, "password": DEMO_PASSWORD})
    return "_auth_user_id" in client.session


def test_featured_accounts_can_sign_in(seeded: None) -> None:
    signed_in = [name for name in FEATURED_ACCOUNTS if _signs_in(name)]

    assert signed_in == list(FEATURED_ACCOUNTS)


def test_students_sign_in_with_their_student_number(seeded: None) -> None:
    number = get_user_model().objects.get(username="student2").person_number

    assert _signs_in(number) is True


def test_featured_accounts_hold_their_roles(seeded: None) -> None:
    result = demo_seed(scale=SMALL)

    assert [(a.username, a.role) for a in result.accounts] == [
        ("platform", Role.PLATFORM_ADMIN),
        ("region", Role.REGIONAL_ADMIN),
        ("admin1", Role.SCHOOL_ADMIN),
        ("security1", Role.SECURITY_ADMIN),
        ("audit1", Role.AUDIT_ADMIN),
        ("head1", Role.DEPARTMENT_HEAD),
        ("teacher1", Role.TEACHER),
        ("counsellor1", Role.COUNSELLOR),
        ("student1", Role.STUDENT),
        ("mentor1", Role.ENTERPRISE_MENTOR),
        ("evaluator1", Role.EVALUATOR),
    ]


def test_no_account_breaks_separation_of_duties(seeded: None) -> None:
    assignment = apps.get_model("identity", "RoleAssignment")
    roles: dict[int, set[str]] = {}
    for user_id, role in assignment.objects.values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)

    assert [user_id for user_id, held in roles.items() if duty_conflict(held)] == []
    assert len(roles) == get_user_model().objects.count()


def test_only_the_evaluator_grant_expires(seeded: None) -> None:
    assignment = apps.get_model("identity", "RoleAssignment")

    expiring = assignment.objects.filter(expires_at__isnull=False)

    assert list(expiring.values_list("user__username", "role")) == [("evaluator1", Role.EVALUATOR)]


def test_student_sees_only_their_class_scope(seeded: None) -> None:
    student = get_user_model().objects.get(username="student1")

    assert policy.roles_of(student) == {Role.STUDENT}
    assert student.home_org.kind == OrgKind.CLASS


def test_pii_is_stored_with_digests(seeded: None) -> None:
    student = get_user_model().objects.get(username="student1")

    assert codes.id_number_problem(student.id_number) is None
    assert student.id_number_digest != ""
    assert student.mobile_digest != ""


def test_second_run_creates_nothing(seeded: None) -> None:
    counts = (OrgUnit.objects.count(), get_user_model().objects.count(), AuditEntry.objects.count())

    result = demo_seed(scale=SMALL)

    assert result.created is False
    assert (
        OrgUnit.objects.count(),
        get_user_model().objects.count(),
        AuditEntry.objects.count(),
    ) == counts


def test_seeding_writes_one_summary_audit_entry_for_the_accounts(seeded: None) -> None:
    summary = AuditEntry.objects.filter(object_label="demo data")

    assert summary.count() == 1
    assert summary.get().changes["users"] == get_user_model().objects.count()


def test_demo_command_prints_one_account_per_role(db: None) -> None:
    out = StringIO()

    call_command("demo", "--scale", str(SMALL), stdout=out)

    lines = out.getvalue().splitlines()
    # The demo data, the teaching demo, its earlier terms, the table's header, then the accounts.
    assert len(lines) == 4 + len(FEATURED_ACCOUNTS)
    assert [line.split()[0] for line in lines[4:]] == list(FEATURED_ACCOUNTS)
    assert all(line.rstrip().endswith(DEMO_PASSWORD) for line in lines[4:])


def test_the_demo_opens_with_this_mornings_early_warnings_once(db: None) -> None:
    from openvet.lrs.models import AcademicWarning

    call_command("demo", "--scale", str(SMALL), stdout=StringIO())
    raised = AcademicWarning.objects.count()
    # A few demo students fall silent in the last two weeks: the counsellors have a list.
    assert raised > 0
    call_command("demo", "--scale", str(SMALL), stdout=StringIO())
    assert AcademicWarning.objects.count() == raised


@pytest.mark.django_db
def test_full_size_demo_creates_every_account(plan: DemoPlan) -> None:
    result = demo_seed()

    assert result.users == len(plan.people)
    assert get_user_model().objects.count() == 3349
    assert (result.students, result.staff, result.status_changes) == (3096, 249, 6)
