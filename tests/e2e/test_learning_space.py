"""Random papers, the learning space and the PWA in the browser: a student takes a quiz whose
paper is drawn from a pool and holds a matching question, writes a note on a unit, shares a
portfolio by link (read by someone signed out, then revoked: the link answers 404), and, with
the network cut, gets the offline page from the service worker."""

from pathlib import Path

from playwright.sync_api import Page, expect

from openvet.learning import services
from openvet.learning.models import Attempt, OnlineCourse, Question, QuestionKind, UnitKind
from openvet.learning.space.models import Certificate, Note, PortfolioLink
from openvet.learning.tests import qti_samples
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr
from tests.e2e.test_learning import _task_of_teacher1


def _build_course(teaching: Campus) -> tuple[str, str]:
    teacher = teaching.user("teacher1")
    task = _task_of_teacher1(teaching)
    course = services.course_create(actor=teacher, task=task, title="数控安全（随机卷）")
    chapter = services.chapter_add(actor=teacher, course=course, title="第一章 安全操作")
    services.unit_add(
        actor=teacher,
        chapter=chapter,
        kind=UnitKind.TEXT,
        title="安全须知",
        body="<p>操作前戴好护目镜。</p>",
    )
    for n in range(4):
        services.question_add(
            actor=teacher,
            course=course,
            kind=QuestionKind.SINGLE,
            text=f"安全题 {n + 1}：开机前要检查什么？",
            choices=["防护门和急停", "只看屏幕"],
            answer=[0],
            pool="安全",
        )
    matching = services.question_add(
        actor=teacher,
        course=course,
        kind=QuestionKind.MATCHING,
        text="把刀具和用途配对",
        choices=["外圆车刀", "切断刀"],
        answer=["车外圆", "切断工件"],
        points=2,
    )
    services.unit_add(
        actor=teacher,
        chapter=chapter,
        kind=UnitKind.QUIZ,
        title="随机测验",
        question_ids=[matching.pk],
        draws=[{"pool": "安全", "count": 2}],
    )
    return course.title, "随机测验"


def test_student_takes_a_random_paper_keeps_notes_and_shares_a_portfolio(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    course_title, quiz_title = _build_course(teaching)
    student = second_page
    sign_in(student, "student1", teaching.password)
    open_nav(student, tr("My learning space"))
    student.get_by_role("link", name=course_title).click()
    student.get_by_role("link", name=quiz_title).click()
    student.get_by_role("button", name=tr("Start the quiz")).click()
    expect(student.get_by_text(tr("Choose the matching item for each line."))).to_be_visible()
    student.get_by_label("外圆车刀").select_option("车外圆")
    student.get_by_label("切断刀").select_option("切断工件")
    right = student.get_by_label("A. 防护门和急停")
    expect(right).to_have_count(2)  # two questions drawn from the pool of four
    for option in right.all():
        option.check()
    checkpoint(student, "random-paper")
    student.get_by_role("button", name=tr("Hand in")).click()
    expect(student.get_by_role("alert")).to_contain_text(tr("Your answers were handed in."))
    expect(
        student.get_by_text(tr("Score: %(score)s of %(max)s points", score="4.00", max="4.00"))
    ).to_be_visible()
    expect(student.get_by_text("外圆车刀 → 车外圆").first).to_be_visible()
    attempt = Attempt.objects.get(unit__title=quiz_title)
    assert len(attempt.paper) == 3

    # A private note on a unit.
    student.get_by_role("link", name=course_title).click()
    student.get_by_role("link", name="安全须知").click()
    student.get_by_role("textbox", name=tr("My note")).fill("急停按钮在右上角。")
    student.get_by_role("button", name=tr("Save the note")).click()
    expect(student.get_by_role("alert")).to_contain_text(tr("Your note was saved."))
    student.get_by_role("button", name=tr("Add to favourites")).click()
    expect(student.get_by_role("button", name=tr("In my favourites"))).to_be_visible()
    checkpoint(student, "note")
    assert Note.objects.get().text == "急停按钮在右上角。"

    # Every unit completed (the text read, the quiz passed): the certificate.
    open_nav(student, tr("My learning space"))
    student.get_by_role("link", name=tr("My notes, favourites and portfolio")).click()
    expect(student.get_by_text("急停按钮在右上角。")).to_be_visible()
    student.get_by_role(
        "button", name=tr("Get the certificate of %(title)s", title=course_title)
    ).click()
    expect(student.get_by_role("heading", level=1)).to_contain_text(tr("Course certificate"))
    checkpoint(student, "certificate")
    code = Certificate.objects.get().code
    expect(student.get_by_text(code)).to_be_visible()

    # The portfolio, shared by link and revoked.
    open_nav(student, tr("My learning space"))
    student.get_by_role("link", name=tr("My notes, favourites and portfolio")).click()
    student.get_by_label(tr("Title of the portfolio")).fill("我的数控学习")
    student.get_by_label(f"{course_title} · {quiz_title} #1").check()
    student.get_by_label(f"{course_title} · {code}").check()
    student.get_by_role("button", name=tr("Make a share link")).click()
    expect(student.get_by_role("alert")).to_contain_text(
        tr("The portfolio link was made. Anyone with it can read the chosen items.")
    )
    checkpoint(student, "portfolio-links")
    link = PortfolioLink.objects.get()
    address = f"/learning/portfolio/{link.token}/"
    page.goto(address)
    expect(page.get_by_role("heading", level=1, name="我的数控学习")).to_be_visible()
    expect(page.get_by_role("link", name=code)).to_be_visible()
    full_name = teaching.full_name("student1")
    expect(page.get_by_text(full_name[0] + "*" * (len(full_name) - 1))).to_be_visible()
    expect(page.get_by_text(full_name, exact=True)).to_have_count(0)
    checkpoint(page, "portfolio-public")
    student.get_by_role("button", name=tr("Revoke the link")).click()
    expect(student.get_by_role("alert")).to_contain_text(
        tr("The link was revoked: its address no longer opens.")
    )
    gone = page.goto(address)
    assert gone is not None
    assert gone.status == 404

    # Offline: the service worker answers the offline page.
    student.goto("/learning/")
    assert student.evaluate("navigator.serviceWorker.ready.then(() => true)")
    student.wait_for_function("navigator.serviceWorker.controller !== null || true")
    student.context.set_offline(True)
    try:
        student.goto("/learning/me/")
        expect(student.get_by_role("heading", level=1)).to_contain_text(tr("You are offline"))
        checkpoint(student, "offline", axe=False)
    finally:
        student.context.set_offline(False)


def test_teacher_reads_item_statistics_and_imports_a_qti_bank(
    page: Page, teaching: Campus, checkpoint: Checkpoint, tmp_path: Path
) -> None:
    course_title, _quiz = _build_course(teaching)
    course = OnlineCourse.objects.get(title=course_title)
    sign_in(page, "teacher1", teaching.password)
    page.goto(f"/learning/courses/{course.pk}/questions/")
    page.get_by_role("link", name=tr("Import QTI questions")).click()
    package = tmp_path / "题库.zip"
    package.write_bytes(qti_samples.package(qti_samples.GOOD))
    page.get_by_label(tr("QTI package (2.1 or 3.0)")).set_input_files(str(package))
    page.get_by_label(tr("Pool")).fill("导入题")
    checkpoint(page, "qti-import")
    page.get_by_role("button", name=tr("Import"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("5")
    expect(page.get_by_text("把刀具和用途配对。")).to_be_visible()
    assert Question.objects.filter(course=course, pool="导入题").count() == 5
    page.get_by_role("link", name=tr("Item statistics")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(tr("Item statistics"))
    expect(page.get_by_text(tr("Discrimination")).first).to_be_visible()
    checkpoint(page, "item-statistics")
