"""The pages and the tus endpoints over HTTP, with another school's users kept out."""

import base64
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openvet.lrs.models import Statement
from openvet.resources import selectors
from openvet.resources.models import CertificationStatus, LibraryLevel, Resource, Upload
from openvet.resources.samples import lesson_video
from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import MAJOR, MP4, make_resource, pdf_bytes

SCORES = {"accuracy": 5, "pedagogy": 4, "technical": 4, "accessibility": 4, "ip": 5}


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user, backend="openvet.identity.backends.IdentifierBackend")  # type: ignore[arg-type]
    return client


def _tus_upload(client: Client, name: str, data: bytes, chunk: int = 40) -> str:
    created = client.post(
        reverse("resources:upload-create"),
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(len(data)),
        HTTP_UPLOAD_METADATA="filename " + base64.b64encode(name.encode()).decode(),
    )
    assert created.status_code == 201
    location = created["Location"]
    for start in range(0, len(data), chunk):
        sent = client.generic(
            "PATCH",
            location,
            data[start : start + chunk],
            content_type="application/offset+octet-stream",
            HTTP_UPLOAD_OFFSET=str(start),
            HTTP_TUS_RESUMABLE="1.0.0",
        )
        assert sent.status_code == 204
        assert sent["Upload-Offset"] == str(min(start + chunk, len(data)))
    return location.rsplit("/", 1)[-1]


def test_tus_resume_reports_the_offset_and_refuses_a_stale_chunk(world: World) -> None:
    client = _client(world.teacher_a)
    created = client.post(
        reverse("resources:upload-create"),
        HTTP_UPLOAD_LENGTH="100",
        HTTP_UPLOAD_METADATA="filename " + base64.b64encode("课件.pdf".encode()).decode(),
    )
    location = created["Location"]
    client.generic(
        "PATCH",
        location,
        b"x" * 30,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET="0",
    )
    head = client.head(location)
    assert (head.status_code, head["Upload-Offset"], head["Upload-Length"]) == (200, "30", "100")
    stale = client.generic(
        "PATCH",
        location,
        b"x" * 30,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET="0",
    )
    assert stale.status_code == 409
    assert stale.json()["details"] == {"offset": 30}
    # Another user cannot see or continue the upload.
    assert _client(world.teacher_b).head(location).status_code == 404
    assert Client().head(location).status_code == 401


def test_tus_refuses_a_kind_of_file_not_allowed(world: World) -> None:
    refused = _client(world.teacher_a).post(
        reverse("resources:upload-create"),
        HTTP_UPLOAD_LENGTH="10",
        HTTP_UPLOAD_METADATA="filename " + base64.b64encode(b"virus.exe").decode(),
    )
    assert refused.status_code == 422
    assert "virus.exe" in refused.json()["details"]["file"]
    assert not Upload.objects.exists()


def _form(key: str, **overrides: str) -> dict[str, str]:
    values = {
        "title": "数控车床操作演示",
        "description": "演示",
        "resource_type": "video",
        "major_code": MAJOR,
        "keywords": "数控",
        "difficulty": "3",
        "audience": "both",
        "licence": "cc-by",
        "contributor_0_name": "张老师",
        "contributor_0_share": "100",
        "upload_keys": key,
    }
    values.update(overrides)
    return values


def test_a_teacher_uploads_a_video_and_watches_it_with_range_requests(world: World) -> None:
    client = _client(world.teacher_a)
    key = _tus_upload(client, "演示.mp4", MP4)
    saved = client.post(reverse("resources:create"), _form(key))
    resource = Resource.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == reverse("resources:detail", args=[resource.pk])
    page = client.get(saved["Location"])
    assert page.status_code == 200
    assert "<video" in page.content.decode()
    file = selectors.resource_files(resource)[0]
    url = reverse("resources:file", args=[resource.pk, file.pk])
    part = client.get(url, HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 4-11/{len(MP4)}"
    assert b"".join(part.streaming_content) == MP4[4:12]  # type: ignore[attr-defined]
    assert client.get(url, HTTP_RANGE=f"bytes={len(MP4)}-").status_code == 416
    whole = client.get(url)
    assert b"".join(whole.streaming_content) == MP4  # type: ignore[attr-defined]
    # Opening the page is a learning record of the teacher's school; watching is not a download.
    verbs = list(Statement.objects.values_list("verb_id", flat=True))
    assert verbs == ["http://id.tincanapi.com/verb/viewed"]


def test_the_form_keeps_what_was_typed_when_refused(world: World) -> None:
    client = _client(world.teacher_a)
    key = _tus_upload(client, "讲义.pdf", pdf_bytes())
    refused = client.post(
        reverse("resources:create"), _form(key, contributor_0_share="60", title="我的讲义")
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "我的讲义" in body
    assert "100%" in body  # the message about the shares
    assert not Resource.objects.exists()


def test_another_school_gets_404_and_nothing_changes(world: World) -> None:
    resource = make_resource(world.teacher_a, publish=True)
    file = selectors.resource_files(resource)[0]
    outsider = _client(world.teacher_c)
    assert outsider.get(reverse("resources:detail", args=[resource.pk])).status_code == 404
    assert outsider.get(reverse("resources:file", args=[resource.pk, file.pk])).status_code == 404
    assert outsider.post(reverse("resources:certify", args=[resource.pk])).status_code == 404
    assert not resource.certifications.exists()
    assert not Statement.objects.exists()
    assert Client().get(reverse("resources:library")).status_code == 302


def test_experts_review_and_the_region_accepts_the_nomination(world: World, settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False  # the regional administrator signs in without 2FA here
    settings.RESOURCES_VIDEO_MIN_HEIGHT = 180  # the sample video is 320×180
    resource = make_resource(world.teacher_a, publish=True, data=lesson_video(), filename="a.mp4")
    owner = _client(world.teacher_a)
    owner.post(reverse("resources:certify", args=[resource.pk]))
    certification = resource.certifications.get()
    url = reverse("resources:review", args=[certification.pk])
    assert _client(world.teacher_a2).get(url).status_code == 404  # same school
    form = {f"score_{k}": str(v) for k, v in SCORES.items()}
    bad = _client(world.teacher_b).post(url, {**form, "score_ip": "9"})
    assert bad.status_code == 422
    for expert in (world.teacher_b, world.head_b):
        assert _client(expert).post(url, form).status_code == 302
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.CERTIFIED
    shown = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(
        reverse("resources:certificate", args=[certification.certificate_id])
    )
    assert shown.status_code == 200
    assert selectors.resource_files(resource)[0].blob.sha256 in shown.content.decode()
    owner.post(reverse("resources:nominate", args=[resource.pk]))
    nomination = resource.nominations.get()
    assert (
        _client(world.teacher_b)
        .post(reverse("resources:nomination-decide", args=[nomination.pk]), {"decision": "accept"})
        .status_code
        == 404
    )
    region = _client(world.region)
    assert resource.title in region.get(reverse("resources:nomination-list")).content.decode()
    region.post(
        reverse("resources:nomination-decide", args=[nomination.pk]), {"decision": "accept"}
    )
    resource.refresh_from_db()
    assert resource.level == LibraryLevel.PROVINCIAL


@pytest.mark.parametrize(
    ("name", "teacher", "student"),
    [
        ("library", 200, 200),
        ("mine", 200, 403),
        ("create", 200, 403),
        ("review-list", 200, 403),
        ("nomination-list", 403, 403),
    ],
)
def test_each_role_reaches_only_its_pages(
    world: World, name: str, teacher: int, student: int
) -> None:
    make_resource(world.teacher_a, publish=True)
    url = reverse(f"resources:{name}")
    assert _client(world.teacher_a).get(url).status_code == teacher
    assert _client(world.student_a).get(url).status_code == student


def test_the_library_costs_the_same_queries_whatever_its_length(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(world.teacher_a2)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("resources:library"), {"q": "数控"}).status_code == 200
        return len(queries)

    make_resource(world.teacher_a, publish=True, title="数控一")
    one = cost()
    for n in range(4):
        make_resource(world.teacher_a, publish=True, title=f"数控{n}", data=pdf_bytes(str(n)))
    assert cost() == one
