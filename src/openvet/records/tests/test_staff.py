from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from openvet.core.errors import NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import OrgKind
from openvet.core.tests.factories import OrgUnitFactory
from openvet.records import selectors, services
from openvet.records.codes import PostType, QualificationKind
from openvet.records.models import Staff
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import id_number_for, staff

pytestmark = pytest.mark.django_db


def enterprise(people: People) -> object:
    return OrgUnitFactory(
        kind=OrgKind.ENTERPRISE,
        name="Acme",
        code="91330100MA27XL1234",
        parent=people.campus.school.parent,
    )


def test_create_staff_with_masked_id(people: People) -> None:
    number = id_number_for(date(1985, 3, 2), male=False)
    created = services.staff_create(
        actor=people.admin,
        school=people.campus.school,
        staff_number="T001",
        name="Wang",
        gender="2",
        id_number=number,
        department=people.campus.department,
        post_type=PostType.FULL_TIME_TEACHER,
        title="Lecturer",
        education="master",
        degree="master",
    )
    assert (created.birth_date, created.org) == (date(1985, 3, 2), people.campus.department)
    assert created.masked_id_number == number[:6] + "********" + number[-4:]


def test_enterprise_teacher_needs_an_enterprise(people: People) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.staff_create(
            actor=people.admin,
            school=people.campus.school,
            staff_number="E1",
            name="Zhao",
            gender="1",
            id_number=id_number_for(date(1981, 5, 6)),
            post_type=PostType.ENTERPRISE_TEACHER,
        )
    assert set(caught.value.details) == {"enterprise"}
    company = enterprise(people)
    created = services.staff_create(
        actor=people.admin,
        school=people.campus.school,
        staff_number="E1",
        name="Zhao",
        gender="1",
        id_number=id_number_for(date(1981, 5, 6)),
        post_type=PostType.ENTERPRISE_TEACHER,
        enterprise=company,
    )
    assert created.enterprise == company


def test_a_department_is_not_an_enterprise(people: People) -> None:
    with pytest.raises(ValidationFailed):
        services.staff_create(
            actor=people.admin,
            school=people.campus.school,
            staff_number="E2",
            name="Qian",
            gender="1",
            post_type=PostType.ENTERPRISE_TEACHER,
            enterprise=people.campus.department,
        )


def test_upsert_by_staff_number(people: People) -> None:
    row = {
        "staff_number": "T9",
        "name": "Sun",
        "gender": "1",
        "id_number": id_number_for(date(1979, 8, 9)),
        "post_type": "administrative",
    }
    first, created = services.staff_upsert(actor=people.admin, school=people.campus.school, row=row)
    again, created_again = services.staff_upsert(
        actor=people.admin, school=people.campus.school, row=row | {"title": "Engineer"}
    )
    assert (created, created_again, again.pk, again.title) == (True, False, first.pk, "Engineer")


def test_staff_of_another_school_is_neither_visible_nor_editable(
    people: People, other_people: People
) -> None:
    theirs = staff(other_people.campus)
    assert list(selectors.staff_list_for(actor=people.admin)) == []
    with pytest.raises(NotFound):
        selectors.staff_get_for(actor=people.admin, staff_id=theirs.pk)
    with pytest.raises(PermissionDenied):
        services.staff_update(actor=people.admin, staff=theirs, name="Hacked")
    assert Staff.objects.get(pk=theirs.pk).name != "Hacked"


def test_six_months_practice_within_five_years_makes_a_dual_qualified_teacher(
    people: People,
) -> None:
    teacher = staff(people.campus)
    end = timezone.localdate() - timedelta(days=10)
    services.practice_add(
        actor=people.admin,
        staff=teacher,
        starts_on=end - timedelta(days=90),
        ends_on=end,
        enterprise_name="Acme",
    )
    teacher.refresh_from_db()
    assert teacher.is_dual_qualified is False

    services.practice_add(
        actor=people.admin,
        staff=teacher,
        starts_on=end - timedelta(days=300),
        ends_on=end - timedelta(days=180),
        enterprise_name="Beta",
    )
    teacher.refresh_from_db()
    assert teacher.is_dual_qualified is True
    assert services.dual_qualification_reasons(teacher) == ["practice"]


def test_old_practice_does_not_count(people: People) -> None:
    teacher = staff(people.campus)
    long_ago = timezone.localdate() - timedelta(days=365 * 7)
    services.practice_add(
        actor=people.admin,
        staff=teacher,
        starts_on=long_ago,
        ends_on=long_ago + timedelta(days=365),
        enterprise_name="Old Co",
    )
    teacher.refresh_from_db()
    assert teacher.is_dual_qualified is False


def test_a_vocational_qualification_in_the_field_suffices_when_the_school_says_so(
    people: People,
) -> None:
    teacher = staff(people.campus, field_code="510203")
    services.qualification_add(
        actor=people.admin,
        staff=teacher,
        kind=QualificationKind.VOCATIONAL,
        name="Network engineer",
        field_code="520101",
    )
    teacher.refresh_from_db()
    assert teacher.is_dual_qualified is False
    services.qualification_add(
        actor=people.admin,
        staff=teacher,
        kind=QualificationKind.VOCATIONAL,
        name="Software engineer",
        field_code="510201",
    )
    teacher.refresh_from_db()
    assert teacher.is_dual_qualified is True

    services.dual_rule_set(
        actor=people.admin,
        school=people.campus.school,
        min_practice_months=6,
        within_years=5,
        accept_vocational_qualification=False,
    )
    services.staff_recognise_dual(actor=people.admin, staff=teacher)
    teacher.refresh_from_db()
    assert teacher.is_dual_qualified is False


def test_administrative_staff_are_never_dual_qualified(people: People) -> None:
    clerk = staff(people.campus, post_type=PostType.ADMINISTRATIVE)
    services.qualification_add(
        actor=people.admin, staff=clerk, kind=QualificationKind.VOCATIONAL, name="Accountant"
    )
    clerk.refresh_from_db()
    assert clerk.is_dual_qualified is False


def test_evidence_must_be_a_pdf_or_image(people: People) -> None:
    teacher = staff(people.campus)
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationFailed):
        services.qualification_add(
            actor=people.admin,
            staff=teacher,
            kind=QualificationKind.VOCATIONAL,
            name="X",
            evidence=bad,
        )
    good = SimpleUploadedFile("x.pdf", b"%PDF-1.7 ...", content_type="application/pdf")
    item = services.qualification_add(
        actor=people.admin,
        staff=teacher,
        kind=QualificationKind.VOCATIONAL,
        name="X",
        evidence=good,
    )
    assert item.evidence.name.endswith(".pdf")


def test_training_hours(people: People) -> None:
    teacher = staff(people.campus)
    record = services.training_add(
        actor=people.admin,
        staff=teacher,
        year=2026,
        title="Digital teaching",
        hours=Decimal("24.5"),
    )
    assert record.hours == Decimal("24.5")
    with pytest.raises(ValidationFailed):
        services.training_add(
            actor=people.admin, staff=teacher, year=2026, title="X", hours=Decimal("0")
        )


def test_dual_rule_of_another_school_cannot_be_set(people: People, other_people: People) -> None:
    with pytest.raises(PermissionDenied):
        services.dual_rule_set(
            actor=people.admin,
            school=other_people.campus.school,
            min_practice_months=1,
            within_years=1,
            accept_vocational_qualification=True,
        )


def test_intake_plan_only_for_majors_of_the_admins_school(
    people: People, other_people: People
) -> None:
    plan = services.intake_plan_set(
        actor=people.admin, major=people.campus.major, grade_year=2024, capacity=40
    )
    assert plan.capacity == 40
    with pytest.raises(PermissionDenied):
        services.intake_plan_set(
            actor=people.admin, major=other_people.campus.major, grade_year=2024, capacity=99
        )
    with pytest.raises(ValidationFailed):
        services.intake_plan_set(
            actor=people.admin, major=people.campus.department, grade_year=2024, capacity=1
        )
