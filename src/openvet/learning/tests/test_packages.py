"""Importing SCORM and H5 packages: the manifests of the golf samples, what is stored, and every
kind of bad zip refused with a message and nothing left behind."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from openvet.core.errors import ValidationFailed
from openvet.learning import cmi, manifest
from openvet.learning.models import Package, PackageItem, Unit, UnitKind
from openvet.learning.tests.conftest import World
from openvet.learning.tests.packages import (
    GOLF_12,
    GOLF_12_MULTI,
    GOLF_2004,
    GOLF_2004_SEQ,
    MANIFEST_12,
    add_package,
    needs_golf,
    sample,
    small_scorm,
    upload,
    zip_of,
)


def _manifest_of(path: Path) -> manifest.Manifest:
    with zipfile.ZipFile(path) as archive:
        return manifest.parse(archive.read("imsmanifest.xml"))


@needs_golf
def test_the_golf_manifests_are_read() -> None:
    single = _manifest_of(GOLF_12)
    assert (single.standard, single.schema_version) == (manifest.SCORM_12, "1.2")
    assert [(i.title, i.href, i.is_sco) for i in single.launchable] == [
        ("Golf Explained", "shared/launchpage.html", True)
    ]
    multi = _manifest_of(GOLF_12_MULTI)
    headings = [i for i in multi.items if not i.href]
    assert len(multi.launchable) > 10
    assert headings
    assert all(i.depth == 0 for i in headings)
    quiz = next(i for i in multi.items if i.identifier == "playing_quiz_item")
    assert quiz.depth == 1
    assert quiz.href.endswith("?questions=Playing")
    v2004 = _manifest_of(GOLF_2004)
    assert (v2004.standard, v2004.schema_version) == (manifest.SCORM_2004, "2004 3rd Edition")
    assert v2004.launchable[0].href == "shared/launchpage.html"
    assert _manifest_of(GOLF_2004_SEQ).standard == manifest.SCORM_2004


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (b"<manifest", "not_xml"),
        (b"<?xml version='1.0'?><!DOCTYPE m [<!ENTITY a 'aaaa'>]><manifest/>", "doctype"),
        (b"<other/>", "not_manifest"),
        (MANIFEST_12.format(href="../../etc/passwd").encode(), "outside_package"),
        (MANIFEST_12.format(href="https://evil.example/x.html").encode(), "external_launch"),
    ],
)
def test_bad_manifests_are_refused_with_a_reason(xml: bytes, reason: str) -> None:
    with pytest.raises(manifest.ManifestError) as refused:
        manifest.parse(xml)
    assert refused.value.reason == reason


@needs_golf
@pytest.mark.parametrize("path", [GOLF_12, GOLF_2004, GOLF_12_MULTI])
def test_a_golf_package_becomes_a_unit_with_its_files(world: World, path: Path) -> None:
    unit = add_package(world, sample(path))
    package = Package.objects.get(unit=unit)
    assert package.standard == _manifest_of(path).standard
    with zipfile.ZipFile(path) as archive:
        files = [n for n in archive.namelist() if not n.endswith("/")]
    assert package.file_count == len(files)
    root = Path(settings.MEDIA_ROOT) / package.root
    assert (root / "imsmanifest.xml").is_file()
    assert (root / "shared" / "launchpage.html").is_file()
    launchable = PackageItem.objects.filter(package=package).exclude(href="")
    assert launchable.count() == len(_manifest_of(path).launchable)
    # The multi-page golf sample declares its pages as assets; the others have one SCO.
    assert launchable.filter(is_sco=True).exists() == (path != GOLF_12_MULTI)


def _stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "learning"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST_12.format(href="index.html"))
        archive.writestr("index.html", b"<html></html>")
        archive.writestr("padding.bin", bytes(50 * 1024 * 1024))  # 50 MB of zeros: ~1000x
    return buffer.getvalue()


def _traversal() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", MANIFEST_12.format(href="index.html"))
        archive.writestr("index.html", b"<html></html>")
        archive.writestr(zipfile.ZipInfo("../../outside.html"), b"<script></script>")
    return buffer.getvalue()


BAD_PACKAGES = {
    "damaged": (b"PK\x03\x04 this is not a zip", "damaged"),
    "no_manifest": (zip_of({"index.html": "<html></html>"}), "imsmanifest.xml"),
    "traversal": (_traversal(), "outside"),
    "bomb": (_bomb(), "compressed more than"),
    "missing_launch_file": (small_scorm(href="start.html"), "start.html"),
    "bad_manifest": (zip_of({"imsmanifest.xml": "<manifest"}), "well-formed"),
}


@pytest.mark.parametrize("case", sorted(BAD_PACKAGES))
def test_a_bad_package_is_refused_and_nothing_is_left(world: World, case: str) -> None:
    data, words = BAD_PACKAGES[case]
    before = _stored_files()
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        add_package(world, upload(data))
    assert words in str(refused.value.details["file"])
    assert not Unit.objects.filter(kind=UnitKind.SCORM).exists()
    assert _stored_files() == before


def test_refusals_speak_chinese(world: World) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as refused:
        add_package(world, upload(zip_of({"index.html": "<html></html>"})))
    assert "imsmanifest.xml" in str(refused.value.details["file"])
    assert "SCORM" in str(refused.value.details["file"])
    assert "The zip" not in str(refused.value.details["file"])


@override_settings(LEARNING_MAX_PACKAGE_BYTES=1024)
def test_an_oversized_package_is_refused(world: World) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        add_package(world, upload(small_scorm() + bytes(2048)))
    assert "larger than" in str(refused.value.details["file"])
    assert not Package.objects.exists()


def test_a_failure_after_unpacking_deletes_the_files(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openvet.learning import package_services

    def broken(**_kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(package_services, "package_attach", broken)
    before = _stored_files()
    with pytest.raises(RuntimeError):
        add_package(world, upload(small_scorm()))
    assert _stored_files() == before
    assert not Unit.objects.filter(kind=UnitKind.SCORM).exists()


def test_an_h5_package_needs_an_index_page(world: World) -> None:
    unit = add_package(
        world,
        upload(zip_of({"game/index.html": "<html></html>", "game/app.js": "1"})),
        kind=UnitKind.H5,
    )
    assert PackageItem.objects.get(package__unit=unit).href == "game/index.html"
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        add_package(world, upload(zip_of({"start.htm": "x"})), kind=UnitKind.H5)
    assert "index.html" in str(refused.value.details["file"])


def test_the_data_model_checks_values() -> None:
    assert cmi.check("scorm12", "cmi.core.lesson_status", "completed") == ""
    assert cmi.check("scorm12", "cmi.core.lesson_status", "done") == "405"
    assert cmi.check("scorm12", "cmi.core.student_id", "x") == "403"
    assert cmi.check("scorm12", "cmi.core.score.raw", "101") == "405"
    assert cmi.check("scorm12", "cmi.core.session_time", "0000:01:30.5") == ""
    assert cmi.check("scorm12", "cmi.interactions.3.id", "q1") == ""
    assert cmi.check("scorm2004", "cmi.score.scaled", "1.5") == "407"
    assert cmi.check("scorm2004", "cmi.session_time", "PT1H2M3.5S") == ""
    assert cmi.check("scorm2004", "cmi.session_time", "01:00:00") == "406"
    assert cmi.check("scorm2004", "cmi.nonsense", "x") == "401"
    assert cmi.seconds_of("scorm2004", "PT1H2M3.5S") == 3723.5
    assert cmi.seconds_of("scorm12", "0001:00:30") == 3630
    assert cmi.total_time_text("scorm12", 3630.25) == "0001:00:30.25"
    judged = cmi.outcome(
        "scorm12", {"cmi.core.lesson_status": "completed", "cmi.core.score.raw": "70"}, 80
    )
    assert (judged.completed, judged.success) == (False, "failed")
