"""Student records: a school admin loads students from Excel, fixes the reported rows, takes a
change of major and a leave of absence through the approval chain (counsellor, department,
academic affairs), sees both in the student's history and exports the list; and creates and
edits one record by hand, with a photo."""

from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import ngettext, override, pgettext
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from openvet.core.models import OrgKind, OrgUnit
from openvet.records.bulk.columns import columns_of
from openvet.records.bulk.models import ImportKind
from openvet.records.codes import ChangeType, StudentStatus
from openvet.records.models import ChangeState, StatusChange, Student
from openvet.records.tests.factories import jpeg_bytes
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import ZH, citizen_id, exact, open_nav, sign_in, tr, wrong_check_digit

PREFIX = "E2E25"
# Adults (born 2005), so no guardian is needed; the third and fourth rows are broken at first.
GOOD_IDS = [citizen_id(f"33010620050{month}1512{n}") for n, month in enumerate((1, 2, 3, 4, 5))]
UNKNOWN_MAJOR = "999999"


def _org(parent: OrgUnit, kind: str, code: str) -> OrgUnit:
    return OrgUnit.objects.get(parent=parent, kind=kind, code=code)


def _placement(campus: Campus) -> tuple[OrgUnit, OrgUnit, OrgUnit, OrgUnit]:
    """The counsellor's and department head's department: a major with a 2024 class, and a
    second major of the same department (with an intake plan) to change into."""
    department = campus.home("counsellor1")
    assert campus.home("head1") == department
    majors = list(OrgUnit.objects.filter(parent=department, kind=OrgKind.MAJOR).order_by("code"))
    source, target = majors[0], majors[1]
    return source, _org(source, OrgKind.CLASS, "2401"), target, _org(target, OrgKind.CLASS, "2401")


def _rows(major_code: str, *, broken: bool) -> list[dict[str, Any]]:
    rows = [
        {
            "student_number": f"{PREFIX}{n:03d}",
            "name": f"Import Student {n}",
            "gender": "1" if int(id_number[16]) % 2 else "2",
            "id_number": id_number,
            "ethnicity": "01",
            "major_code": major_code,
            "class_code": "2401",
            "grade_year": 2024,
            "schooling_years": 3,
        }
        for n, id_number in enumerate(GOOD_IDS, start=1)
    ]
    if broken:
        rows[2]["id_number"] = wrong_check_digit(str(rows[2]["id_number"]))
        rows[3]["major_code"] = UNKNOWN_MAJOR
    return rows


def _fill_template(template: Path, rows: list[dict[str, Any]], target: Path) -> Path:
    book = load_workbook(template)
    sheet = book[ImportKind.STUDENT.value]
    keys = [column.key for column in columns_of("student")]
    for index, row in enumerate(rows, start=2):
        for column, key in enumerate(keys, start=1):
            if key in row:
                sheet.cell(row=index, column=column, value=row[key])
    book.save(target)
    return target


def _upload(page: Page, workbook: Path) -> None:
    open_nav(page, tr("Import from Excel"))
    page.get_by_label(tr("The file holds")).select_option(ImportKind.STUDENT.value)
    page.get_by_label(tr("Import nothing unless every row is valid")).check()
    page.get_by_label(tr("Spreadsheet (.xlsx, .xls or .ods)")).set_input_files(workbook)
    page.get_by_role("button", name=tr("Check and import")).click()
    expect(page.get_by_role("heading", level=1, name=tr("Import result"))).to_be_visible()


def _switch_user(page: Page, campus: Campus, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username, campus.password)
    expect(page.get_by_role("navigation", name=tr("Main navigation"))).to_be_attached()


def _approve(page: Page, campus: Campus, username: str, title: str) -> None:
    """Sign in as an approver and approve the request from "My approvals"."""
    _switch_user(page, campus, username)
    open_nav(page, tr("My approvals"))
    card = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=title))
    card.get_by_role("button", name=exact(tr("Approve"))).click()
    expect(
        page.get_by_text(tr("Decided by %(who)s", who=campus.full_name(username)))
    ).to_be_visible()


def _apply(page: Page, student: Student, change_type: ChangeType) -> None:
    page.goto(f"/records/students/{student.pk}/")
    page.get_by_role("link", name=exact(tr(change_type.label))).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(tr(change_type.label))


def _export(page: Page, link: str = "Export to Excel") -> list[tuple[Any, ...]]:
    open_nav(page, tr("Students"))
    page.get_by_label(tr("Name or student number")).fill(PREFIX)
    page.get_by_role("button", name=tr("Filter")).click()
    with override(ZH):
        count = ngettext("%(counter)s student", "%(counter)s students", 5) % {"counter": 5}
    expect(page.get_by_text(count)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=tr(link)).click()
    assert download.value.suggested_filename == "students.xlsx"
    content = Path(download.value.path()).read_bytes()
    return list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))


def test_school_admin_loads_students_changes_major_and_leave_and_exports(
    page: Page, campus: Campus, checkpoint: Checkpoint, tmp_path: Path
) -> None:
    source, source_class, target, target_class = _placement(campus)
    school = campus.home("admin1")
    before = Student.objects.filter(school=school).count()
    sign_in(page, "admin1", campus.password)
    open_nav(page, tr("Import from Excel"))
    with page.expect_download() as download:
        templates = page.get_by_role("region", name=tr("1. Download a template"))
        templates.get_by_role("link", name=exact(tr(ImportKind.STUDENT.label))).click()
    assert download.value.suggested_filename == "openvet-student-template.xlsx"
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    header = next(load_workbook(template).active.iter_rows(max_row=1, values_only=True))
    assert list(header) == [column.header("zh-hans") for column in columns_of("student")]

    # First upload: two bad rows; all or nothing, so nothing is written.
    _upload(page, _fill_template(template, _rows(source.code, broken=True), tmp_path / "a.xlsx"))
    problems = page.get_by_role("table", name=tr("Problems found in the file"))
    id_header = next(c.header("zh-hans") for c in columns_of("student") if c.key == "id_number")
    major_header = next(c.header("zh-hans") for c in columns_of("student") if c.key == "major_code")
    expect(problems.get_by_role("row")).to_have_count(3)
    expect(problems.get_by_role("row").nth(1)).to_contain_text(
        f"4{id_header}{tr('The check digit of this ID number is wrong; check for a typo.')}"
    )
    expect(problems.get_by_role("row").nth(2)).to_contain_text(
        f"5{major_header}{tr('No major of this school has this code.')}"
    )
    with override(ZH):
        rejected = ngettext(
            "Nothing was imported because %(count)s row is bad. Correct it and upload the "
            "file again, or choose to import the valid rows only.",
            "Nothing was imported because %(count)s rows are bad. Correct them and upload "
            "the file again, or choose to import the valid rows only.",
            2,
        ) % {"count": 2}
    expect(page.get_by_role("status")).to_contain_text(rejected)
    checkpoint(page, "bad-rows")
    assert Student.objects.filter(school=school).count() == before

    # The rows fixed, the same file loads.
    _upload(page, _fill_template(template, _rows(source.code, broken=False), tmp_path / "b.xlsx"))
    expect(page.get_by_role("status")).to_contain_text(
        tr(
            "%(created)s created, %(updated)s updated, %(unchanged)s unchanged.",
            created=5,
            updated=0,
            unchanged=0,
        )
    )
    assert Student.objects.filter(school=school).count() == before + 5
    student = Student.objects.get(school=school, student_number=f"{PREFIX}001")
    assert (student.major, student.class_unit) == (source, source_class)

    # Change of major: the counsellor applies, the department and academic affairs approve.
    _switch_user(page, campus, "counsellor1")
    _apply(page, student, ChangeType.CHANGE_MAJOR)
    page.get_by_label(tr("New major")).select_option(str(target.pk))
    # The class list follows the major: classes of the old major leave it.
    new_class = page.get_by_label(tr("New class"))
    expect(new_class.locator(f"option[value='{source_class.pk}']")).to_have_count(0)
    new_class.select_option(str(target_class.pk))
    checkpoint(page, "change-of-major")
    page.get_by_role("button", name=tr("Send for approval")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("Your application was sent for approval."))
    major_title = f"{tr(ChangeType.CHANGE_MAJOR.label)}: {student.name} ({student.student_number})"
    _approve(page, campus, "head1", major_title)
    # Screenshot only: the approvals page belongs to the workflow journeys, which check it.
    checkpoint(page, "approvals", axe=False)
    _approve(page, campus, "admin1", major_title)
    student.refresh_from_db()
    assert (student.major, student.class_unit, student.status) == (
        target,
        target_class,
        StudentStatus.ENROLLED,
    )

    # Leave of absence: academic affairs applies, the counsellor and department approve.
    _apply(page, student, ChangeType.SUSPEND)
    returning = timezone.localdate() + timedelta(days=180)
    page.get_by_label(tr("Planned return date")).fill(returning.isoformat())
    page.get_by_role("button", name=tr("Send for approval")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("Your application was sent for approval."))
    leave_title = f"{tr(ChangeType.SUSPEND.label)}: {student.name} ({student.student_number})"
    _approve(page, campus, "counsellor1", leave_title)
    _approve(page, campus, "head1", leave_title)
    student.refresh_from_db()
    assert student.status == StudentStatus.SUSPENDED
    assert set(StatusChange.objects.filter(student=student).values_list("state", flat=True)) == {
        ChangeState.APPROVED
    }

    # Academic affairs sees both changes in the history, then exports the filtered list.
    _switch_user(page, campus, "admin1")
    page.goto(f"/records/students/{student.pk}/")
    expect(page.locator("span.badge")).to_have_text(tr(StudentStatus.SUSPENDED.label))
    # Each history entry lists what changed (old → new) inside it: count the entries.
    took_effect = tr("Status change took effect")
    history = page.get_by_role("region", name=tr("History")).get_by_role("listitem")
    entries = history.filter(has_text=took_effect)
    expect(entries.filter(has_text=tr(ChangeType.SUSPEND.label))).to_have_count(1)
    expect(entries.filter(has_text=tr(ChangeType.CHANGE_MAJOR.label))).to_have_count(1)
    expect(history.filter(has_text=tr(ChangeType.CHANGE_MAJOR.label))).to_contain_text(
        tr("approved by %(name)s", name=campus.full_name("admin1"))
    )
    # On leave now: resumption is offered, a second leave or a graduation is not.
    offered = page.get_by_role("list", name=tr("Apply for a change"))
    expect(offered.get_by_role("link", name=exact(tr(ChangeType.RESUME.label)))).to_be_visible()
    for impossible in (ChangeType.SUSPEND, ChangeType.GRADUATE, ChangeType.CHANGE_MAJOR):
        expect(offered.get_by_role("link", name=exact(tr(impossible.label)))).to_have_count(0)
    checkpoint(page, "history")
    rows = _export(page)
    keys = [column.key for column in columns_of("student")]
    exported = {row[keys.index("student_number")]: row for row in rows[1:]}
    assert sorted(exported) == [f"{PREFIX}{n:03d}" for n in range(1, 6)]
    moved = exported[f"{PREFIX}001"]
    assert (moved[keys.index("major_code")], moved[keys.index("class_code")]) == (
        target.code,
        "2401",
    )
    assert exported[f"{PREFIX}002"][keys.index("major_code")] == source.code
    # ID numbers are masked unless the export asks for them (and is audited).
    id_number = GOOD_IDS[0]
    assert moved[keys.index("id_number")] == id_number[:6] + "********" + id_number[-4:]
    clear = {row[0]: row for row in _export(page, "Export with personal data")[1:]}
    assert clear[f"{PREFIX}001"][keys.index("id_number")] == id_number
    checkpoint(page, "list")


def test_school_admin_creates_and_edits_a_student_with_a_photo(
    page: Page, campus: Campus, checkpoint: Checkpoint, tmp_path: Path
) -> None:
    source, source_class, _target, _target_class = _placement(campus)
    today = timezone.localdate()
    minor_id = citizen_id(f"330106{today.year - 16}0101123")
    # As a phone takes it: 1600 × 1200 turned by its EXIF orientation, with a GPS position.
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes(1600, 1200))
    sign_in(page, "admin1", campus.password)
    open_nav(page, tr("Students"))
    page.get_by_role("link", name=tr("New student")).click()
    expect(page.get_by_role("heading", level=1, name=tr("New student"))).to_be_visible()

    page.get_by_label(tr("Student number")).fill(f"{PREFIX}900")
    page.get_by_label(_person_name_label(), exact=True).fill("Hand Made")
    page.get_by_label(tr("Gender")).select_option("1")
    page.get_by_label(tr("ID number")).fill(wrong_check_digit(minor_id))
    page.get_by_label(tr("Major")).select_option(str(source.pk))
    page.get_by_label(tr("Class"), exact=True).select_option(str(source_class.pk))
    page.get_by_label(tr("Grade year")).fill("2024")
    page.get_by_label(tr("Photo")).set_input_files(photo)
    page.get_by_role("button", name=tr("Create record")).click()
    check_digit = tr("The check digit of this ID number is wrong; check for a typo.")
    expect(page.get_by_label(tr("ID number"))).to_have_accessible_description(check_digit)
    checkpoint(page, "error")

    # A minor needs a guardian: the next error, on the guardian's name.
    page.get_by_label(tr("ID number")).fill(minor_id)
    page.get_by_label(tr("Photo")).set_input_files(photo)
    page.get_by_role("button", name=tr("Create record")).click()
    guardian = tr("A student under 18 needs a guardian's name and phone.")
    expect(page.get_by_label(tr("Guardian's name"))).to_have_accessible_description(guardian)
    assert not Student.objects.filter(student_number=f"{PREFIX}900").exists()

    page.get_by_label(tr("Guardian's name")).fill("Hand Senior")
    page.get_by_label(tr("Guardian's relation")).fill("father")
    page.get_by_label(tr("Guardian's phone")).fill("13800138000")
    page.get_by_label(tr("Photo")).set_input_files(photo)
    page.get_by_role("button", name=tr("Create record")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hand Made")
    created = Student.objects.get(student_number=f"{PREFIX}900")
    assert created.birth_date is not None
    assert created.birth_date.year == today.year - 16
    photo_image = page.get_by_role("img", name=tr("Photo of %(name)s", name="Hand Made"))
    expect(photo_image).to_be_visible()
    # Stored upright, scaled to 600 px on the long side, without the camera's metadata.
    # decode() waits for the picture to arrive (visible is not loaded on a busy machine).
    natural = photo_image.evaluate(
        "async image => { await image.decode(); return [image.naturalWidth, image.naturalHeight]; }"
    )
    assert natural == [450, 600]
    checkpoint(page, "created")

    page.get_by_role("link", name=tr("Edit record")).click()
    page.get_by_label(tr("Household registration")).fill("Hangzhou")
    page.get_by_role("button", name=tr("Save record")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The student record was saved."))
    created.refresh_from_db()
    assert (created.household_registration, created.id_number) == ("Hangzhou", minor_id)
    checkpoint(page, "edited")


def _person_name_label() -> str:
    """The page's label for a person's name (the word has a context: "person")."""
    with override(ZH):
        return pgettext("person", "Name")
