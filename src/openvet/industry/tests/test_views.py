"""The pages: what each role reaches, refusals shown on the form with what was typed kept,
another school's placements out of reach, and the exports' contents."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from openvet.industry import services
from openvet.industry.models import InternshipPost, Placement
from openvet.industry.tests.conftest import PDF, World

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    response = Client().get(reverse("industry:enterprise-list"))
    assert response.status_code == 302


def test_enterprise_publishes_a_post(world: World) -> None:
    client = client_for(world.mentor)
    url = reverse("industry:post-new", args=[world.enterprise.pk])
    form = {
        "title": "Quality inspector",
        "location": "2 Factory Road",
        "latitude": "30.1",
        "longitude": "120.1",
        "openings": "2",
        "same_post_staff": "20",
        "staff_wage": "4800",
        "physical_intensity": "1",
        "school": str(world.campus.school.pk),
        "intern_pay": "4000",
        "shifts": "Weekdays 8:30-17:30",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    post = InternshipPost.objects.get(title="Quality inspector")
    assert post.school == world.campus.school
    assert post.approval == "pending"
    assert response["Location"] == reverse("industry:post-detail", args=[post.pk])


def test_a_school_cannot_publish_under_an_enterprise(world: World) -> None:
    response = client_for(world.admin).get(reverse("industry:post-new", args=[world.enterprise.pk]))
    assert response.status_code == 403


def test_profile_form_keeps_input_and_says_what_is_wrong(world: World) -> None:
    response = client_for(world.mentor).post(
        reverse("industry:enterprise-edit", args=[world.enterprise.pk]),
        {
            "industry": "C",
            "size": "small",
            "region_code": "12",
            "address": "Kept address",
            "contact_name": "Li",
            "contact_phone": "123",
            "staff_count": "40",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Kept address" in body
    assert "6 digits" in body
    assert "landline" in body


def test_placement_breaking_a_rule_is_refused_on_the_page(world: World, settings: Any) -> None:
    client = client_for(world.admin)
    form = {
        "student": world.student.pk,
        "post": world.post.pk,
        "start_date": "2026-03-02",
        "end_date": "2026-08-28",
        "school_mentor": world.teacher.pk,
        "enterprise_mentor": world.mentor.pk,
        "monthly_pay": "3000",
        "fees_charged": "0",
        "agreement": SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
        "consent": SimpleUploadedFile("c.pdf", PDF, "application/pdf"),
        "insurance_policy": "P-1",
        "insurance_start": "2026-03-01",
        "insurance_end": "2026-08-31",
    }
    url = reverse("industry:plan-detail", args=[world.plan.pk])
    response = client.post(url, form)
    assert response.status_code == 422
    assert "第十八条" in response.content.decode()
    assert 'value="3000"' in response.content.decode()
    assert not Placement.objects.exists()
    form["monthly_pay"] = "4500"
    form["agreement"] = SimpleUploadedFile("a.pdf", PDF, "application/pdf")
    form["consent"] = SimpleUploadedFile("c.pdf", PDF, "application/pdf")
    assert client.post(url, form).status_code == 302
    assert Placement.objects.count() == 1


def test_another_school_reaches_neither_plan_nor_placement(
    world: World, other_world: World
) -> None:
    placement = world.place()
    client = client_for(other_world.admin)
    assert client.get(reverse("industry:plan-detail", args=[world.plan.pk])).status_code == 404
    response = client.get(reverse("industry:placement-detail", args=[placement.pk]))
    assert response.status_code == 404
    assert world.student.name not in client.get(reverse("industry:placement-list")).content.decode()
    response = client.post(
        reverse("industry:placement-detail", args=[placement.pk]), {"score": "10", "comment": "x"}
    )
    assert response.status_code == 404
    assert not placement.evaluations.exists()


def test_student_checks_in_and_writes_a_journal(world: World) -> None:
    world.place()
    client = client_for(world.student_user)
    with time_machine.travel("2026-03-18 09:00 +0800"):
        response = client.post(
            reverse("industry:my-internship"),
            {"check_in": "1", "latitude": "30.2741", "longitude": "120.1551"},
        )
        assert response.status_code == 302
        response = client.post(
            reverse("industry:my-internship"),
            {"journal": "1", "week_start": "2026-03-16", "text": "short"},
        )
        assert response.status_code == 422
        assert "20 characters" in response.content.decode()
        page = client.get(reverse("industry:my-internship")).content.decode()
    assert "m from the workplace" in page


def test_mentor_cosigns_from_the_placement_page(world: World) -> None:
    placement = world.place()
    with time_machine.travel("2026-03-18 09:00 +0800"):
        journal = services.journal_submit(
            actor=world.student_user,
            placement=placement,
            week_start=date(2026, 3, 16),
            text="y" * 30,
        )
    response = client_for(world.mentor).post(reverse("industry:journal-cosign", args=[journal.pk]))
    assert response.status_code == 302
    journal.refresh_from_db()
    assert journal.cosigned_by == world.mentor
    assert (
        client_for(world.teacher)
        .post(reverse("industry:journal-cosign", args=[journal.pk]))
        .status_code
        == 403
    )
    journal.refresh_from_db()
    assert journal.cosigned_by == world.mentor


def test_monthly_export_has_the_platform_fields(world: World) -> None:
    world.place()
    response = client_for(world.admin).get(reverse("industry:placement-export") + "?month=2026-03")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "Unified social credit code" in rows[0]
    assert rows[1][0] == world.student.student_number
    assert world.enterprise.code in rows[1]
    assert len(rows) == 2


def test_employment_dashboard_counts_destinations(world: World) -> None:
    services.destination_record(
        actor=world.admin,
        student=world.student,
        graduation_year=2027,
        destination="11",
        salary_band="5000",
        related_to_major=True,
    )
    page = client_for(world.admin).get(reverse("industry:employment")).content.decode()
    assert "100.0%" in page
    response = client_for(world.admin).get(reverse("industry:employment-export"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][5] == "11"
    assert client_for(world.student_user).get(reverse("industry:employment")).status_code == 403
