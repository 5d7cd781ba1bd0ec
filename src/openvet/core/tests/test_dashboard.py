import pytest
from django.urls import reverse

from openvet.core import shell
from openvet.core.audit import audit_record
from openvet.core.models import AuditAction, OrgKind
from openvet.core.roles import Role
from openvet.core.shell import dashboard_for
from openvet.core.tests.actors import give, make_user
from openvet.core.tests.factories import OrgUnitFactory, department, nation, province, school

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _accounts_only(monkeypatch):
    # Without an app that counts student records (records registers one), the panels count
    # student accounts; these tests create accounts only. Records' own tests cover its count.
    monkeypatch.setattr(shell, "_headcounters", {})


@pytest.fixture
def campus():
    zhejiang = province()
    a, b = school(zhejiang, name="School A"), school(zhejiang, name="School B")
    dept = department(a, "Computing")
    major = OrgUnitFactory(kind=OrgKind.MAJOR, name="Software", code="510203", parent=dept)
    class_1 = OrgUnitFactory(kind=OrgKind.CLASS, name="SW2501", parent=major, grade_year=2025)
    class_2 = OrgUnitFactory(kind=OrgKind.CLASS, name="SW2401", parent=major, grade_year=2024)
    students = [
        make_user(Role.STUDENT, class_1, gender="1"),
        make_user(Role.STUDENT, class_1, gender="2"),
        make_user(Role.STUDENT, class_1, gender="2"),
        make_user(Role.STUDENT, class_2, gender="1"),
    ]
    other_dept = department(b, "Other")
    other_major = OrgUnitFactory(kind=OrgKind.MAJOR, code="510201", parent=other_dept)
    other_class = OrgUnitFactory(kind=OrgKind.CLASS, parent=other_major, grade_year=2025)
    make_user(Role.STUDENT, other_class)
    make_user(Role.TEACHER, dept)
    return {
        "province": zhejiang,
        "a": a,
        "b": b,
        "dept": dept,
        "class_1": class_1,
        "students": students,
        "other_class": other_class,
    }


def _panel(user, key):
    return {panel.key: context for panel, context in dashboard_for(user)}[key]


def _stats(context):
    return {str(stat["label"]): stat["value"] for stat in context["stats"]}


def test_student_sees_their_class_chain_and_classmates(campus, settings):
    settings.LANGUAGE_CODE = "en"
    context = _panel(campus["students"][0], "identity.student")
    assert [fact["value"] for fact in context["facts"]] == [
        "SW2501",
        "Software",
        "Computing",
        "School A",
    ]
    assert _stats(context) == {"Classmates": 2}


def test_student_home_has_no_chart_of_their_class(campus):
    context = _panel(campus["students"][0], "identity.student")
    assert "charts" not in context


def test_student_sees_no_staff_panels(campus):
    keys = {panel.key for panel, _context in dashboard_for(campus["students"][0])}
    # Today's lessons, online courses and the to-do list are every student's; nothing about
    # staff or schools.
    assert keys == {"identity.student", "teaching.today", "learning.courses", "workflow.todo"}


def test_teacher_sees_students_and_classes_of_their_department(campus, settings):
    settings.LANGUAGE_CODE = "en"
    teacher = make_user(Role.TEACHER, campus["dept"])
    context = _panel(teacher, "identity.teaching")
    assert _stats(context) == {"Students": 4, "Classes": 2}
    assert context["charts"][0]["option"]["series"][0]["data"] == [1, 3]


def test_counsellor_sees_the_students_of_their_class_under_their_department(campus, settings):
    settings.LANGUAGE_CODE = "en"
    counsellor = make_user(Role.COUNSELLOR, campus["class_1"], home_org=campus["dept"])
    context = _panel(counsellor, "identity.teaching")
    assert (_stats(context), context["subtitle"]) == ({"Students": 3, "Classes": 1}, "Computing")


def test_school_admin_counts_only_their_school(campus, settings):
    settings.LANGUAGE_CODE = "en"
    admin = make_user(Role.SCHOOL_ADMIN, campus["a"])
    people = _stats(_panel(admin, "identity.school_people"))
    orgs = _stats(_panel(admin, "core.school_overview"))
    assert (people["Students"], people["Staff"]) == (4, 2)
    assert orgs == {"Departments": 1, "Majors": 1, "Classes": 2}


def test_school_people_panel_uses_a_fixed_number_of_queries(campus, django_assert_max_num_queries):
    admin = make_user(Role.SCHOOL_ADMIN, campus["a"])
    admin.get_grants()
    with django_assert_max_num_queries(4):
        shell._panels["identity.school_people"].build(admin)


def test_regional_admin_sees_a_row_per_school(campus):
    admin = make_user(Role.REGIONAL_ADMIN, campus["province"])
    rows = _panel(admin, "identity.region")["table"]["rows"]
    a, b = campus["a"], campus["b"]
    assert rows == [
        [{"text": "School A", "url": reverse("core:school-overview", args=[a.pk])}, 4, 1, 1],
        [{"text": "School B", "url": reverse("core:school-overview", args=[b.pk])}, 1, 0, 1],
    ]


def test_region_panel_query_count_does_not_grow_with_schools(campus, django_assert_max_num_queries):
    for _ in range(5):
        school(campus["province"])
    admin = make_user(Role.REGIONAL_ADMIN, campus["province"])
    admin.get_grants()
    with django_assert_max_num_queries(3):
        shell._panels["identity.region"].build(admin)


def test_audit_admin_sees_failed_sign_ins_of_their_school(campus, settings):
    settings.LANGUAGE_CODE = "en"
    audit_record(action=AuditAction.LOGIN_FAILED, org=campus["a"], object_label="x")
    audit_record(action=AuditAction.LOGIN_FAILED, org=campus["b"], object_label="y")
    auditor = make_user(Role.AUDIT_ADMIN, campus["a"], home_org=None)
    stats = _stats(_panel(auditor, "core.audit"))
    assert (stats["Entries today"], stats["Failed sign-ins today"]) == (1, 1)


def test_security_admin_sees_failed_sign_ins_today(campus, settings):
    settings.LANGUAGE_CODE = "en"
    audit_record(action=AuditAction.LOGIN_FAILED, org=campus["a"], object_label="x")
    security = make_user(Role.SECURITY_ADMIN, campus["a"])
    assert _stats(_panel(security, "identity.security")) == {
        "Active lockouts": 0,
        "Failed sign-ins today": 1,
    }


def test_mentor_sees_their_enterprise(campus):
    firm = OrgUnitFactory(
        kind=OrgKind.ENTERPRISE, name="Firm", code="91350100M000100Y43", parent=campus["province"]
    )
    mentor = make_user(Role.ENTERPRISE_MENTOR, firm)
    assert [fact["value"] for fact in _panel(mentor, "core.mentor")["facts"]] == ["Firm"]


def test_platform_admin_home_page_renders_charts(client, campus, settings):
    settings.REQUIRE_ADMIN_TOTP = False
    admin = make_user(Role.PLATFORM_ADMIN, nation())
    give(admin, Role.PLATFORM_ADMIN, campus["province"])
    client.force_login(admin)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert b'data-chart="chart-region-schools"' in response.content
