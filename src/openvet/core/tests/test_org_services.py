import pytest
from django.utils import translation

from openvet.core import services
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.models import AuditAction, AuditEntry, CodeItem, OrgKind, OrgUnit, SchoolType
from openvet.core.roles import Role
from openvet.core.tests.actors import make_user
from openvet.core.tests.factories import OrgUnitFactory, department, nation, province, school

pytestmark = pytest.mark.django_db
CREDIT_CODE = "91350100M000100Y43"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def zhejiang():
    return province()


@pytest.fixture
def platform():
    return make_user(Role.PLATFORM_ADMIN, nation())


def _errors(excinfo):
    return excinfo.value.details


def test_create_school_sets_path_and_depth(zhejiang, platform):
    org = services.org_create(
        actor=platform,
        parent=zhejiang,
        kind=OrgKind.SCHOOL,
        name="Hangzhou Polytechnic",
        code="4133012861",
        school_type=SchoolType.HIGHER_VOCATIONAL,
    )
    org.refresh_from_db()
    assert (org.path, org.depth) == (f"{zhejiang.path}{org.pk:08d}/", zhejiang.depth + 1)


def test_create_is_audited_with_the_new_values(zhejiang, platform):
    org = services.org_create(
        actor=platform,
        parent=zhejiang,
        kind=OrgKind.ENTERPRISE,
        name="Firm",
        code=CREDIT_CODE.lower(),
    )
    entry = AuditEntry.objects.get(object_id=str(org.pk))
    assert (entry.action, entry.org_path, entry.changes) == (
        AuditAction.CREATE,
        org.path,
        {"name": [None, "Firm"], "code": [None, CREDIT_CODE]},
    )


def test_create_ignores_fields_that_are_not_editable(zhejiang, platform):
    org = services.org_create(
        actor=platform,
        parent=zhejiang,
        kind=OrgKind.ENTERPRISE,
        name="Firm",
        code=CREDIT_CODE,
        path="/hack/",
        depth=9,
    )
    org.refresh_from_db()
    assert (org.path, org.depth) == (f"{zhejiang.path}{org.pk:08d}/", 2)


@pytest.mark.parametrize(
    ("kind", "parent_kind"),
    [
        (OrgKind.DEPARTMENT, OrgKind.PROVINCE),
        (OrgKind.SCHOOL, OrgKind.NATION),
        (OrgKind.CLASS, OrgKind.SCHOOL),
        (OrgKind.MAJOR, OrgKind.SCHOOL),
    ],
)
def test_tree_shape_is_enforced(kind, parent_kind, platform):
    parent = {OrgKind.PROVINCE: province, OrgKind.NATION: nation, OrgKind.SCHOOL: school}[
        parent_kind
    ]()
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_create(
            actor=platform, parent=parent, kind=kind, name="X", code="510201", grade_year=2025
        )
    assert _errors(excinfo)["parent"] == "This kind of organisation cannot be placed there."


def test_unknown_kind_is_refused(zhejiang, platform):
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_create(actor=platform, parent=zhejiang, kind="galaxy", name="X")
    assert _errors(excinfo) == {"kind": "Unknown kind of organisation."}


def test_name_is_required(zhejiang, platform):
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_create(
            actor=platform, parent=zhejiang, kind=OrgKind.ENTERPRISE, name="  ", code=CREDIT_CODE
        )
    assert _errors(excinfo) == {"name": "A name is required."}


def test_enterprise_credit_code_with_a_wrong_check_character_is_refused(zhejiang, platform):
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_create(
            actor=platform,
            parent=zhejiang,
            kind=OrgKind.ENTERPRISE,
            name="Firm",
            code="91350100M000100Y44",
        )
    assert _errors(excinfo) == {"code": "The check character of this credit code is wrong."}


def test_enterprise_credit_code_of_the_wrong_shape_is_refused(zhejiang, platform):
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_create(
            actor=platform, parent=zhejiang, kind=OrgKind.ENTERPRISE, name="Firm", code="12345"
        )
    assert _errors(excinfo) == {"code": "A unified social credit code has 18 characters."}


def test_school_needs_a_ten_digit_code_and_a_type(zhejiang, platform):
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_create(
            actor=platform, parent=zhejiang, kind=OrgKind.SCHOOL, name="School", code="41330"
        )
    assert set(_errors(excinfo)) == {"code", "school_type"}


def test_region_code_must_match_its_level(platform):
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_create(
            actor=platform, parent=nation(), kind=OrgKind.PROVINCE, name="Zhejiang", code="330100"
        )
    assert _errors(excinfo) == {
        "code": "A region needs its six-digit GB/T 2260 code for its level."
    }


def test_class_needs_a_grade_year(platform):
    major = OrgUnitFactory(kind=OrgKind.MAJOR, code="510201", parent=department(school()))
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_create(actor=platform, parent=major, kind=OrgKind.CLASS, name="C1")
    assert _errors(excinfo) == {"grade_year": "A class needs its grade year."}


def test_major_code_must_be_six_digits(platform):
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_create(
            actor=platform,
            parent=department(school()),
            kind=OrgKind.MAJOR,
            name="Software",
            code="5102",
        )
    assert _errors(excinfo) == {"code": "A major needs its six-digit code from the 2021 catalogue."}


def test_major_code_must_be_in_the_catalogue_of_the_school_level(platform):
    CodeItem.objects.get_or_create(
        table="major_higher_vocational", code="510201", defaults={"name": "Computer applications"}
    )
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_create(
            actor=platform,
            parent=department(school()),
            kind=OrgKind.MAJOR,
            name="Software",
            code="999999",
        )
    assert _errors(excinfo) == {
        "code": "999999 is not a major of the catalogue for this school's level."
    }


def test_major_in_the_catalogue_is_accepted(platform):
    CodeItem.objects.get_or_create(
        table="major_higher_vocational", code="510201", defaults={"name": "Computer applications"}
    )
    org = services.org_create(
        actor=platform,
        parent=department(school()),
        kind=OrgKind.MAJOR,
        name="Computer applications",
        code="510201",
    )
    assert org.code == "510201"


def test_duplicate_national_code_is_a_conflict(zhejiang, platform):
    services.org_create(
        actor=platform, parent=zhejiang, kind=OrgKind.ENTERPRISE, name="A", code=CREDIT_CODE
    )
    other = province("320000", "Jiangsu")
    with pytest.raises(Conflict):
        services.org_create(
            actor=platform, parent=other, kind=OrgKind.ENTERPRISE, name="B", code=CREDIT_CODE
        )
    assert OrgUnit.objects.filter(code=CREDIT_CODE).count() == 1


def test_same_local_code_under_different_parents_is_allowed(platform):
    node = school()
    first = services.org_create(
        actor=platform, parent=department(node, "A"), kind=OrgKind.MAJOR, name="M", code="510201"
    )
    second = services.org_create(
        actor=platform, parent=department(node, "B"), kind=OrgKind.MAJOR, name="M", code="510201"
    )
    assert first.pk != second.pk


def test_school_admin_cannot_create_outside_their_school(zhejiang):
    mine, theirs = school(zhejiang), school(zhejiang)
    with pytest.raises(PermissionDenied):
        services.org_create(
            actor=make_user(Role.SCHOOL_ADMIN, mine),
            parent=theirs,
            kind=OrgKind.DEPARTMENT,
            name="Intruder",
        )
    assert not OrgUnit.objects.filter(name="Intruder").exists()


def test_school_admin_creates_a_department_in_their_school(zhejiang):
    mine = school(zhejiang)
    org = services.org_create(
        actor=make_user(Role.SCHOOL_ADMIN, mine),
        parent=mine,
        kind=OrgKind.DEPARTMENT,
        name="Mechatronics",
    )
    assert org.parent == mine


def test_teacher_cannot_create(zhejiang):
    mine = school(zhejiang)
    with pytest.raises(PermissionDenied):
        services.org_create(
            actor=make_user(Role.TEACHER, mine), parent=mine, kind=OrgKind.DEPARTMENT, name="X"
        )


def test_update_records_the_changed_fields(platform):
    dept = department(school(), "Old name")
    services.org_update(actor=platform, org=dept, name="New name", name_en="Dept")
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(dept.pk))
    assert entry.changes == {"name": ["Old name", "New name"], "name_en": ["", "Dept"]}


def test_update_without_changes_writes_no_entry(platform):
    dept = department(school(), "Same")
    services.org_update(actor=platform, org=dept, name="Same")
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()


def test_update_validates_the_merged_values(platform):
    firm = OrgUnitFactory(kind=OrgKind.ENTERPRISE, code=CREDIT_CODE, parent=province())
    with pytest.raises(ValidationFailed) as excinfo:
        services.org_update(actor=platform, org=firm, code="91350100M000100Y44")
    firm.refresh_from_db()
    assert (_errors(excinfo), firm.code) == (
        {"code": "The check character of this credit code is wrong."},
        CREDIT_CODE,
    )


def test_update_to_a_taken_national_code_is_a_conflict(platform):
    zhejiang = province()
    school(zhejiang, code="4133000001")
    other = school(zhejiang, code="4133000002")
    with pytest.raises(Conflict):
        services.org_update(actor=platform, org=other, code="4133000001")


def test_update_outside_the_subtree_is_denied(zhejiang):
    mine, theirs = school(zhejiang), school(zhejiang)
    dept = department(theirs, "Theirs")
    with pytest.raises(PermissionDenied):
        services.org_update(actor=make_user(Role.SCHOOL_ADMIN, mine), org=dept, name="Mine now")
    dept.refresh_from_db()
    assert dept.name == "Theirs"


def test_update_keeps_path_and_depth(platform):
    dept = department(school(), "D")
    path, depth = dept.path, dept.depth
    services.org_update(actor=platform, org=dept, name="E")
    dept.refresh_from_db()
    assert (dept.path, dept.depth) == (path, depth)


def test_delete_removes_a_leaf_and_audits_it_on_the_parent(platform):
    node = school()
    dept = department(node, "Leaf")
    services.org_delete(actor=platform, org=dept)
    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert (OrgUnit.objects.filter(pk=dept.pk).exists(), entry.object_label, entry.org_path) == (
        False,
        "Leaf",
        node.path,
    )


def test_delete_is_refused_while_children_exist(platform):
    node = school()
    department(node)
    with pytest.raises(Conflict):
        services.org_delete(actor=platform, org=node)
    assert OrgUnit.objects.filter(pk=node.pk).exists()


def test_delete_outside_the_subtree_is_denied(zhejiang):
    mine, theirs = school(zhejiang), school(zhejiang)
    dept = department(theirs)
    with pytest.raises(PermissionDenied):
        services.org_delete(actor=make_user(Role.SCHOOL_ADMIN, mine), org=dept)
    assert OrgUnit.objects.filter(pk=dept.pk).exists()
