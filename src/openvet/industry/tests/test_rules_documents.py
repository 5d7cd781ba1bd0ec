"""The rules of 《职业学校学生实习管理规定》 on the documents a post internship needs, checked
when a student is placed (ADR 0618): R12 matching major, R14 informed consent, R19 filing and
the approval of an internship outside the province, R21 safety training and emergency plan.
Each refusal cites its article and writes nothing."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openvet.core.errors import ValidationFailed
from openvet.core.models import OrgUnit
from openvet.industry import daily_services, services
from openvet.industry.models import EnterpriseProfile, InternshipKind, InternshipPlan, Placement
from openvet.industry.rules import REGULATION, article_of
from openvet.industry.tests.conftest import START, World

pytestmark = pytest.mark.django_db


def refused(world: World, **overrides: Any) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        world.place(**overrides)
    assert not Placement.objects.exists()
    return caught.value


def cites(error: ValidationFailed, rule: str) -> bool:
    return f"{REGULATION}{article_of(rule)}" in str(error.message)


def _set_major_codes(world: World, student_code: str, post_code: str) -> None:
    OrgUnit.objects.filter(pk=world.campus.major.pk).update(code=student_code)
    OrgUnit.objects.filter(pk=world.campus.other_major.pk).update(code=post_code)
    standard = services.standard_create(
        actor=world.admin,
        school=world.campus.school,
        name="Nurse assistant",
        majors=[OrgUnit.objects.get(pk=world.campus.other_major.pk)],
    )
    daily_services.post_standard_set(actor=world.admin, post=world.post, standard=standard)


def test_r12_the_post_matches_the_students_category_of_majors(world: World) -> None:
    _set_major_codes(world, student_code="510203", post_code="520201")  # software vs nursing
    error = refused(world)
    assert cites(error, "R12")
    assert "post" in error.details


def test_r12_a_close_major_of_the_same_category_is_accepted(world: World) -> None:
    _set_major_codes(world, student_code="510203", post_code="510204")
    assert world.place().post == world.post


def test_r14_no_post_internship_without_the_informed_consent(world: World) -> None:
    error = refused(world, consent=None)
    assert cites(error, "R14")
    assert "consent" in error.details


def test_r14_the_consent_must_be_a_pdf(world: World) -> None:
    photo = SimpleUploadedFile("consent.pdf", b"\xff\xd8\xff" + b"0" * 40, "application/pdf")
    error = refused(world, consent=photo)
    assert "consent" in error.details


def test_r19_the_plan_is_filed_before_the_internship(world: World) -> None:
    InternshipPlan.objects.filter(pk=world.plan.pk).update(filing_reference="")
    world.plan.refresh_from_db()
    assert cites(refused(world), "R19")


def test_r19_outside_the_province_needs_the_authoritys_approval(world: World) -> None:
    EnterpriseProfile.objects.filter(enterprise=world.enterprise).update(region_code="440305")
    error = refused(world)
    assert cites(error, "R19")
    InternshipPlan.objects.filter(pk=world.plan.pk).update(
        out_of_province_approval="ZJ-EDU-OUT-2026-03"
    )
    world.plan.refresh_from_db()
    assert world.place().enterprise == world.enterprise


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"safety_training_on": None}, "safety_training_on"),
        ({"safety_training_on": START + timedelta(days=1)}, "safety_training_on"),
        ({"emergency_plan": ""}, "emergency_plan"),
    ],
)
def test_r21_safety_training_and_emergency_plan_come_first(
    world: World, changes: dict[str, Any], field: str
) -> None:
    InternshipPlan.objects.filter(pk=world.plan.pk).update(**changes)
    world.plan.refresh_from_db()
    error = refused(world)
    assert cites(error, "R21")
    assert field in error.details


def test_r21_applies_to_recognition_internships_too_r14_and_r19_do_not(world: World) -> None:
    plan = services.plan_create(
        actor=world.admin,
        class_unit=world.campus.klass,
        name="Factory visit",
        kind=InternshipKind.RECOGNITION,
        start_date=START,
        end_date=START + timedelta(days=4),
        objectives="See a production line.",
    )
    error = refused(world, plan=plan, end_date=START + timedelta(days=4), consent=None)
    assert cites(error, "R21")
    assert not cites(error, "R14")
    assert not cites(error, "R19")
