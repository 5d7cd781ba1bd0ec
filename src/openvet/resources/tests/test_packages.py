"""SCORM 1.2, SCORM 2004 and IMS Common Cartridge packages imported as resources: metadata
from the manifest, the package kept byte for byte, bad packages refused with nothing kept."""

import hashlib
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from openvet.core.uploads import UploadRefused
from openvet.resources.models import Blob, Resource
from openvet.resources.selectors import resource_files
from openvet.resources.services.packages import package_import
from openvet.resources.tests.conftest import World
from openvet.resources.tests.factories import MAJOR, upload

SCORM12 = """<?xml version="1.0"?>
<manifest identifier="m1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>
    <imsmd:lom><imsmd:general>
      <imsmd:title><imsmd:langstring xml:lang="zh-CN">电工安全操作</imsmd:langstring></imsmd:title>
      <imsmd:description><imsmd:langstring>低压电工作业安全规程</imsmd:langstring></imsmd:description>
      <imsmd:keyword><imsmd:langstring>电工</imsmd:langstring></imsmd:keyword>
      <imsmd:keyword><imsmd:langstring>安全</imsmd:langstring></imsmd:keyword>
    </imsmd:general></imsmd:lom></metadata>
  <organizations default="o1"><organization identifier="o1"><title>组织标题</title>
    <item identifier="i1" identifierref="r1"><title>第一课</title></item></organization>
  </organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco"
    href="lesson/index.html"><file href="lesson/index.html"/></resource></resources>
</manifest>"""

SCORM2004 = """<?xml version="1.0"?>
<manifest identifier="m2" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion>
    <adlcp:location>meta/lom.xml</adlcp:location></metadata>
  <organizations default="o1"><organization identifier="o1"><title>焊接基础</title>
    <item identifier="i1" identifierref="r1"><title>焊接</title></item></organization>
  </organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormType="sco"
    href="sco/start.html?mode=1"><file href="sco/start.html"/></resource></resources>
</manifest>"""

EXTERNAL_LOM = """<?xml version="1.0"?>
<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general>
  <title><string language="zh">焊接基础（外部元数据）</string></title>
  <language>zh</language></general></lom>"""

COMMON_CARTRIDGE = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="cc" xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
  xmlns:lomimscc="http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest">
  <metadata><schema>IMS Common Cartridge</schema><schemaversion>1.3.0</schemaversion>
    <lomimscc:lom><lomimscc:general><lomimscc:title>
      <lomimscc:string>机械制图课程包</lomimscc:string></lomimscc:title></lomimscc:general>
    </lomimscc:lom></metadata>
  <organizations/>
  <resources><resource identifier="r1" type="webcontent" href="wiki/intro.html">
    <file href="wiki/intro.html"/></resource></resources>
</manifest>"""


def package(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _import(actor: Any, filename: str, data: bytes, **extra: str) -> Resource:
    key = upload(actor, filename, data)
    return package_import(actor=actor, upload_key=key, major_code=MAJOR, licence="cc-by", **extra)


@pytest.mark.parametrize(
    ("filename", "members", "title", "kind", "note"),
    [
        (
            "电工.zip",
            {"imsmanifest.xml": SCORM12, "lesson/index.html": "<p>课</p>"},
            "电工安全操作",
            "scorm",
            "SCORM 1.2",
        ),
        (
            "焊接.zip",
            {
                "imsmanifest.xml": SCORM2004,
                "meta/lom.xml": EXTERNAL_LOM,
                "sco/start.html": "<p>课</p>",
            },
            "焊接基础（外部元数据）",
            "scorm",
            "SCORM 2004",
        ),
        (
            "制图.imscc",
            {"imsmanifest.xml": COMMON_CARTRIDGE, "wiki/intro.html": "<p>课</p>"},
            "机械制图课程包",
            "courseware",
            "IMS Common Cartridge",
        ),
    ],
)
def test_a_package_becomes_a_draft_resource_with_the_package_kept(
    world: World, filename: str, members: dict[str, str], title: str, kind: str, note: str
) -> None:
    data = package(members)
    resource = _import(world.teacher_a, filename, data)
    assert (resource.title, resource.resource_type, resource.status) == (title, kind, "draft")
    assert resource.org == world.school_a
    files = resource_files(resource)
    assert [f.filename for f in files] == [filename]
    assert files[0].blob.sha256 == hashlib.sha256(data).hexdigest()
    assert note in resource.versions.get().note


def test_the_manifest_gives_description_and_keywords_and_a_given_title_wins(
    world: World,
) -> None:
    data = package({"imsmanifest.xml": SCORM12, "lesson/index.html": "x"})
    resource = _import(world.teacher_a, "a.zip", data)
    assert resource.description == "低压电工作业安全规程"
    assert resource.keyword_list == ["电工", "安全"]
    renamed = _import(world.teacher_a, "b.zip", data, title="我起的标题")
    assert renamed.title == "我起的标题"


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><manifest>&b;</manifest>'
)


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"readme.txt": "no manifest"}, "imsmanifest.xml"),
        ({"imsmanifest.xml": "<manifest><unclosed></manifest>"}, "not well-formed"),
        ({"imsmanifest.xml": BOMB}, "not well-formed"),
        ({"imsmanifest.xml": "<manifest><metadata/></manifest>"}, "not a SCORM"),
        ({"imsmanifest.xml": SCORM12}, "lesson/index.html"),  # the launch page is missing
        ({"imsmanifest.xml": SCORM12, "../lesson/index.html": "x"}, "outside"),
    ],
)
def test_bad_packages_are_refused_and_nothing_is_kept(
    world: World, members: dict[str, str], message: str
) -> None:
    with translation.override("en"), pytest.raises(UploadRefused) as refused:
        _import(world.teacher_a, "bad.zip", package(members))
    assert message in str(refused.value.details)
    assert not Resource.objects.exists()
    assert not Blob.objects.exists()


def test_the_import_page_refuses_clearly_and_keeps_what_was_typed(
    world: World, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "zh-hans"
    client = Client()
    client.force_login(world.teacher_a)
    page = client.get("/resources/import/")
    assert page.status_code == 200
    assert "导入课件包" in page.content.decode()
    key = upload(world.teacher_a, "bad.zip", package({"readme.txt": "x"}))
    refused = client.post(
        "/resources/import/",
        {"title": "我的课件", "major_code": MAJOR, "licence": "cc-by", "upload_keys": key},
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "我的课件" in body
    assert "imsmanifest.xml" in body
    data = package({"imsmanifest.xml": SCORM12, "lesson/index.html": "x"})
    good = upload(world.teacher_a, "good.zip", data)
    done = client.post(
        "/resources/import/",
        {"title": "", "major_code": MAJOR, "licence": "cc-by", "upload_keys": good},
    )
    assert done.status_code == 302
    assert Resource.objects.get().title == "电工安全操作"
    # A student may not import.
    student = Client()
    student.force_login(world.student_a)
    assert student.get("/resources/import/").status_code == 403
