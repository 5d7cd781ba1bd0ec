"""The API of the libraries: search, read, and another school's 404."""

from django.test import Client

from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import make_resource

BASE = "/api/v1/resources/resources"


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user, backend="openvet.identity.backends.IdentifierBackend")  # type: ignore[arg-type]
    return client


def test_search_pages_and_filters(world: World) -> None:
    make_resource(world.teacher_a, publish=True, title="护理学基础", resource_type="document")
    make_resource(world.teacher_a, publish=True, title="护理视频", resource_type="video")
    client = _client(world.teacher_a2)
    found = client.get(BASE, {"q": "护理", "resource_type": "video"}).json()
    assert found["count"] == 1
    assert [r["title"] for r in found["items"]] == ["护理视频"]
    assert client.get(BASE, {"resource_type": "nonsense"}).status_code == 422


def test_one_resource_with_its_files_and_another_schools_404(world: World) -> None:
    resource = make_resource(world.teacher_a, publish=True)
    body = _client(world.teacher_a2).get(f"{BASE}/{resource.pk}").json()
    assert body["title"] == resource.title
    assert len(body["files"][0]["sha256"]) == 64
    assert body["contributors"] == [{"name": "张老师", "organisation": "", "share": 100.0}]
    missing = _client(world.teacher_c).get(f"{BASE}/{resource.pk}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    assert Client().get(f"{BASE}/{resource.pk}").status_code == 401
