"""Journeys of issue 16's last pieces: a student downloads the transcript, set in an embedded
Noto Sans SC subset; the clerk and a student see a class on 岗位实习 instead of an empty grid."""

import io
import re

from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from openvet.teaching import presenters
from openvet.teaching.grades.pdf_font import missing_characters
from openvet.teaching.models import TeachingTask, TrainingWeek
from openvet.teaching.services import tasks
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr
from tests.e2e.teaching_support import demo_term, student_record


def _embedded_fonts(reader: PdfReader) -> set[str]:
    fonts = [f.get_object() for p in reader.pages for f in p["/Resources"]["/Font"].values()]
    return {
        str(font["/BaseFont"])
        for font in fonts
        if "/FontDescriptor" in font and "/FontFile2" in font["/FontDescriptor"].get_object()
    }


def test_student_downloads_a_transcript_that_prints_the_same_everywhere(
    page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    student = student_record(teaching.user("student1"))
    student.name = "买买提·艾力"  # a Uyghur name: its middle dot was an unknown glyph before
    student.save(update_fields=["name"])

    sign_in(page, "student1", teaching.password)
    open_nav(page, tr("Grades"))
    page.get_by_role("link", name=tr("My transcript")).click()
    expect(page.get_by_role("heading", level=1, name=tr("Transcript"))).to_be_visible()
    checkpoint(page, "transcript")
    with page.expect_download() as download:
        page.get_by_role("link", name=tr("Download PDF")).click()

    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = "".join(p.extract_text() for p in reader.pages)
    assert [n for n in _embedded_fonts(reader) if re.fullmatch(r"/[A-Z]{6}\+NotoSansSC-Regular", n)]
    assert "买买提·艾力" in text
    assert student.student_number in text
    assert student.class_unit.name in text
    assert "本学期合计" in text  # the demo student has locked grades from earlier terms
    assert "（盖章）" in text
    assert missing_characters(text) == set()


def test_the_clerk_sees_a_class_on_training_weeks_instead_of_an_empty_grid(
    page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    term = demo_term(teaching.home("admin1"))
    training = TrainingWeek.objects.filter(term=term, task__isnull=False).select_related(
        "class_unit", "task__course"
    )
    spell = training.order_by("class_unit__path", "week").first()
    assert spell is not None, "the demo term has whole training weeks"
    weeks = sorted(
        training.filter(class_unit=spell.class_unit, task=spell.task).values_list("week", flat=True)
    )

    sign_in(page, "admin1", teaching.password)
    open_nav(page, tr("Teaching"))
    term_name = tr(
        "%(first)s-%(second)s academic year, term %(number)s",
        first=term.academic_year,
        second=term.academic_year + 1,
        number=term.number,
    )
    page.get_by_role("link", name=term_name, exact=True).click()
    sections = page.get_by_role("navigation", name=tr("Term sections"))
    sections.get_by_role("link", name=tr("Timetable")).click()
    page.get_by_role("link", name=spell.class_unit.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(spell.class_unit.name)
    page.goto(f"{page.url.split('?')[0]}?week={spell.week}")

    notice = page.get_by_role("status").filter(has_text=spell.task.course.name)
    expect(notice).to_contain_text(f"第 {weeks[0]}–{weeks[-1]} 周")
    expect(page.get_by_role("region", name=tr("Week timetable"))).to_have_count(0)
    checkpoint(page, "class-on-training")


def test_a_student_on_placement_is_told_so_on_their_timetable(
    page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    student = student_record(teaching.user("student1"))
    term = demo_term(teaching.home("admin1"))
    week = presenters.current_week(term, timezone.localdate())
    placement = (
        TeachingTask.objects.filter(
            term=term, course__name__contains="实训", classes=student.class_unit
        ).first()
        or TeachingTask.objects.filter(term=term, classes=student.class_unit).first()
    )
    assert placement is not None
    for number in (week, min(week + 1, term.weeks)):
        tasks.training_week_set(
            actor=teaching.user("admin1"),
            term=term,
            class_unit=student.class_unit,
            week=number,
            task=placement,
        )

    sign_in(page, "student1", teaching.password)
    open_nav(page, tr("My timetable"))
    expect(page.get_by_role("heading", level=1, name=tr("My timetable"))).to_be_visible()
    notice = page.get_by_role("status").filter(has_text=placement.course.name)
    expect(notice).to_contain_text(student.class_unit.name)
    expect(notice).to_contain_text("不安排课堂教学")
    checkpoint(page, "student-on-placement")
