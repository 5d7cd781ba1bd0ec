"""The enterprise library's completion (ADR 0620–0622): contacts with masked phones and
audited reveals, PDF-only qualification documents flagged when expired, one rating a school a
year by cooperating schools, rule R18 (on-site assessment) at placement and R23 (archive) at
the end, and another school's users kept out."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.models import AuditAction, AuditEntry
from openvet.industry import services, services_library
from openvet.industry.models import EnterpriseAssessment, Placement
from openvet.industry.models_library import EnterpriseContact, EnterpriseDocument, EnterpriseRating
from openvet.industry.rules import REGULATION, article_of
from openvet.industry.tests.conftest import END, PDF, START, World

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def pdf(name: str = "licence.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def add_contact(world: World) -> EnterpriseContact:
    return services_library.contact_add(
        actor=world.mentor,
        enterprise=world.enterprise,
        name="Li Hua",
        role="HR manager",
        phone="13912345678",
    )


def test_contact_phone_is_masked_on_the_page_and_revealed_with_an_audit(world: World) -> None:
    contact = add_contact(world)
    page = client_for(world.admin).get(
        reverse("industry:enterprise-detail", args=[world.enterprise.pk])
    )
    body = page.content.decode()
    assert "139****5678" in body
    assert "13912345678" not in body
    revealed = client_for(world.admin).post(reverse("industry:contact-reveal", args=[contact.pk]))
    assert revealed.status_code == 200
    assert "13912345678" in revealed.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL, object_id=str(contact.pk)).exists()


def test_a_teacher_cannot_reveal_a_contact_phone(world: World) -> None:
    contact = add_contact(world)
    response = client_for(world.teacher).post(reverse("industry:contact-reveal", args=[contact.pk]))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_a_bad_phone_is_refused_and_the_form_keeps_what_was_typed(world: World) -> None:
    url = reverse("industry:contact-new", args=[world.enterprise.pk])
    response = client_for(world.mentor).post(
        url, {"name": "Li Hua", "role": "HR", "phone": "12345"}
    )
    assert response.status_code == 422
    assert 'value="Li Hua"' in response.content.decode()
    assert not EnterpriseContact.objects.exists()


def test_only_the_enterprise_keeps_its_contacts(world: World, other_world: World) -> None:
    with pytest.raises(PermissionDenied):
        services_library.contact_add(
            actor=other_world.mentor,
            enterprise=world.enterprise,
            name="X",
            role="Y",
            phone="13912345678",
        )
    with pytest.raises(PermissionDenied):
        services_library.contact_add(
            actor=world.admin, enterprise=world.enterprise, name="X", role="Y", phone="13912345678"
        )


def test_documents_are_pdf_by_content_and_expired_ones_are_flagged(world: World) -> None:
    with pytest.raises(ValidationFailed):
        services_library.document_add(
            actor=world.mentor,
            enterprise=world.enterprise,
            kind="licence",
            title="Licence",
            file=pdf("licence.pdf", b"PK\x03\x04 not a pdf"),
            expires_on=None,
        )
    assert not EnterpriseDocument.objects.exists()
    services_library.document_add(
        actor=world.mentor,
        enterprise=world.enterprise,
        kind="safety",
        title="Safety certificate",
        file=pdf(),
        expires_on=date.today() - timedelta(days=1),  # noqa: DTZ011
    )
    body = (
        client_for(world.admin)
        .get(reverse("industry:enterprise-detail", args=[world.enterprise.pk]))
        .content.decode()
    )
    assert "Safety certificate" in body
    assert "Expired" in body


def rate(world: World, **overrides: Any) -> EnterpriseRating:
    values: dict[str, Any] = {
        "enterprise": world.enterprise,
        "school": world.campus.school,
        "year": date.today().year,  # noqa: DTZ011
        "placement_quality": 4,
        "safety": 5,
        "mentor_support": 3,
        "comment": "Good mentors.",
    }
    values.update(overrides)
    return services_library.rating_save(actor=world.admin, **values)


def test_one_rating_a_school_a_year_and_the_page_shows_the_average(world: World) -> None:
    rate(world)
    with pytest.raises(Conflict):
        rate(world, safety=1)
    assert EnterpriseRating.objects.count() == 1
    body = (
        client_for(world.teacher)
        .get(reverse("industry:enterprise-detail", args=[world.enterprise.pk]))
        .content.decode()
    )
    assert "4.0" in body  # (4 + 5 + 3) / 3
    assert "1 rating" in body


def test_only_a_cooperating_school_rates(world: World, other_world: World) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services_library.rating_save(
            actor=other_world.admin,
            enterprise=world.enterprise,
            school=other_world.campus.school,
            year=date.today().year,  # noqa: DTZ011
            placement_quality=3,
            safety=3,
            mentor_support=3,
        )
    assert "school" in caught.value.details
    with pytest.raises(PermissionDenied):  # not in another school's name
        rate(world, school=other_world.campus.school)
    with pytest.raises(ValidationFailed):
        rate(world, safety=6)
    assert not EnterpriseRating.objects.exists()


def test_another_schools_user_cannot_reach_a_contact_of_a_missing_id(world: World) -> None:
    response = client_for(world.admin).post(reverse("industry:contact-reveal", args=[999999]))
    assert response.status_code == 404


# --- R18 and R23 ------------------------------------------------------------------------------


def cites(error: ValidationFailed, rule: str) -> bool:
    return f"{REGULATION}{article_of(rule)}" in str(error.message)


def test_r18_a_new_enterprise_without_assessment_is_refused(world: World) -> None:
    EnterpriseAssessment.objects.all().delete()
    with pytest.raises(ValidationFailed) as caught:
        world.place()
    assert cites(caught.value, "R18")
    assert not Placement.objects.exists()


def test_r18_an_unpublished_list_is_not_enough(world: World) -> None:
    EnterpriseAssessment.objects.update(published_on=None)
    with pytest.raises(ValidationFailed) as caught:
        world.place()
    assert cites(caught.value, "R18")


def test_r18_an_assessed_and_published_enterprise_is_accepted(world: World) -> None:
    assert world.place().pk


def test_r18_the_report_must_be_a_pdf(world: World, other_world: World) -> None:
    with pytest.raises(ValidationFailed):
        services_library.assessment_record(
            actor=world.admin,
            school=world.campus.school,
            enterprise=other_world.enterprise,
            visited_on=START,
            report=pdf("report.pdf", b"GIF89a"),
            decision_reference="2026-3",
            published_on=START,
        )
    with pytest.raises(PermissionDenied):  # another school's name
        services_library.assessment_record(
            actor=world.admin,
            school=other_world.campus.school,
            enterprise=world.enterprise,
            visited_on=START,
            report=pdf(),
            decision_reference="2026-3",
            published_on=START,
        )


def finish(world: World, placement: Placement) -> None:
    from openvet.industry.models import Journal

    Journal.objects.create(placement=placement, week_start=START, text="A week of assembly work.")
    services.evaluation_record(actor=world.teacher, placement=placement, score=88, comment="Good")
    services.evaluation_record(actor=world.mentor, placement=placement, score=90, comment="Good")


def test_r23_archiving_names_what_is_missing_and_the_article(world: World) -> None:
    placement = world.place()
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services_library.placement_archive(actor=world.admin, placement=placement)
    assert cites(caught.value, "R23")
    assert "journals" in str(caught.value.message)
    placement.refresh_from_db()
    assert placement.archived_at is None


def test_r23_a_complete_ended_internship_is_archived_once(world: World) -> None:
    placement = world.place()
    finish(world, placement)
    placement.refresh_from_db()
    assert placement.end_date == END
    assert placement.grade
    services_library.placement_archive(actor=world.admin, placement=placement)
    placement.refresh_from_db()
    assert placement.archived_at is not None
    with pytest.raises(Conflict):
        services_library.placement_archive(actor=world.admin, placement=placement)


def test_r23_another_school_cannot_archive(world: World, other_world: World) -> None:
    placement = world.place()
    response = client_for(other_world.admin).post(
        reverse("industry:placement-archive", args=[placement.pk])
    )
    assert response.status_code == 404
