"""Units from the resource library: a reference shows the resource's newest version; a fork
is the teacher's copy; licences refuse what they forbid; other schools' teachers stay out."""

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.errors import NotFound
from openvet.learning.library_views import unit_add_from_library
from openvet.learning.models import LibraryUnit, Unit, UnitKind
from openvet.learning.tests.conftest import World
from openvet.resources import services as library
from openvet.resources.models import Licence, ResourceFork
from openvet.resources.tests.factories import make_resource, pdf_bytes, upload


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user, backend="openvet.identity.backends.IdentifierBackend")  # type: ignore[arg-type]
    return client


def test_a_reference_shows_the_newest_version_to_the_class(world: World) -> None:
    resource = make_resource(world.teacher, publish=True, title="焊接工艺微课")
    teacher = _client(world.teacher)
    added = teacher.post(
        reverse("learning:unit-from-library", args=[world.course.pk, world.chapter.pk]),
        {"resource_id": resource.pk, "mode": "reference"},
    )
    assert added.status_code == 302
    unit = Unit.objects.get(kind=UnitKind.RESOURCE)
    assert LibraryUnit.objects.get(unit=unit).resource == resource
    library.resource_add_version(
        actor=world.teacher,
        resource=resource,
        upload_keys=[upload(world.teacher, "修订版.pdf", pdf_bytes("v2"))],
    )
    page = _client(world.student_user).get(reverse("learning:unit-detail", args=[unit.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "第 2 版" in body
    assert "修订版.pdf" in body


def test_a_fork_is_the_teachers_copy_and_nd_is_refused_with_a_message(world: World) -> None:
    original = make_resource(world.other_teacher, publish=True, licence=Licence.CC_BY_SA)
    unit = unit_add_from_library(
        actor=world.teacher, chapter=world.chapter, resource=original, fork=True
    )
    fork = LibraryUnit.objects.get(unit=unit).resource
    assert fork.owner_id == world.teacher.pk
    assert fork.licence == Licence.CC_BY_SA
    assert ResourceFork.objects.get(fork=fork).original == original

    nd = make_resource(world.other_teacher, publish=True, licence=Licence.CC_BY_ND)
    refused = _client(world.teacher).post(
        reverse("learning:unit-from-library", args=[world.course.pk, world.chapter.pk]),
        {"resource_id": nd.pk, "mode": "fork"},
        follow=True,
    )
    assert refused.status_code == 200
    assert "禁止演绎" in refused.content.decode()
    assert Unit.objects.count() == 1


def test_the_generic_unit_form_refuses_the_library_kind(world: World) -> None:
    from openvet.core.errors import ValidationFailed
    from openvet.learning import services

    with pytest.raises(ValidationFailed):
        services.unit_add(
            actor=world.teacher, chapter=world.chapter, kind=UnitKind.RESOURCE, title="x"
        )


def test_another_schools_teacher_gets_404(world: World, other_world: World) -> None:
    resource = make_resource(world.teacher, publish=True)
    url = reverse("learning:unit-from-library", args=[world.course.pk, world.chapter.pk])
    outsider = _client(other_world.teacher)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"resource_id": resource.pk}).status_code == 404
    with pytest.raises(NotFound):
        unit_add_from_library(actor=other_world.teacher, chapter=world.chapter, resource=resource)
    assert not Unit.objects.exists()
