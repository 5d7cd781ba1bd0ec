"""A teacher adds a video and a document to the school library and submits them for
certification; two experts of another school review the video, which is certified at school
level; the teacher nominates it to the provincial library, the province accepts it, and a
teacher of another school finds it by searching."""

from typing import Any

from playwright.sync_api import Page, expect

from openvet.identity.models import User
from openvet.resources.models import CertificationStatus, LibraryLevel, Resource
from openvet.resources.samples import lesson_video
from openvet.resources.tests.factories import pdf_bytes
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, sign_out, tr, welcome_heading

VIDEO_TITLE = "数控车床对刀操作演示"
DOCUMENT_TITLE = "数控编程指令讲义"
SCORES = (5, 4, 4, 4, 5)


def _add_resource(
    page: Page, checkpoint: Checkpoint, *, title: str, kind: str, file: dict[str, object]
) -> None:
    open_nav(page, tr("My resources"))
    page.get_by_role("link", name=tr("Add a resource")).click()
    expect(page.get_by_role("heading", level=1, name=tr("Add a resource"))).to_be_visible()
    page.get_by_label(tr("Title")).fill(title)
    page.get_by_label(tr("Description")).fill("实训课配套资源")
    page.get_by_label(tr("Type")).select_option(kind)
    page.get_by_label(tr("Major")).select_option("510201")
    page.get_by_label(tr("Keywords")).fill("数控,对刀")
    page.get_by_label(tr("Licence")).select_option("cc-by")
    page.get_by_label(tr("Contributor %(number)s", number=1), exact=True).fill("李老师")
    page.get_by_label(tr("Files")).set_input_files(file)  # type: ignore[arg-type]
    expect(page.get_by_role("status")).to_have_text(tr("Upload finished. The files are ready."))
    checkpoint(page, f"form-{kind}")
    page.get_by_role("button", name=tr("Save as draft")).click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    page.get_by_role("button", name=tr("Publish in the school library")).click()
    page.get_by_role("button", name=tr("Submit for certification")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("The automated checks passed; two experts will review it.")
    )
    checkpoint(page, f"submitted-{kind}")


def _review(page: Page, campus: Campus, checkpoint: Checkpoint, username: str) -> None:
    expert = User.objects.get(username=username)
    sign_in(page, username, campus.password)
    expect(welcome_heading(page, expert.full_name)).to_be_visible()
    open_nav(page, tr("Certification reviews"))
    checkpoint(page, f"queue-{username}")
    page.get_by_role("link", name=VIDEO_TITLE).click()
    for label, score in zip(
        ("Content accuracy", "Pedagogy", "Technical quality", "Accessibility"),
        SCORES,
        strict=False,
    ):
        page.get_by_label(tr(label)).select_option(str(score))
    checkpoint(page, f"review-incomplete-{username}")
    page.get_by_role("button", name=tr("Submit review")).click()
    # One criterion left out: refused on the form, the scores given are kept.
    expect(page.get_by_text(tr("This field is required."))).to_be_visible()
    expect(page.get_by_label(tr("Content accuracy"))).to_have_value("5")
    page.get_by_label(tr("Intellectual property cleared")).select_option("5")
    page.get_by_role("button", name=tr("Submit review")).click()
    expect(page.get_by_role("alert").first).to_contain_text(tr("Your review was recorded."))
    sign_out(page, expert.full_name)


def test_a_video_is_certified_nominated_and_found_in_the_provincial_library(
    page: Page, campus: Campus, checkpoint: Checkpoint, settings: Any
) -> None:
    # The sample video is 320×180: certified here as a deployment asking for 180 lines would.
    settings.RESOURCES_VIDEO_MIN_HEIGHT = 180
    sign_in(page, "teacher1", campus.password)
    expect(welcome_heading(page, campus.full_name("teacher1"))).to_be_visible()
    video = {"name": "对刀演示.mp4", "mimeType": "video/mp4", "buffer": lesson_video()}
    _add_resource(page, checkpoint, title=VIDEO_TITLE, kind="video", file=video)
    document = {"name": "讲义.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("G01")}
    _add_resource(page, checkpoint, title=DOCUMENT_TITLE, kind="document", file=document)
    sign_out(page, campus.full_name("teacher1"))

    for expert in ("head2", "teacher2"):
        _review(page, campus, checkpoint, expert)
    resource = Resource.objects.get(title=VIDEO_TITLE)
    assert resource.certifications.get().status == CertificationStatus.CERTIFIED

    sign_in(page, "teacher1", campus.password)
    open_nav(page, tr("My resources"))
    page.get_by_role("link", name=VIDEO_TITLE).click()
    expect(page.get_by_text(tr("Certified"), exact=True).first).to_be_visible()
    page.get_by_role(
        "button", name=tr("Nominate to the %(level)s", level=tr(LibraryLevel.PROVINCIAL.label))
    ).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("The resource was nominated to the library above.")
    )
    checkpoint(page, "nominated")
    page.get_by_role(
        "link", name=tr("Certificate %(id)s", id=resource.certifications.get().certificate_id)
    ).click()
    expect(page.get_by_role("status")).to_contain_text(
        tr("This certificate was issued by this platform and matches its record.")
    )
    checkpoint(page, "certificate")
    sign_out(page, campus.full_name("teacher1"))

    sign_in(page, "region", campus.password)
    open_nav(page, tr("Library nominations"))
    checkpoint(page, "nominations")
    page.get_by_role("button", name=tr("Accept %(title)s", title=VIDEO_TITLE)).click()
    expect(page.get_by_role("alert").first).to_contain_text(tr("Accepted into the library."))
    resource.refresh_from_db()
    assert resource.level == LibraryLevel.PROVINCIAL
    sign_out(page, campus.full_name("region"))

    sign_in(page, "teacher2", campus.password)
    open_nav(page, tr("Resource library"))
    page.get_by_label(tr("Search resources")).fill("对刀")
    page.get_by_role("button", name=tr("Search"), exact=True).click()
    results = page.get_by_role("region", name=tr("%(total)s resource", total=1))
    expect(page.get_by_role("link", name=VIDEO_TITLE)).to_be_visible()
    # The document is still in its school library only: not found from another school.
    expect(page.get_by_role("link", name=DOCUMENT_TITLE)).to_have_count(0)
    checkpoint(page, "search")
    assert results is not None
