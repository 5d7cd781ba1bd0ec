"""Publishing a run: the preview of what moves and whom it affects, the confirmation step,
one unit (lessons) in every count, and each affected person's notice of their own changes."""

import pytest
from django.test import Client
from django.urls import reverse

from openvet.identity.tests.support import sign_in
from openvet.teaching import review, services
from openvet.teaching.models import Notice, SolverRun, SolverStatus, TimetableEntry
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.test_solver_review import EN, scene

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_preview_counts_unchanged_moved_and_added_lessons_and_whom_they_affect(
    campus: Campus,
) -> None:
    s = scene(campus)

    preview = services.publish_preview(run=s.run)

    assert (preview.lessons, preview.periods, preview.current, preview.unchanged) == (3, 5, 2, 1)
    assert (preview.moved, preview.added, preview.removed) == (1, 1, 0)
    assert preview.classes == sorted([campus.class_a.name, campus.class_b.name])
    assert preview.teachers == ["Teacher2 A"]
    # Nothing is written by looking.
    assert TimetableEntry.objects.filter(term=campus.term).count() == 2
    assert not Notice.objects.exists()


def test_a_lesson_dropped_from_the_proposal_counts_as_removed(campus: Campus) -> None:
    s = scene(campus)
    s.run.result = [row for row in s.run.result if row[0] != s.drawing.pk]
    s.run.save()

    preview = services.publish_preview(run=s.run)

    assert (preview.lessons, preview.unchanged, preview.moved, preview.added) == (2, 1, 0, 1)
    assert preview.removed == 1


def test_run_summary_preview_publish_and_timetable_count_the_same_lessons(campus: Campus) -> None:
    s = scene(campus)
    proposal = review.proposal_of(s.run)
    preview = services.publish_preview(run=s.run)

    published = services.solver_run_publish(actor=campus.admin, run=s.run)

    entries = TimetableEntry.objects.filter(term=campus.term)
    assert proposal.lessons == preview.lessons == published.lessons == entries.count() == 3
    assert proposal.periods == preview.periods == published.periods == 5
    assert sum(e.length for e in entries) == 5


def test_publishing_tells_each_affected_person_exactly_their_changes(campus: Campus) -> None:
    s = scene(campus)

    published = services.solver_run_publish(actor=campus.admin, run=s.run)

    hall, lab = str(s.hall), str(s.lab)
    notices = {n.user_id: n for n in Notice.objects.filter(solver_run=s.run)}
    assert published.notified == 2
    assert set(notices) == {campus.teacher2.pk, campus.student.pk}
    # The student of class A: only the joint seminar is new; their maths did not move.
    assert notices[campus.student.pk].changes == [
        {"course": "Joint seminar", "old": None, "new": [4, 5, 2, hall]}
    ]
    assert notices[campus.teacher2.pk].changes == [
        {"course": "Drawing", "old": [2, 3, 1, lab], "new": [3, 3, 1, hall]},
        {"course": "Joint seminar", "old": None, "new": [4, 5, 2, hall]},
    ]


def test_republishing_the_same_timetable_sends_no_notice(campus: Campus) -> None:
    s = scene(campus)
    services.solver_run_publish(actor=campus.admin, run=s.run)
    again = SolverRun.objects.create(
        term=campus.term, status=SolverStatus.FINISHED, best_hard=0, result=s.run.result
    )

    published = services.solver_run_publish(actor=campus.admin, run=again)

    assert published.notified == 0
    assert not Notice.objects.filter(solver_run=again).exists()


def test_notice_page_lists_each_persons_own_changes(campus: Campus) -> None:
    s = scene(campus)
    services.solver_run_publish(actor=campus.admin, run=s.run)

    en = sign_in(Client(), campus.student).get(reverse("teaching:notice-list"), **EN)
    zh = sign_in(Client(), campus.student).get(reverse("teaching:notice-list"), **ZH)

    assert f"<li>Joint seminar: new lesson, Thursday periods 5–6 {s.hall}</li>" in en.text
    assert "Drawing" not in en.text
    assert f"<li>Joint seminar：新增课程，星期四 第 5–6 节 {s.hall}</li>" in zh.text
    teacher = sign_in(Client(), campus.teacher2).get(reverse("teaching:notice-list"), **ZH)
    assert f"<li>Drawing：星期二 第 3 节 {s.lab} → 星期三 第 3 节 {s.hall}</li>" in teacher.text
    assert f"<li>Joint seminar：新增课程，星期四 第 5–6 节 {s.hall}</li>" in teacher.text


def test_publish_asks_for_confirmation_before_writing(campus: Campus) -> None:
    s = scene(campus)
    client = sign_in(Client(), campus.admin)
    url = reverse("teaching:solver-publish", args=[s.run.pk])

    page = client.get(url, **ZH)
    unconfirmed = client.post(url, **ZH)

    assert page.status_code == 200
    assert '<dd class="col-4 col-md-8" id="publish-moved">1</dd>' in page.text
    assert '<dd class="col-4 col-md-8" id="publish-people">2</dd>' in page.text
    assert "确认并发布" in page.text
    assert unconfirmed.status_code == 400
    assert "发布前需要您确认：请先查看变动，再确认发布。" in unconfirmed.text
    assert TimetableEntry.objects.filter(term=campus.term).count() == 2
    assert SolverRun.objects.get(pk=s.run.pk).status == SolverStatus.FINISHED

    done = client.post(url, {"confirm": "yes"}, follow=True, **ZH)

    assert done.status_code == 200
    assert SolverRun.objects.get(pk=s.run.pk).status == SolverStatus.PUBLISHED
    assert "课表已发布：3 次课（5 节）；已通知 2 名学生和教师各自的变动。" in done.text


def test_another_schools_admin_gets_404_and_publishes_nothing(
    campus: Campus, other: Campus
) -> None:
    s = scene(campus)
    client = sign_in(Client(), other.admin)
    url = reverse("teaching:solver-publish", args=[s.run.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    assert SolverRun.objects.get(pk=s.run.pk).status == SolverStatus.FINISHED
    assert not Notice.objects.exists()


def test_resolve_keeps_the_published_timetable_by_default(campus: Campus) -> None:
    client = sign_in(Client(), campus.admin)
    url = reverse("teaching:solver", args=[campus.term.pk])
    field = 'name="minimal_perturbation"'

    before = client.get(url).text
    scene(campus)
    after = client.get(url).text

    assert field in before
    assert "checked" not in before.split(field)[1].split(">")[0]
    assert "checked" in after.split(field)[1].split(">")[0]
