"""Removing an enterprise's contacts and qualification documents from its page: asked first,
audited, only by those who keep the enterprise."""

from pathlib import Path

import pytest
from django.urls import reverse

from openvet.core.models import AuditAction, AuditEntry
from openvet.industry import services_library
from openvet.industry.models_library import EnterpriseContact, EnterpriseDocument
from openvet.industry.tests.conftest import World
from openvet.industry.tests.test_library import add_contact, client_for, pdf

pytestmark = pytest.mark.django_db


def add_document(world: World) -> EnterpriseDocument:
    return services_library.document_add(
        actor=world.mentor,
        enterprise=world.enterprise,
        kind="licence",
        title="Business licence",
        file=pdf(),
        expires_on=None,
    )


def test_a_contact_is_removed_after_asking_and_the_removal_is_audited(world: World) -> None:
    contact = add_contact(world)
    client = client_for(world.mentor)
    detail = reverse("industry:enterprise-detail", args=[world.enterprise.pk])
    url = reverse("industry:contact-delete", args=[contact.pk])
    assert url in client.get(detail).content.decode()

    asked = client.get(url)
    assert asked.status_code == 200
    assert "Li Hua" in asked.content.decode()
    assert EnterpriseContact.objects.filter(pk=contact.pk).exists()

    done = client.post(url, follow=True)
    assert done.redirect_chain[-1][0] == detail
    assert "The contact was removed." in done.content.decode()
    assert not EnterpriseContact.objects.filter(pk=contact.pk).exists()
    assert AuditEntry.objects.filter(
        action=AuditAction.DELETE, object_id=str(contact.pk), actor=world.mentor
    ).exists()


def test_a_document_is_removed_with_its_file(world: World) -> None:
    document = add_document(world)
    path = Path(document.file.path)
    assert path.exists()

    with_commit = client_for(world.mentor)
    response = with_commit.post(reverse("industry:document-delete", args=[document.pk]))

    assert response.status_code == 302
    assert not EnterpriseDocument.objects.filter(pk=document.pk).exists()
    assert AuditEntry.objects.filter(
        action=AuditAction.DELETE, object_id=str(document.pk), actor=world.mentor
    ).exists()


def test_the_file_goes_only_when_the_removal_commits(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    document = add_document(world)
    path = Path(document.file.path)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services_library.document_remove(actor=world.mentor, document=document)
    assert not path.exists()


@pytest.mark.parametrize("who", ["admin", "teacher", "other_mentor", "other_admin"])
def test_only_the_enterprises_keepers_remove_its_entries(
    world: World, other_world: World, who: str
) -> None:
    contact, document = add_contact(world), add_document(world)
    user = {
        "admin": world.admin,
        "teacher": world.teacher,
        "other_mentor": other_world.mentor,
        "other_admin": other_world.admin,
    }[who]
    client = client_for(user)
    for url in (
        reverse("industry:contact-delete", args=[contact.pk]),
        reverse("industry:document-delete", args=[document.pk]),
    ):
        assert client.get(url).status_code in (403, 404)
        assert client.post(url).status_code in (403, 404)
    assert EnterpriseContact.objects.filter(pk=contact.pk).exists()
    assert EnterpriseDocument.objects.filter(pk=document.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.DELETE).exists()


def test_a_missing_entry_is_404(world: World) -> None:
    client = client_for(world.mentor)
    assert client.post(reverse("industry:contact-delete", args=[999999])).status_code == 404
    assert client.post(reverse("industry:document-delete", args=[999999])).status_code == 404


def test_the_question_is_asked_in_chinese(world: World) -> None:
    contact = add_contact(world)
    client = client_for(world.mentor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    body = client.get(reverse("industry:contact-delete", args=[contact.pk])).content.decode()
    assert "删除后无法恢复" in body
    assert "删除" in body
