"""Assignments: deadline and late rule, resubmission until graded, rubric grading with the late
penalty, anonymous peer review handed out fairly, files checked by their bytes, and who may
see or do what (ADR 0720-0723)."""

import io
import random
import zipfile
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.learning import services
from openvet.learning.assignments import services as work
from openvet.learning.assignments.models import Assignment, PeerReview, Submission
from openvet.learning.models import Progress, UnitKind
from openvet.learning.tests.conftest import PDF, World
from openvet.learning.tests.test_services import verbs_of
from openvet.learning.tests.test_views import client_for


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def assignment_unit(world: World, *, due: timedelta, **extra: Any) -> Assignment:
    unit = services.unit_add(
        actor=world.teacher,
        chapter=world.chapter,
        kind=UnitKind.ASSIGNMENT,
        title="Turn a shaft",
        body="<p>Describe the steps.</p><script>x()</script>",
        due_at=timezone.now() + due,
        **extra,
    )
    assignment = unit.assignment
    work.criterion_add(
        actor=world.teacher,
        assignment=assignment,
        title="Steps",
        levels=[("Good", 10), ("Fair", 6), ("Poor", 2)],
    )
    work.criterion_add(
        actor=world.teacher, assignment=assignment, title="Safety", levels=[("Yes", 5), ("No", 0)]
    )
    return assignment


def classmate(world: World, name: str) -> Any:
    return world._student(world.campus.klass, name)


def grade_all(world: World, submission: Submission, steps: int = 10, safety: int = 5) -> Any:
    a, b = submission.assignment.criteria.all()
    return work.submission_grade(
        actor=world.teacher,
        submission=submission,
        points={a.pk: steps, b.pk: safety},
        comments={a.pk: "Clear", b.pk: "Goggles on"},
        comment="Well done",
    )


def test_an_assignment_unit_keeps_its_instructions_rules_and_rubric(world: World) -> None:
    assignment = assignment_unit(world, due=timedelta(days=3))
    assert assignment.unit.body == "<p>Describe the steps.</p>"
    assert [(c.title, c.max_points) for c in assignment.criteria.all()] == [
        ("Steps", 10),
        ("Safety", 5),
    ]
    with pytest.raises(ValidationFailed) as refused:
        services.unit_add(
            actor=world.teacher,
            chapter=world.chapter,
            kind=UnitKind.ASSIGNMENT,
            title="No deadline",
            body="<p>x</p>",
            due_at=timezone.now(),
            late_until=timezone.now() - timedelta(hours=1),
            accepts_text=False,
            accepts_file=False,
        )
    assert set(refused.value.details) == {"late_until", "accepts_text"}
    with pytest.raises(ValidationFailed) as bad_levels:
        work.criterion_add(
            actor=world.teacher, assignment=assignment, title="Style", levels=[("Nice", 300)]
        )
    assert "levels" in bad_levels.value.details
    with pytest.raises(PermissionDenied):
        work.criterion_add(
            actor=world.student_user, assignment=assignment, title="Mine", levels=[("A", 1)]
        )


def test_submitting_completes_the_unit_and_resubmitting_replaces_until_graded(
    world: World,
) -> None:
    assignment = assignment_unit(world, due=timedelta(days=1))
    first = work.submission_submit(actor=world.student_user, assignment=assignment, text="v1")
    upload = SimpleUploadedFile("作业.docx", docx_bytes())
    second = work.submission_submit(
        actor=world.student_user, assignment=assignment, text="v2", file=upload
    )
    assert second.pk == first.pk
    assert (second.version, second.text, second.late) == (2, "v2", False)
    assert second.file_name.endswith(".docx")
    assert second.original_name == "作业.docx"
    assert Progress.objects.get(unit=assignment.unit, user=world.student_user).completed_at
    graded = grade_all(world, second)
    assert (graded.raw_score, graded.score) == (Decimal(15), Decimal("15.00"))
    with pytest.raises(work.AlreadyGraded):
        work.submission_submit(actor=world.student_user, assignment=assignment, text="v3")
    second.refresh_from_db()
    assert second.text == "v2"
    assert verbs_of(world.student_user)[-4:] == ["submitted", "completed", "submitted", "scored"]


def test_after_the_deadline_the_work_is_refused_and_nothing_written(world: World) -> None:
    assignment = assignment_unit(world, due=timedelta(minutes=-1))
    with pytest.raises(work.DeadlinePassed):
        work.submission_submit(actor=world.student_user, assignment=assignment, text="late")
    assert not Submission.objects.exists()
    assert not Progress.objects.filter(unit=assignment.unit).exists()
    page = client_for(world.student_user).get(
        reverse("learning:unit-detail", args=[assignment.unit.pk])
    )
    assert "作业已截止，不再接收提交。" in page.content.decode()
    posted = client_for(world.student_user).post(
        reverse("learning:unit-detail", args=[assignment.unit.pk]), {"text": "late"}, follow=True
    )
    assert "截止时间已过" in posted.content.decode()
    assert not Submission.objects.exists()


def test_late_work_is_accepted_until_the_cut_off_and_loses_the_penalty(world: World) -> None:
    assignment = assignment_unit(
        world,
        due=timedelta(hours=-2),
        late_until=timezone.now() + timedelta(days=1),
        late_penalty_percent=20,
    )
    submission = work.submission_submit(
        actor=world.student_user, assignment=assignment, text="sorry"
    )
    assert (submission.late, submission.penalty_percent) == (True, 20)
    graded = grade_all(world, submission, steps=6, safety=5)
    assert (graded.raw_score, graded.score) == (Decimal(11), Decimal("8.80"))


def test_grading_needs_a_level_of_every_criterion_and_a_teacher(world: World) -> None:
    assignment = assignment_unit(world, due=timedelta(days=1))
    submission = work.submission_submit(actor=world.student_user, assignment=assignment, text="x")
    steps, safety = assignment.criteria.all()
    with pytest.raises(ValidationFailed) as refused:
        work.submission_grade(
            actor=world.teacher, submission=submission, points={steps.pk: 7, safety.pk: 5}
        )
    assert f"c{steps.pk}" in refused.value.details
    for actor in (world.student_user, world.other_teacher):
        with pytest.raises(PermissionDenied):
            grade_all(world_with(world, actor), submission)
    submission.refresh_from_db()
    assert submission.graded_at is None


def world_with(world: World, teacher: Any) -> World:
    """The same world seen by another would-be grader."""
    clone = World.__new__(World)
    clone.__dict__.update(world.__dict__)
    clone.teacher = teacher
    return clone


def test_wrong_and_oversized_files_are_refused_with_nothing_stored(world: World) -> None:
    assignment = assignment_unit(world, due=timedelta(days=1))
    before = _stored_files(world)
    disguised = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + bytes(200))
    with pytest.raises(ValidationFailed) as wrong:
        work.submission_submit(actor=world.student_user, assignment=assignment, file=disguised)
    assert "file" in wrong.value.details
    with (
        override_settings(LEARNING_MAX_SUBMISSION_BYTES=10),
        pytest.raises(ValidationFailed) as large,
    ):
        work.submission_submit(
            actor=world.student_user,
            assignment=assignment,
            file=SimpleUploadedFile("report.pdf", PDF),
        )
    assert "MB" in str(large.value.details["file"])
    assert not Submission.objects.exists()
    assert _stored_files(world) == before
    # Through the page: the message in Chinese, what was typed kept, a 422.
    page = client_for(world.student_user).post(
        reverse("learning:unit-detail", args=[assignment.unit.pk]),
        {"text": "我的答案", "file": SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>")},
    )
    assert page.status_code == 422
    body = page.content.decode()
    assert "不接受这种文件" in body
    assert "我的答案" in body


def _stored_files(world: World) -> list[str]:
    folder = f"learning/{world.course.pk}/work"
    try:
        return sorted(default_storage.listdir(folder)[1])
    except FileNotFoundError:
        return []


def test_peer_pairs_never_give_own_work_and_are_balanced() -> None:
    for n in range(2, 9):
        for k in range(1, 5):
            users = list(range(100, 100 + n))
            random.Random(n * k).shuffle(users)
            pairs = work.peer_pairs(users, k)
            assert all(reviewer != author for reviewer, author in pairs)
            assert len(set(pairs)) == len(pairs)
            per = min(k, n - 1)
            assert set(Counter(r for r, _a in pairs).values()) == {per}
            assert set(Counter(a for _r, a in pairs).values()) == {per}


def test_peer_review_after_the_deadline_is_anonymous_and_the_teacher_decides(
    world: World,
) -> None:
    assignment = assignment_unit(world, due=timedelta(days=1), peer_reviews=2)
    learners = [world.student_user, classmate(world, "Ann"), classmate(world, "Bo")]
    for user in learners:
        work.submission_submit(actor=user, assignment=assignment, text=f"by {user.full_name}")
    with pytest.raises(work.Conflict):
        work.peers_allocate(actor=world.teacher, assignment=assignment)
    Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assignment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        work.peers_allocate(actor=world.student_user, assignment=assignment)
    assert work.peers_allocate(actor=world.teacher, assignment=assignment) == 6
    for review in PeerReview.objects.select_related("submission"):
        assert review.submission.user_id != review.reviewer_id
    mine = PeerReview.objects.filter(reviewer=world.student_user).first()
    assert mine is not None
    steps, safety = assignment.criteria.all()
    work.peer_review_submit(
        actor=world.student_user, review=mine, points={steps.pk: 6, safety.pk: 5}, comment="ok"
    )
    with pytest.raises(PermissionDenied):
        work.peer_review_submit(actor=learners[1], review=mine, points={steps.pk: 2, safety.pk: 0})
    client = client_for(world.student_user)
    page = client.get(reverse("learning:review-detail", args=[mine.pk])).content.decode()
    author = mine.submission.user
    assert f"by {author.full_name}" in page
    assert author.full_name not in page.replace(f"by {author.full_name}", "")
    # The teacher sees the peer total next to the submission, then grades.
    teacher = client_for(world.teacher)
    listing = teacher.get(reverse("learning:assignment-submissions", args=[assignment.unit.pk]))
    assert "11.00" in listing.content.decode()
    detail = teacher.get(reverse("learning:submission-detail", args=[mine.submission.pk]))
    assert "11.00" in detail.content.decode()
    assert "reviewed" in verbs_of(world.student_user)


def test_other_school_other_class_and_other_students_get_404(
    world: World, other_world: World
) -> None:
    assignment = assignment_unit(world, due=timedelta(days=1))
    submission = work.submission_submit(actor=world.student_user, assignment=assignment, text="x")
    ann = classmate(world, "Ann")
    unit_url = reverse("learning:unit-detail", args=[assignment.unit.pk])
    submission_url = reverse("learning:submission-detail", args=[submission.pk])
    for outsider in (other_world.teacher, other_world.student_user, world.outsider):
        client = client_for(outsider)
        assert client.get(unit_url).status_code == 404
        assert client.get(submission_url).status_code == 404
        assert client.post(unit_url, {"text": "mine"}).status_code == 404
    assert client_for(ann).get(submission_url).status_code == 404
    assert (
        client_for(ann).get(reverse("learning:submission-file", args=[submission.pk])).status_code
        == 404
    )
    steps, safety = assignment.criteria.all()
    grading = {f"c{steps.pk}": "10", f"c{safety.pk}": "5", "comment": "self"}
    assert client_for(world.student_user).post(submission_url, grading).status_code == 302
    assert client_for(ann).post(submission_url, grading).status_code == 404
    rubric_url = reverse("learning:assignment-rubric", args=[assignment.unit.pk])
    assert client_for(world.student_user).get(rubric_url).status_code == 403
    submission.refresh_from_db()
    assert submission.graded_at is None
    assert Submission.objects.count() == 1


def test_the_pages_take_a_teacher_from_rubric_to_grade_and_show_the_student(
    world: World,
) -> None:
    teacher = client_for(world.teacher)
    created = teacher.post(
        reverse("learning:unit-create", args=[world.course.pk, world.chapter.pk]),
        {
            "kind": "assignment",
            "title": "Report",
            "body": "Write a report.",
            "due_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "accepts_text": "on",
            "accepts_file": "on",
            "peer_reviews": "0",
            "late_penalty_percent": "0",
        },
    )
    assignment = Assignment.objects.get(unit__title="Report")
    rubric_url = reverse("learning:assignment-rubric", args=[assignment.unit.pk])
    assert created.status_code == 302
    assert created["Location"] == rubric_url
    bad = teacher.post(rubric_url, {"title": "Content", "levels": "优秀\n"})
    assert bad.status_code == 422
    assert "优秀" in bad.content.decode()
    teacher.post(rubric_url, {"title": "Content", "levels": "优秀 10\n合格：6\n不合格 0分"})
    (criterion,) = assignment.criteria.all()
    assert [level["points"] for level in criterion.levels] == [10, 6, 0]

    student = client_for(world.student_user)
    unit_url = reverse("learning:unit-detail", args=[assignment.unit.pk])
    handed = student.post(unit_url, {"text": "我的报告"})
    assert handed.status_code == 302
    course_page = teacher.get(reverse("learning:course-detail", args=[world.course.pk]))
    assert reverse("learning:assignment-submissions", args=[assignment.unit.pk]) in (
        course_page.content.decode()
    )
    submission = Submission.objects.get()
    graded = teacher.post(
        reverse("learning:submission-detail", args=[submission.pk]),
        {f"c{criterion.pk}": "6", f"n{criterion.pk}": "结构清楚", "comment": "继续加油"},
    )
    assert graded.status_code == 302
    page = student.get(unit_url).content.decode()
    assert "成绩：6.00 分（满分 10）" in page
    assert "结构清楚" in page
    assert "继续加油" in page
