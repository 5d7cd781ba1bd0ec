"""An archived internship's papers downloaded as one .zip (R23, ADR 0626)."""

import io
import zipfile

import pytest
from django.urls import reverse

from openvet.core.models import AuditAction, AuditEntry
from openvet.industry import services_library
from openvet.industry.models import Placement
from openvet.industry.tests.conftest import PDF, World
from openvet.industry.tests.test_library import client_for, finish

pytestmark = pytest.mark.django_db


def archived(world: World) -> Placement:
    placement = world.place()
    finish(world, placement)
    placement.refresh_from_db()
    return services_library.placement_archive(actor=world.admin, placement=placement)


def test_the_archive_holds_the_agreement_journals_assessments_and_grade(world: World) -> None:
    placement = archived(world)
    url = reverse("industry:placement-archive-zip", args=[placement.pk])
    detail = client_for(world.admin).get(reverse("industry:placement-detail", args=[placement.pk]))
    assert url in detail.content.decode()

    response = client_for(world.admin).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(response.content))
    assert files.read("agreement.pdf") == PDF
    assert "A week of assembly work." in files.read("journals.txt").decode()
    papers = files.read("assessments and grade.txt").decode()
    assert "score 88" in papers
    assert "score 90" in papers
    assert "Grade: " in papers
    assert AuditEntry.objects.filter(
        action=AuditAction.EXPORT,
        object_id=str(placement.pk),
        actor=world.admin,
    ).exists()


def test_no_archive_before_r23_allows_it(world: World) -> None:
    placement = world.place()
    response = client_for(world.admin).get(
        reverse("industry:placement-archive-zip", args=[placement.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "industry:placement-detail", args=[placement.pk]
    )
    assert "not archived yet" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_the_names_inside_are_in_chinese_for_a_chinese_reader(world: World) -> None:
    placement = archived(world)
    client = client_for(world.admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = client.get(reverse("industry:placement-archive-zip", args=[placement.pk]))
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "协议.pdf" in names
    assert "考核评价与成绩.txt" in names


def test_another_school_and_the_student_cannot_download(world: World, other_world: World) -> None:
    placement = archived(world)
    url = reverse("industry:placement-archive-zip", args=[placement.pk])
    assert client_for(other_world.admin).get(url).status_code == 404
    assert client_for(world.student_user).get(url).status_code in (403, 404)
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()
