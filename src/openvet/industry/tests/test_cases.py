"""The innovation and entrepreneurship case library: a school or an enterprise keeps its own
cases (files through the upload rules, tags, awards); published cases are read by every
school's staff, unpublished ones only by their keepers."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from openvet.core.errors import NotFound, PermissionDenied, ValidationFailed
from openvet.core.uploads import UploadRefused
from openvet.industry import selectors_cooperation as coop
from openvet.industry import services_cooperation as services
from openvet.industry.models import CaseAward, CaseFile, InnovationCase
from openvet.industry.tests.conftest import PDF, World

pytestmark = pytest.mark.django_db


def keep_case(world: World, actor: Any = None, **overrides: Any) -> InnovationCase:
    values: dict[str, Any] = {
        "title": "Student drone repair start-up",
        "kind": "entrepreneurship",
        "summary": "Three graduates repair farm drones.",
        "tags": "drones，start-up、 drones , agriculture",
        "year": 2025,
        "is_published": False,
    }
    values.update(overrides)
    org = world.enterprise if actor is world.mentor else world.campus.school
    return services.case_save(actor=actor or world.admin, org=org, **values)


def test_tags_are_split_trimmed_and_unique(world: World) -> None:
    case = keep_case(world)
    assert case.tags == ["drones", "start-up", "agriculture"]


def test_unpublished_cases_stay_with_their_keepers(world: World, other_world: World) -> None:
    case = keep_case(world)
    assert coop.case_list_for(actor=world.admin) == [case]
    assert coop.case_list_for(actor=other_world.admin) == []
    with pytest.raises(NotFound):
        coop.case_get_for(actor=other_world.admin, case_id=case.pk)
    keep_case(world, case=case, is_published=True)
    assert coop.case_list_for(actor=other_world.admin) == [case]
    assert coop.case_list_for(actor=other_world.admin, tag="agriculture") == [case]
    assert coop.case_list_for(actor=other_world.admin, tag="robots") == []


def test_an_enterprise_keeps_its_own_cases_only(world: World, other_world: World) -> None:
    case = keep_case(world, actor=world.mentor)
    assert case.org == world.enterprise
    with pytest.raises(PermissionDenied):
        services.case_save(
            actor=other_world.mentor,
            org=world.enterprise,
            case=case,
            title="Taken over",
            kind="innovation",
            summary="x",
            year=2025,
        )
    case.refresh_from_db()
    assert case.title == "Student drone repair start-up"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"title": ""}, "title"), ({"year": 2999}, "year"), ({"tags": "a,b,c,d,e,f,g,h,i"}, "tags")],
)
def test_bad_cases_are_refused(world: World, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        keep_case(world, **overrides)
    assert set(refused.value.details) == {field}
    assert not InnovationCase.objects.exists()


def test_files_go_through_the_upload_rules(world: World) -> None:
    case = keep_case(world)
    for name, content in (("plan.pdf", b"MZ not a pdf"), ("tool.exe", b"MZ")):
        with pytest.raises(UploadRefused):
            services.case_file_add(
                actor=world.admin, case=case, title="Plan", file=SimpleUploadedFile(name, content)
            )
    services.case_file_add(
        actor=world.admin, case=case, title="Plan", file=SimpleUploadedFile("plan.pdf", PDF)
    )
    assert CaseFile.objects.get().title == "Plan"


def test_awards_and_the_page(world: World, other_world: World) -> None:
    case = keep_case(world, is_published=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.admin)
    url = reverse("industry:case-detail", args=[case.pk])
    response = client.post(
        url,
        {
            "form": "award",
            "award-name": "Challenge Cup",
            "award-level": "national",
            "award-year": "2025",
        },
    )
    assert response.status_code == 302
    assert CaseAward.objects.get().name == "Challenge Cup"
    assert "Challenge Cup" in client.get(reverse("industry:case-list")).text
    outsider = Client(HTTP_ACCEPT_LANGUAGE="en")
    outsider.force_login(other_world.admin)
    assert outsider.get(url).status_code == 200
    refused = outsider.post(
        url, {"form": "award", "award-name": "Fake", "award-level": "city", "award-year": "2025"}
    )
    assert refused.status_code == 403
    assert CaseAward.objects.count() == 1
