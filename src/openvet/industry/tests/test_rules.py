"""One test per rule of the 2021 internship regulation enforced when a student is placed:
the placement is refused, nothing is written, and the refusal cites the article."""

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openvet.core.errors import ValidationFailed
from openvet.industry.models import EnterpriseProfile, InternshipPost, Placement
from openvet.industry.rules import REGULATION
from openvet.industry.tests.conftest import World
from openvet.records.tests.factories import id_number_for, student

pytestmark = pytest.mark.django_db


def refused(world: World, **overrides: Any) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        world.place(**overrides)
    assert not Placement.objects.exists()
    return caught.value


def test_a_placement_within_the_rules_is_made(world: World) -> None:
    placement = world.place()
    assert placement.enterprise == world.enterprise
    assert placement.agreement.read().startswith(b"%PDF-")


def test_a_student_is_not_placed_twice_over_the_same_dates(world: World) -> None:
    first = world.place()
    with pytest.raises(ValidationFailed) as caught:
        world.place(start_date=first.end_date, end_date=first.end_date)
    assert "student" in caught.value.details
    assert list(Placement.objects.all()) == [first]


def test_r2_no_post_internship_in_the_first_year(world: World) -> None:
    freshman = student(world.campus, grade_year=2025)
    error = refused(world, student=freshman)
    assert f"{REGULATION}第十六条第（一）项" in str(error.message)
    assert "student" in error.details


def test_r3_no_post_internship_under_16(world: World) -> None:
    young = student(world.campus, birth=date(2010, 6, 1), id_number=id_number_for(date(2010, 6, 1)))
    assert "第十六条第（二）项" in str(refused(world, student=young).message)


def test_r4_minors_never_do_forbidden_work(world: World) -> None:
    InternshipPost.objects.filter(pk=world.post.pk).update(minor_forbidden=True)
    minor = student(world.campus, birth=date(2009, 1, 1), id_number=id_number_for(date(2009, 1, 1)))
    assert "第十六条第（三）项" in str(refused(world, student=minor).message)
    world.place()  # an adult may take the same post


def test_r5_women_never_do_work_forbidden_to_women(world: World) -> None:
    InternshipPost.objects.filter(pk=world.post.pk).update(female_forbidden=True)
    woman = student(world.campus, gender="2")
    assert "第十六条第（四）项" in str(refused(world, student=woman).message)


def test_r6_no_entertainment_venues(world: World) -> None:
    EnterpriseProfile.objects.filter(enterprise=world.enterprise).update(
        is_entertainment_venue=True
    )
    assert "第十六条第（五）项" in str(refused(world).message)


def test_r7_no_agencies(world: World) -> None:
    EnterpriseProfile.objects.filter(enterprise=world.enterprise).update(is_agency=True)
    assert "第十六条第（六）项" in str(refused(world).message)


def test_r8_no_heavy_physical_labour(world: World) -> None:
    InternshipPost.objects.filter(pk=world.post.pk).update(physical_intensity=3)
    assert "第十六条第（七）项" in str(refused(world).message)


def test_r9_no_night_shifts_or_high_risk_work(world: World) -> None:
    InternshipPost.objects.filter(pk=world.post.pk).update(night_shifts=True)
    assert "第十七条" in str(refused(world).message)


def test_r10_interns_at_most_a_share_of_the_staff(world: World) -> None:
    EnterpriseProfile.objects.filter(enterprise=world.enterprise).update(staff_count=5)
    error = refused(world)
    assert "10%" in str(error.message)


def test_r10_share_threshold_is_configurable(world: World, settings: Any) -> None:
    EnterpriseProfile.objects.filter(enterprise=world.enterprise).update(staff_count=5)
    settings.OPENVET_INTERNSHIP_RULES = {"max_share_of_staff": 0.5}
    world.place()


def test_r11_post_internship_normally_six_months(world: World) -> None:
    world.plan.end_date = date(2026, 12, 31)
    world.plan.save()
    error = refused(world, end_date=date(2026, 12, 31), insurance_end=date(2026, 12, 31))
    assert "6" in error.details["end_date"]


def test_r13_no_placement_without_the_agreement(world: World) -> None:
    assert "agreement" in refused(world, agreement=None).details


def test_agreement_must_really_be_a_pdf(world: World) -> None:
    fake = SimpleUploadedFile("agreement.pdf", b"PK\x03\x04 a renamed document")
    error = refused(world, agreement=fake)
    assert "PDF" in error.details["agreement"]


def test_r15_pay_at_least_80_percent_of_staff_wage(world: World) -> None:
    error = refused(world, monthly_pay=3999)
    assert "第十八条" in error.details["monthly_pay"]
    assert "4000" in error.details["monthly_pay"]


def test_r16_no_fees_from_interns(world: World) -> None:
    assert "fees_charged" in refused(world, fees_charged=500).details


def test_r17_insurance_must_cover_the_period(world: World) -> None:
    assert "insurance_policy" in refused(world, insurance_policy="").details
    error = refused(world, insurance_end=date(2026, 6, 30))
    assert "insurance_end" in error.details


def test_r20_two_mentors(world: World) -> None:
    assert "school_mentor" in refused(world, enterprise_mentor=None).details


def test_every_broken_rule_is_named_at_once(world: World) -> None:
    error = refused(world, monthly_pay=0, fees_charged=10, agreement=None)
    assert {"monthly_pay", "fees_charged", "agreement"} <= set(error.details)
