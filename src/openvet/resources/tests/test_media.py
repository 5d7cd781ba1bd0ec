"""Thumbnails, Office previews and the video checks of certification, on real files."""

import io
import shutil
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from openvet.resources import services
from openvet.resources.media import office
from openvet.resources.media.video import UnreadableVideo, probe_mp4
from openvet.resources.models import BlobPreview, CertificationStatus, PreviewStatus, Resource
from openvet.resources.samples import lesson_video
from openvet.resources.services.media import preview_make
from openvet.resources.tests import media_samples as samples
from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import MP4, make_resource, pdf_bytes


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user, backend="openvet.identity.backends.IdentifierBackend")  # type: ignore[arg-type]
    return client


def _made(
    world: World, capture: Any, filename: str, data: bytes, **overrides: Any
) -> tuple[Resource, BlobPreview]:
    """A published resource of one file, its preview made by the job queued on commit."""
    with capture(execute=True):
        resource = make_resource(
            world.teacher_a, filename=filename, data=data, publish=True, **overrides
        )
    file = resource.versions.get().files.get()
    return resource, BlobPreview.objects.get(blob=file.blob)


def _thumb(client: Client, resource: Resource) -> Any:
    file = resource.versions.get().files.get()
    return client.get(reverse("resources:file-thumbnail", args=[resource.pk, file.pk]))


def test_the_sample_video_reads_its_length_and_picture() -> None:
    info = probe_mp4(io.BytesIO(lesson_video()))
    assert (info.width, info.height, round(info.duration_seconds)) == (320, 180, 12)
    with pytest.raises(UnreadableVideo):
        probe_mp4(io.BytesIO(lesson_video()[:3000]))
    with pytest.raises(UnreadableVideo):
        probe_mp4(io.BytesIO(MP4))


@pytest.mark.parametrize(
    ("filename", "make"),
    [("photo.png", samples.png), ("notes.pdf", pdf_bytes), ("lesson.mp4", lesson_video)],
)
def test_an_upload_gets_a_thumbnail_in_the_background(
    world: World, django_capture_on_commit_callbacks: Any, filename: str, make: Any
) -> None:
    resource, preview = _made(world, django_capture_on_commit_callbacks, filename, make())
    assert preview.status == PreviewStatus.READY, preview.reason
    response = _thumb(_client(world.teacher_a2), resource)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(response.content))
    assert image.width <= 480
    assert image.height <= 270
    listing = _client(world.teacher_a).get(reverse("resources:mine")).content.decode()
    assert (
        reverse(
            "resources:file-thumbnail", args=[resource.pk, resource.versions.get().files.get().pk]
        )
        in listing
    )


def test_a_video_records_its_facts_and_shows_them(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    resource, preview = _made(
        world, django_capture_on_commit_callbacks, "lesson.mp4", lesson_video()
    )
    assert (preview.width, preview.height, round(preview.duration_seconds or 0)) == (320, 180, 12)
    page = _client(world.teacher_a).get(reverse("resources:detail", args=[resource.pk]))
    assert "320×180，12 秒" in page.content.decode()
    assert "poster=" in page.content.decode()


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("photo.png", samples.broken_png(), "图片已损坏"),
        ("notes.pdf", samples.broken_pdf(), "PDF 已损坏"),
        ("lesson.mp4", MP4, "视频已损坏"),
    ],
)
def test_a_damaged_file_gets_no_thumbnail_and_a_reason(
    world: World, django_capture_on_commit_callbacks: Any, filename: str, data: bytes, reason: str
) -> None:
    resource, preview = _made(world, django_capture_on_commit_callbacks, filename, data)
    assert preview.status == PreviewStatus.FAILED
    assert not preview.thumbnail_name
    client = _client(world.teacher_a)
    assert _thumb(client, resource).status_code == 404
    page = client.get(reverse("resources:detail", args=[resource.pk]))
    assert page.status_code == 200
    assert reason in page.content.decode()


@pytest.mark.parametrize(
    ("filename", "data", "words"),
    [
        ("讲义.docx", samples.docx("数控车床的坐标系", "对刀步骤"), "数控车床的坐标系"),
        ("课件.pptx", samples.pptx("第一讲 工件坐标", "第二讲 刀具补偿"), "刀具补偿"),
        ("成本.xlsx", samples.xlsx([["项目", "金额"], ["刀具", 120]]), "刀具"),
    ],
)
def test_an_office_document_is_previewed_as_a_pdf(
    world: World,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    filename: str,
    data: bytes,
    words: str,
) -> None:
    settings.RESOURCES_OFFICE_CONVERTER = "text"  # the pure-Python converter, on every machine
    resource, preview = _made(
        world, django_capture_on_commit_callbacks, filename, data, resource_type="document"
    )
    assert preview.status == PreviewStatus.READY, preview.reason
    assert preview.converter == "text"
    assert preview.thumbnail_name
    client = _client(world.teacher_a2)
    file = resource.versions.get().files.get()
    response = client.get(reverse("resources:file-preview", args=[resource.pk, file.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert words in text
    page = client.get(reverse("resources:detail", args=[resource.pk])).content.decode()
    assert 'data-testid="office-preview"' in page


def test_a_damaged_office_document_falls_back_to_a_reason(world: World, settings: Any) -> None:
    settings.RESOURCES_OFFICE_CONVERTER = "text"
    with pytest.raises(office.ConversionFailed):
        office.to_pdf(b"PK\x03\x04" + b"\x00" * 100, ".docx")


def test_another_schools_reader_gets_404_for_a_draft_thumbnail(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_resource(world.teacher_a, filename="photo.png", data=samples.png())
    file = draft.versions.get().files.get()
    for url in ("resources:file-thumbnail", "resources:file-preview"):
        response = _client(world.teacher_c).get(reverse(url, args=[draft.pk, file.pk]))
        assert response.status_code == 404


def test_preview_making_is_repeatable(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _resource, preview = _made(
        world, django_capture_on_commit_callbacks, "photo.png", samples.png()
    )
    again = preview_make(preview.blob_id)
    assert again.status == PreviewStatus.READY
    assert again.width == 640


def _certify(world: World, data: bytes) -> Any:
    resource = make_resource(world.teacher_a, filename="lesson.mp4", data=data, publish=True)
    return services.certification_submit(actor=world.teacher_a, resource=resource)


def test_certification_refuses_a_video_below_720p_and_names_the_minimum(world: World) -> None:
    certification = _certify(world, lesson_video())
    assert certification.status == CertificationStatus.REFUSED_BY_CHECKS
    checks = {c["key"]: c for c in certification.checks}
    assert not checks["video_resolution"]["passed"]
    assert checks["video_resolution"]["params"]["lines"] == 720
    assert checks["video_duration"]["passed"]
    assert checks["video_readable"]["passed"]
    page = _client(world.teacher_a).get(
        reverse("resources:detail", args=[certification.resource_id])
    )
    assert "视频分辨率须不低于 720p；lesson.mp4 320×180" in page.content.decode()


def test_the_minimums_are_configurable(world: World, settings: Any) -> None:
    settings.RESOURCES_VIDEO_MIN_HEIGHT = 180
    settings.RESOURCES_VIDEO_MIN_SECONDS = 30
    checks = {c["key"]: c["passed"] for c in _certify(world, lesson_video()).checks}
    assert checks["video_resolution"]
    assert not checks["video_duration"]
    settings.RESOURCES_VIDEO_MIN_SECONDS = 10
    other = make_resource(
        world.teacher_b, filename="b.mp4", data=lesson_video()[:-1] + b"\x01", publish=True
    )
    certification = services.certification_submit(actor=world.teacher_b, resource=other)
    assert {c["key"]: c["passed"] for c in certification.checks}["video_resolution"]


def test_a_corrupt_video_is_refused_clearly(world: World) -> None:
    certification = _certify(world, MP4)
    assert certification.status == CertificationStatus.REFUSED_BY_CHECKS
    readable = next(c for c in certification.checks if c["key"] == "video_readable")
    assert not readable["passed"]
    assert readable["params"]["names"] == "lesson.mp4"


def test_libreoffice_failing_falls_back_to_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = office.LibreOfficeConverter("false")  # a program that fails at once
    monkeypatch.setattr(office, "converter", lambda: broken)
    converted = office.to_pdf(samples.docx("机床坐标系"), ".docx")
    assert converted.converter == "text"
    assert "机床坐标系" in PdfReader(io.BytesIO(converted.pdf)).pages[0].extract_text()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed here")
def test_libreoffice_makes_a_pdf_of_a_workbook() -> None:
    converted = office.LibreOfficeConverter(str(shutil.which("soffice"))).convert(
        samples.xlsx([["刀具", 120]]), ".xlsx"
    )
    assert converted.startswith(b"%PDF")
