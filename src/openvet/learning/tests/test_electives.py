"""The students who chose an elective are the learners of its online course (ADR 0766): the
course is in their learning space and they learn in it like a class learner (units, progress,
quizzes, assignments, discussions, groups, points, live classes, the teacher's report); a
student who dropped the elective loses access but keeps their progress; a student who did not
choose it, and another school's student, do not see it."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openvet.core.errors import NotFound
from openvet.core.roles import Role
from openvet.identity.tests.factories import UserFactory, grant
from openvet.learning import points, selectors, services
from openvet.learning.assignments import selectors as work
from openvet.learning.collab import selectors as collab
from openvet.learning.collab import services as collab_services
from openvet.learning.discussions import services as discuss
from openvet.learning.live import selectors as live_selectors
from openvet.learning.live import services as live
from openvet.learning.models import Progress, QuestionKind, UnitKind
from openvet.learning.tests.conftest import World
from openvet.learning.tests.test_views import client_for
from openvet.records.selectors import student_of_user
from openvet.records.tests.factories import student
from openvet.teaching.selection import services as selection
from openvet.teaching.selection.models import (
    Offering,
    RoundKind,
    Selection,
    SelectionRound,
    SelectionSource,
)
from openvet.teaching.tests.factories import TeachingTaskFactory

pytestmark = pytest.mark.django_db


class Elective:
    """An elective task of the world's school (no classes, an offering), its online course,
    and two students of the other class: one chose it, one did not."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.task = TeachingTaskFactory(term=world.term, classes=[], teachers=[world.teacher])
        self.offering = Offering.objects.create(
            term=world.term,
            task=self.task,
            org=world.campus.school,
            school=world.campus.school,
            capacity=30,
        )
        self.course = services.course_create(
            actor=world.teacher, task=self.task, title="3D printing", description=""
        )
        self.chapter = services.chapter_add(actor=world.teacher, course=self.course, title="Ch")
        self.chooser = world.outsider
        self.selection = self.choose(self.chooser)
        self.bystander = self.student_of_other_class("Bystander")

    def student_of_other_class(self, name: str) -> Any:
        klass = self.world.campus.other_klass
        user = UserFactory(home_org=klass, full_name=name)
        grant(user, Role.STUDENT, klass)
        student(self.world.campus, user=user, class_unit=klass, grade_year=2024)
        return user

    def choose(self, user: Any) -> Selection:
        return Selection.objects.create(
            offering=self.offering,
            student=student_of_user(user=user),
            term=self.world.term,
            source=SelectionSource.ADMIN,
        )

    def text_unit(self) -> Any:
        return services.unit_add(
            actor=self.world.teacher,
            chapter=self.chapter,
            kind=UnitKind.TEXT,
            title="Slicing",
            body="<p>Layer height.</p>",
        )


@pytest.fixture
def elective(world: World) -> Elective:
    return Elective(world)


def test_a_selected_student_sees_and_learns_the_elective_course(elective: Elective) -> None:
    course, chooser = elective.course, elective.chooser
    unit = elective.text_unit()
    assert course in selectors.course_list_for(actor=chooser)
    access = selectors.access_of(actor=chooser, course=course)
    assert (access.is_learner, access.is_enrolled, access.is_teacher) == (True, False, False)
    assert [(m.course, m.enrolled) for m in selectors.my_courses(actor=chooser)] == [
        (course, False)
    ]
    progress = services.unit_open(actor=chooser, unit=unit)
    assert progress is not None
    assert progress.completed_at is not None
    discuss.topic_create(actor=chooser, course=course, title="Nozzle", body="Which size?")
    assert chooser.pk in {x.user_id for x in collab.learners_of(course)}
    collab_services.groups_deal(actor=elective.world.teacher, course=course, size=2)
    assert collab.group_of(course_id=course.pk, user_id=chooser.pk) is not None
    # The grade sheet's learners (roster only) are the selected students, as in teaching.
    roster = points.course_points(course, roster_only=True)
    assert [r.user_id for r in roster.rows] == [chooser.pk]
    report = selectors.course_report(course)
    assert [(r.student.user_id, r.completed) for r in report.learners] == [(chooser.pk, 1)]


def test_a_selected_student_takes_quizzes_hands_in_and_joins_the_live_class(
    world: World, elective: Elective
) -> None:
    question = services.question_add(
        actor=world.teacher,
        course=elective.course,
        kind=QuestionKind.SINGLE,
        text="Which axis?",
        choices=["X", "Z"],
        answer=[1],
        points=2,
    )
    quiz = services.unit_add(
        actor=world.teacher,
        chapter=elective.chapter,
        kind=UnitKind.QUIZ,
        title="Check",
        question_ids=[question.pk],
    )
    attempt = services.attempt_start(actor=elective.chooser, unit=quiz)
    assert attempt.user_id == elective.chooser.pk
    homework = services.unit_add(
        actor=world.teacher,
        chapter=elective.chapter,
        kind=UnitKind.ASSIGNMENT,
        title="Print a cube",
        body="<p>Hand in a photo.</p>",
        due_at=timezone.now() + timedelta(days=3),
        accepts_text=True,
        accepts_file=False,
    )
    listing = work.submission_list(assignment=homework.assignment)
    assert [s.user_id for s in listing.missing] == [elective.chooser.pk]
    session = live.live_start(actor=world.teacher, course=elective.course)
    assert live_selectors.roster_size(session) == 1
    assert live.live_join(actor=elective.chooser, code=session.code) == session
    with pytest.raises(Exception):  # noqa: B017, PT011 - the wrong-code answer is tested in live
        live.live_join(actor=elective.bystander, code=session.code)


def test_a_student_who_dropped_loses_access_and_keeps_progress(
    world: World, elective: Elective
) -> None:
    unit = elective.text_unit()
    services.unit_open(actor=elective.chooser, unit=unit)
    now = timezone.now()
    SelectionRound.objects.create(
        term=world.term,
        org=world.campus.school,
        name="Round",
        kind=RoundKind.FIRST_COME,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
    )
    selection.selection_drop(actor=elective.chooser, selection=elective.selection)
    with pytest.raises(NotFound):
        selectors.course_get_for(actor=elective.chooser, course_id=elective.course.pk)
    assert selectors.my_courses(actor=elective.chooser) == []
    assert selectors.course_report(elective.course).learners == []
    assert Progress.objects.filter(user=elective.chooser, unit=unit).exists()
    # Choosing it again finds the progress.
    elective.choose(elective.chooser)
    mine = selectors.my_courses(actor=elective.chooser)
    assert [(m.course, m.percent) for m in mine] == [(elective.course, 100)]


def test_students_who_did_not_choose_it_do_not_see_it(world: World, elective: Elective) -> None:
    for user in (elective.bystander, world.student_user):
        with pytest.raises(NotFound):
            selectors.course_get_for(actor=user, course_id=elective.course.pk)
        assert elective.course not in [m.course for m in selectors.my_courses(actor=user)]
    # The class course stays its class's only.
    with pytest.raises(NotFound):
        selectors.course_get_for(actor=elective.chooser, course_id=world.course.pk)


def test_another_schools_student_cannot_open_the_elective_course(
    elective: Elective, other_world: World
) -> None:
    with pytest.raises(NotFound):
        selectors.course_get_for(actor=other_world.student_user, course_id=elective.course.pk)
    page = client_for(other_world.student_user).get(
        reverse("learning:course-detail", args=[elective.course.pk])
    )
    assert page.status_code == 404


def test_the_teachers_progress_report_lists_the_selected_students(
    world: World, elective: Elective
) -> None:
    elective.text_unit()
    page = client_for(world.teacher).get(
        reverse("learning:course-detail", args=[elective.course.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert student_of_user(user=elective.chooser).name in html
    assert student_of_user(user=elective.bystander).name not in html
    assert student_of_user(user=world.student_user).name not in html
    learner = client_for(elective.chooser).get(
        reverse("learning:course-detail", args=[elective.course.pk])
    )
    assert learner.status_code == 200


def test_the_report_costs_the_same_queries_whatever_the_number_of_selected_students(
    elective: Elective,
) -> None:
    elective.text_unit()

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            selectors.course_report(elective.course)
            collab.learners_of(elective.course)
        return len(seen.captured_queries)

    one = queries()
    for name in ("B", "C", "D"):
        elective.choose(elective.student_of_other_class(name))
    assert len(selectors.course_report(elective.course).learners) == 4
    assert queries() == one


def test_the_dashboards_count_the_selected_students_of_the_elective(
    world: World, elective: Elective, settings: Any
) -> None:
    settings.REQUIRE_ADMIN_TOTP = False
    unit = elective.text_unit()
    services.unit_open(actor=elective.chooser, unit=unit)
    board = client_for(world.admin).get(f"/learning/analytics/orgs/{world.campus.school.pk}/")
    assert board.status_code == 200
    rows = {row.org_id: row for row in board.context["board"].courses}
    assert rows[elective.task.pk].learners == 1
    assert rows[elective.task.pk].label == elective.task.course.name
    course = client_for(world.teacher).get(f"/learning/analytics/tasks/{elective.task.pk}/")
    assert course.status_code == 200
    assert student_of_user(user=elective.chooser).name in course.content.decode()
