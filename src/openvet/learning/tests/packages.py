"""Packages for the tests: the shared SCORM golf samples and zips built here (good and bad)."""

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openvet.learning import services
from openvet.learning.models import UnitKind

# The folder ``shared`` sits beside the repository; OPENVET_SAMPLES names another place.
SAMPLES = Path(
    os.environ.get("OPENVET_SAMPLES")
    or Path(__file__).resolve().parents[4] / ".." / "shared" / "samples"
)
GOLF_12 = SAMPLES / "scorm12-golf" / "RuntimeBasicCalls_SCORM12.zip"
GOLF_12_MULTI = SAMPLES / "scorm12-golf" / "ContentPackagingOneFilePerSCO_SCORM12.zip"
GOLF_2004 = SAMPLES / "scorm2004-golf" / "RuntimeBasicCalls_SCORM20043rdEdition.zip"
GOLF_2004_SEQ = SAMPLES / "scorm2004-golf" / "SequencingSimpleRemediation_SCORM20043rdEdition.zip"
needs_golf = pytest.mark.skipif(
    not (GOLF_12.is_file() and GOLF_2004.is_file()),
    reason="the SCORM golf samples are not here (../shared/samples or OPENVET_SAMPLES)",
)

MANIFEST_12 = """<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>Lathe safety</title>
    <item identifier="i1" identifierref="r1"><title>Before you start</title>
      <adlcp:masteryscore>80</adlcp:masteryscore></item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="{href}">
    <file href="index.html"/></resource></resources>
</manifest>"""


def zip_of(members: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(data: bytes, name: str = "package.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def small_scorm(href: str = "index.html") -> bytes:
    return zip_of(
        {
            "imsmanifest.xml": MANIFEST_12.format(href=href),
            "index.html": "<html><body>SCO</body></html>",
        }
    )


def sample(path: Path) -> SimpleUploadedFile:
    return upload(path.read_bytes(), path.name)


def add_package(world: Any, file: Any, kind: str = UnitKind.SCORM, title: str = "Golf") -> Any:
    return services.unit_add(
        actor=world.teacher, chapter=world.chapter, kind=kind, title=title, file=file
    )
