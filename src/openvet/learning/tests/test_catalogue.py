"""Self-enrolment and the course catalogue (ADR 0759-0760): a teacher opens a course, a student
of the scope finds it, enrols and learns in it like a class learner (units, progress, quizzes,
discussions, points, the teacher's report) without entering the grade sheet; leaving keeps the
progress; the teacher removes a learner; seats are never exceeded; another school neither sees
nor enrols in a course open to its own school only."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.learning import points, selectors
from openvet.learning import services as learning
from openvet.learning.catalogue import selectors as catalogue
from openvet.learning.catalogue import services
from openvet.learning.catalogue.models import Enrolment, EnrolmentPolicy, EnrolScope
from openvet.learning.collab import selectors as collab
from openvet.learning.discussions import services as discuss
from openvet.learning.models import Progress
from openvet.learning.tests.conftest import World
from openvet.learning.tests.test_services import verbs_of
from openvet.learning.tests.test_views import client_for


def open_course(world: World, scope: str = EnrolScope.SCHOOL, **extra: Any) -> EnrolmentPolicy:
    return services.enrolment_settings_save(
        actor=world.teacher, course=world.course, scope=scope, **extra
    )


def test_a_student_of_the_school_enrols_and_learns_like_a_class_learner(world: World) -> None:
    unit = world.text_unit()
    open_course(world)
    with pytest.raises(NotFound):
        selectors.course_get_for(actor=world.outsider, course_id=world.course.pk)
    enrolment = services.enrol(actor=world.outsider, course=world.course)
    access = selectors.access_of(actor=world.outsider, course=world.course)
    assert (access.is_learner, access.is_enrolled, access.is_teacher) == (True, True, False)
    progress = learning.unit_open(actor=world.outsider, unit=unit)
    assert progress is not None
    assert progress.completed_at is not None
    discuss.topic_create(actor=world.outsider, course=world.course, title="Hi", body="Hello")
    mine = selectors.my_courses(actor=world.outsider)
    assert [(m.course, m.percent, m.enrolled) for m in mine] == [(world.course, 100, True)]
    assert [(m.course, m.enrolled) for m in selectors.my_courses(actor=world.student_user)] == [
        (world.course, False)
    ]
    report = selectors.course_report(world.course)
    assert [(r.student.user_id, r.completed) for r in report.learners] == [
        (world.student_user.pk, 0),
        (world.outsider.pk, 1),
    ]
    assert world.outsider.pk in {x.user_id for x in collab.learners_of(world.course)}
    assert enrolment.is_active
    verbs = verbs_of(world.outsider)
    assert verbs[:2] == ["registered", "viewed"]


def test_points_count_the_enrolled_learner_but_the_grade_sheet_stays_the_tasks(
    world: World,
) -> None:
    unit = world.text_unit()
    open_course(world)
    services.enrol(actor=world.outsider, course=world.course)
    learning.unit_open(actor=world.outsider, unit=unit)
    everyone = points.course_points(world.course)
    assert [r.user_id for r in everyone.rows] == [world.student_user.pk, world.outsider.pk]
    own = points.course_points(world.course, only_user_id=world.outsider.pk)
    assert [(r.user_id, own.usual_of(r)) for r in own.rows] == [(world.outsider.pk, 100)]
    roster = points.course_points(world.course, roster_only=True)
    assert [r.user_id for r in roster.rows] == [world.student_user.pk]


def test_another_schools_student_neither_sees_nor_enrols_in_a_same_school_course(
    world: World, other_world: World
) -> None:
    open_course(world)
    assert [e.course for e in catalogue.catalogue_for(actor=world.outsider).entries] == [
        world.course
    ]
    assert catalogue.catalogue_for(actor=other_world.student_user).entries == []
    with pytest.raises(NotFound):
        catalogue.course_public(actor=other_world.student_user, course_id=world.course.pk)
    with pytest.raises(PermissionDenied):
        services.enrol(actor=other_world.student_user, course=world.course)
    assert not Enrolment.objects.exists()
    assert (
        client_for(other_world.student_user)
        .get(reverse("learning:course-public", args=[world.course.pk]))
        .status_code
        == 404
    )
    response = client_for(other_world.student_user).post(
        reverse("learning:course-public", args=[world.course.pk])
    )
    assert (response.status_code, Enrolment.objects.count()) == (404, 0)


def test_a_platform_course_is_open_to_every_school_and_to_signed_out_visitors(
    world: World, other_world: World
) -> None:
    open_course(world, EnrolScope.PLATFORM)
    assert [e.course for e in catalogue.catalogue_for(actor=other_world.outsider).entries] == [
        world.course
    ]
    services.enrol(actor=other_world.outsider, course=world.course)
    assert selectors.access_of(actor=other_world.outsider, course=world.course).is_learner
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = anonymous.get(reverse("learning:course-public", args=[world.course.pk]))
    assert page.status_code == 200
    assert "登录后报名" in page.content.decode()
    sent = anonymous.post(reverse("learning:course-public", args=[world.course.pk]))
    assert sent.status_code == 302
    assert sent["Location"].startswith(reverse("identity:login"))


def test_the_public_page_shows_the_outline_without_content(world: World) -> None:
    world.text_unit()
    world.teacher.full_name = "Teacher Wang"
    world.teacher.save()
    open_course(world, EnrolScope.PLATFORM, capacity=30)
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(
        reverse("learning:course-public", args=[world.course.pk])
    )
    text = page.content.decode()
    assert ("Ch 1" in text, "Safety" in text, "Wear goggles" in text) == (True, True, False)
    assert ("Teacher Wang" in text, "30" in text) == (True, True)


def test_a_closed_course_or_a_closed_window_refuses(world: World) -> None:
    policy = open_course(world)
    services.enrolment_settings_save(
        actor=world.teacher, course=world.course, scope=EnrolScope.CLOSED
    )
    with pytest.raises(NotFound):
        catalogue.course_public(actor=world.outsider, course_id=world.course.pk)
    with pytest.raises(Conflict) as refused:
        services.enrol(actor=world.outsider, course=world.course)
    assert refused.value.code == "enrolment_closed"
    later = timezone.now() + timedelta(days=2)
    open_course(world, opens_at=later, closes_at=later + timedelta(days=5))
    with pytest.raises(Conflict):
        services.enrol(actor=world.outsider, course=world.course)
    assert catalogue.course_public(actor=world.outsider, course_id=world.course.pk).not_yet
    policy.refresh_from_db()
    assert policy.taken == 0


def test_the_key_must_match(world: World) -> None:
    open_course(world, key="cnc2026")
    with pytest.raises(ValidationFailed) as refused:
        services.enrol(actor=world.outsider, course=world.course, key="wrong")
    assert "key" in refused.value.details
    services.enrol(actor=world.outsider, course=world.course, key="cnc2026")
    assert EnrolmentPolicy.objects.get(course=world.course).taken == 1


def test_the_last_seat_goes_to_one_learner_only(world: World) -> None:
    third = world._student(world.campus.other_klass, "Third")
    open_course(world, capacity=1)
    services.enrol(actor=world.outsider, course=world.course)
    with pytest.raises(Conflict) as refused:
        services.enrol(actor=third, course=world.course)
    assert refused.value.code == "course_full"
    assert Enrolment.objects.filter(ended_at__isnull=True).count() == 1
    services.unenrol(actor=world.outsider, course=world.course)
    services.enrol(actor=third, course=world.course)
    assert EnrolmentPolicy.objects.get(course=world.course).taken == 1
    with pytest.raises(ValidationFailed):
        services.enrolment_settings_save(
            actor=world.teacher, course=world.course, scope=EnrolScope.SCHOOL, capacity=0 - 1
        )


def test_leaving_keeps_progress_and_enrolling_again_finds_it(world: World) -> None:
    unit = world.text_unit()
    open_course(world)
    services.enrol(actor=world.outsider, course=world.course)
    learning.unit_open(actor=world.outsider, unit=unit)
    services.unenrol(actor=world.outsider, course=world.course)
    with pytest.raises(NotFound):
        selectors.course_get_for(actor=world.outsider, course_id=world.course.pk)
    assert Progress.objects.filter(user_id=world.outsider.pk).count() == 1
    assert EnrolmentPolicy.objects.get(course=world.course).taken == 0
    services.enrol(actor=world.outsider, course=world.course)
    assert [m.percent for m in selectors.my_courses(actor=world.outsider)] == [100]
    assert Enrolment.objects.count() == 1


def test_a_teacher_removes_a_learner_who_cannot_come_back_alone(
    world: World, other_world: World
) -> None:
    open_course(world)
    enrolment = services.enrol(actor=world.outsider, course=world.course)
    with pytest.raises(NotFound):
        catalogue.enrolment_get_for(actor=other_world.teacher, enrolment_id=enrolment.pk)
    with pytest.raises(PermissionDenied):
        services.enrolment_remove(actor=world.other_teacher, enrolment=enrolment)
    services.enrolment_remove(actor=world.teacher, enrolment=enrolment)
    assert not selectors.access_of(actor=world.outsider, course=world.course).is_learner
    with pytest.raises(Conflict):
        services.enrol(actor=world.outsider, course=world.course)
    assert EnrolmentPolicy.objects.get(course=world.course).taken == 0


def test_class_learners_teachers_and_staff_do_not_enrol(world: World) -> None:
    open_course(world)
    with pytest.raises(Conflict):
        services.enrol(actor=world.student_user, course=world.course)
    with pytest.raises(PermissionDenied):
        services.enrol(actor=world.other_teacher, course=world.course)
    with pytest.raises(PermissionDenied):
        services.enrolment_settings_save(
            actor=world.other_teacher, course=world.course, scope=EnrolScope.PLATFORM
        )
    assert not Enrolment.objects.exists()


def test_catalogue_searches_titles_and_filters_by_school(world: World, other_world: World) -> None:
    open_course(world, EnrolScope.PLATFORM)
    open_course(other_world, EnrolScope.PLATFORM)
    both = catalogue.catalogue_for(actor=world.outsider)
    assert len(both.entries) == 2
    school_b = other_world.campus.school.pk
    assert school_b in {p.id for p in both.places}
    only_b = catalogue.catalogue_for(actor=world.outsider, place_id=school_b)
    assert [e.course for e in only_b.entries] == [other_world.course]
    assert catalogue.catalogue_for(actor=world.outsider, query="nothing like it").entries == []
    client = client_for(world.outsider)
    page = client.get(reverse("learning:catalogue"), {"q": "CNC", "place": school_b})
    assert page.status_code == 200
    assert next(iter(page.context["listing"].entries)).course == other_world.course
    assert client.get(reverse("learning:catalogue"), {"place": "x"}).status_code == 400


def test_enrolling_through_the_pages(world: World) -> None:
    unit = world.text_unit()
    teacher = client_for(world.teacher)
    settings_url = reverse("learning:enrolment-settings", args=[world.course.pk])
    bad = teacher.post(settings_url, {"scope": "school", "capacity": "-3", "key": "k1"})
    assert bad.status_code == 422
    assert 'value="k1"' in bad.content.decode()
    saved = teacher.post(settings_url, {"scope": "school", "capacity": "5", "key": ""})
    assert saved.status_code == 302
    assert client_for(world.outsider).get(settings_url).status_code == 404
    student = client_for(world.outsider)
    public_url = reverse("learning:course-public", args=[world.course.pk])
    assert "报名学习" in student.get(public_url).content.decode()
    enrolled = student.post(public_url)
    assert enrolled["Location"] == reverse("learning:course-detail", args=[world.course.pk])
    assert student.get(reverse("learning:unit-detail", args=[unit.pk])).status_code == 200
    assert "自主报名" in student.get(reverse("learning:space")).content.decode()
    assert world.outsider.full_name in teacher.get(settings_url).content.decode()
    left = student.post(reverse("learning:course-unenrol", args=[world.course.pk]))
    assert left.status_code == 302
    assert student.get(reverse("learning:unit-detail", args=[unit.pk])).status_code == 404
