"""Lesson plans: three parts of units and activities, the learner's before-class tasks, copying
a plan with its units into another course, and who may do what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.learning import plan_services, selectors, services
from openvet.learning.models import LessonPlan, Package, PlanPhase, Unit, UnitKind
from openvet.learning.tests.conftest import World
from openvet.learning.tests.packages import add_package, small_scorm, upload
from openvet.learning.tests.test_views import client_for
from openvet.teaching.tests.factories import TeachingTaskFactory


def _flipped(world: World) -> LessonPlan:
    video = world.video_unit()
    quiz, _q1, _q2 = world.quiz_unit()
    scorm = add_package(world, upload(small_scorm()), title="Lathe safety SCO")
    plan = plan_services.plan_create(
        actor=world.teacher,
        course=world.course,
        title="Turning a shaft",
        class_date=timezone.localdate() + timedelta(days=2),
    )
    for phase, unit in ((PlanPhase.BEFORE, video), (PlanPhase.BEFORE, scorm), ("after", quiz)):
        plan_services.plan_entry_add(actor=world.teacher, plan=plan, phase=phase, unit_id=unit.pk)
    plan_services.plan_entry_add(
        actor=world.teacher,
        plan=plan,
        phase=PlanPhase.DURING,
        title="Group discussion",
        instructions="Why does the tool chatter?",
    )
    return plan


def test_a_plan_holds_units_and_activities_in_three_parts(world: World) -> None:
    plan = _flipped(world)
    parts = selectors.plan_parts(actor=world.student_user, plan=plan)
    assert [p.phase for p in parts] == ["before", "during", "after"]
    assert [e.unit.kind for e, _s in parts[0].entries] == ["video", "scorm"]  # type: ignore[union-attr]
    assert [e.title for e, _s in parts[1].entries] == ["Group discussion"]
    assert [e.unit.kind for e, _s in parts[2].entries] == ["quiz"]  # type: ignore[union-attr]


def test_the_student_sees_the_before_class_tasks(world: World) -> None:
    plan = _flipped(world)
    tasks = selectors.before_class_tasks(actor=world.student_user)
    assert [(t.plan.pk, t.entry.unit.kind, t.completed) for t in tasks] == [  # type: ignore[union-attr]
        (plan.pk, "video", False),
        (plan.pk, "scorm", False),
    ]
    page = client_for(world.student_user).get(reverse("learning:space")).content.decode()
    assert "Turning a shaft" in page
    assert "Lathe safety SCO" in page
    assert selectors.before_class_tasks(actor=world.outsider) == []
    plan.class_date = timezone.localdate() - timedelta(days=1)
    plan.save()
    assert selectors.before_class_tasks(actor=world.student_user) == []


def test_bad_entries_are_refused(world: World, other_world: World) -> None:
    plan = plan_services.plan_create(actor=world.teacher, course=world.course, title="P")
    foreign = other_world.text_unit()
    with pytest.raises(ValidationFailed) as refused:
        plan_services.plan_entry_add(
            actor=world.teacher, plan=plan, phase="before", unit_id=foreign.pk
        )
    assert "unit_id" in refused.value.details
    with pytest.raises(ValidationFailed):
        plan_services.plan_entry_add(actor=world.teacher, plan=plan, phase="before")
    with pytest.raises(ValidationFailed):
        plan_services.plan_entry_add(actor=world.teacher, plan=plan, phase="later", title="x")
    with pytest.raises(PermissionDenied):
        plan_services.plan_entry_add(
            actor=world.other_teacher, plan=plan, phase="before", title="x"
        )
    assert not plan.entries.exists()


def test_a_plan_is_copied_with_its_units_into_another_class_course(world: World) -> None:
    plan = _flipped(world)
    other_task = TeachingTaskFactory(
        term=world.term, classes=[world.campus.other_klass], teachers=[world.teacher]
    )
    other = services.course_create(actor=world.teacher, task=other_task, title="CNC for 2B")
    copy = plan_services.plan_copy(actor=world.teacher, plan=plan, course=other)
    assert copy.course == other
    assert copy.copied_from == plan
    kinds = sorted(Unit.objects.filter(course=other).values_list("kind", flat=True))
    assert kinds == sorted([UnitKind.VIDEO, UnitKind.QUIZ, UnitKind.SCORM])
    quiz = Unit.objects.get(course=other, kind=UnitKind.QUIZ)
    assert {q.course_id for q in quiz.questions.all()} == {other.pk}
    package = Package.objects.get(unit__course=other)
    assert package.items.filter(is_sco=True).count() == 1
    assert package.root == Package.objects.get(unit__course=world.course).root
    # The other class now has the plan's before-class tasks, pointing at the copied units.
    tasks = selectors.before_class_tasks(actor=world.outsider)
    assert [t.plan.pk for t in tasks] == [copy.pk, copy.pk]
    assert {t.entry.unit.course_id for t in tasks} == {other.pk}  # type: ignore[union-attr]
    with pytest.raises(PermissionDenied):
        plan_services.plan_copy(actor=world.other_teacher, plan=plan, course=other)


def test_plan_pages_for_teacher_student_and_another_school(
    world: World, other_world: World
) -> None:
    teacher = client_for(world.teacher)
    created = teacher.post(
        reverse("learning:plan-create", args=[world.course.pk]), {"title": "第一次课"}
    )
    plan = LessonPlan.objects.get(course=world.course)
    assert created.status_code == 302
    unit = world.text_unit()
    added = teacher.post(
        reverse("learning:plan-detail", args=[plan.pk]), {"phase": "before", "unit_id": unit.pk}
    )
    assert added.status_code == 302
    empty = teacher.post(reverse("learning:plan-detail", args=[plan.pk]), {"phase": "during"})
    assert empty.status_code == 422
    assert plan.entries.count() == 1
    student = client_for(world.student_user)
    shown = student.get(reverse("learning:plan-detail", args=[plan.pk]))
    assert shown.status_code == 200
    assert "Safety" in shown.content.decode()
    assert (
        student.post(
            reverse("learning:plan-detail", args=[plan.pk]), {"phase": "before", "title": "x"}
        ).status_code
        == 403
    )
    outsider = client_for(other_world.student_user)
    assert outsider.get(reverse("learning:plan-detail", args=[plan.pk])).status_code == 404
    assert (
        client_for(other_world.teacher)
        .post(reverse("learning:plan-copy", args=[plan.pk]), {"course_id": other_world.course.pk})
        .status_code
        == 404
    )
    assert plan.entries.count() == 1
    assert LessonPlan.objects.count() == 1
