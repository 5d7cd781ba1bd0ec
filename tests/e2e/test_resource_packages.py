"""A teacher imports a SCORM package into the school library: a package without a manifest is
refused with what is wrong and the title typed is kept; the real package becomes a draft
named by its manifest, with the package as its file."""

import io
import zipfile

from playwright.sync_api import Page, expect

from openvet.resources.samples import scorm_package
from tests.e2e.conftest import TIMEOUT_MS, Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr, welcome_heading

TITLE = "数控车床安全操作（SCORM 课件）"


def _not_a_package() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "没有清单")
    return out.getvalue()


def _choose(page: Page, name: str, data: bytes) -> None:
    # The uploader is a deferred script: a file chosen before it runs would never be sent.
    page.wait_for_load_state("load")
    page.get_by_label(tr("Package (.zip or .imscc)")).set_input_files(
        {"name": name, "mimeType": "application/zip", "buffer": data}
    )
    # The upload goes in tus chunks, each a request: as long as an action may take.
    expect(page.get_by_role("status")).to_have_text(
        tr("Upload finished. The files are ready."), timeout=TIMEOUT_MS
    )


def test_a_teacher_imports_a_scorm_package(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    sign_in(page, "teacher1", campus.password)
    expect(welcome_heading(page, campus.full_name("teacher1"))).to_be_visible()
    open_nav(page, tr("My resources"))
    page.get_by_role("link", name=tr("Import a courseware package")).click()
    expect(page.get_by_role("heading", level=1, name=tr("Import a courseware package")))
    _choose(page, "说明.zip", _not_a_package())
    page.get_by_label(tr("Title (optional)")).fill("我的课件")
    page.get_by_label(tr("Major")).select_option("510201")
    page.get_by_label(tr("Licence")).select_option("cc-by")
    page.get_by_role("button", name=tr("Import as a draft")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("The package has no imsmanifest.xml at its top level.")
    )
    expect(page.get_by_label(tr("Title (optional)"))).to_have_value("我的课件")
    checkpoint(page, "refused")

    page.get_by_label(tr("Title (optional)")).fill("")
    _choose(page, "安全操作.zip", scorm_package(TITLE, "数控车床开机前检查与安全规程", ("数控",)))
    page.get_by_role("button", name=tr("Import as a draft")).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page.get_by_text("安全操作.zip")).to_be_visible()
    expect(page.get_by_text(tr("SCORM package"), exact=True)).to_be_visible()
    checkpoint(page, "imported")
