import pytest

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.teaching import services
from openvet.teaching.models import Programme, ProgrammeCourse
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_first_programme_is_version_1(campus: Campus) -> None:
    programme = services.programme_create(actor=campus.head, major=campus.major, intake_year=2024)
    assert (programme.version, programme.org) == (1, campus.major)


def test_new_intake_gets_a_new_version_copying_the_courses(campus: Campus) -> None:
    old = services.programme_create(actor=campus.head, major=campus.major, intake_year=2024)
    course = CourseFactory(org=campus.school)
    services.programme_course_add(
        actor=campus.head,
        programme=old,
        course=course,
        semester=1,
        weekly_hours=4,
        block=2,
        certificates="WPS 1+X",
    )
    new = services.programme_new_version(actor=campus.head, programme=old, intake_year=2025)
    assert (new.version, new.based_on, new.intake_year) == (2, old, 2025)
    assert list(new.courses.values_list("course_id", "weekly_hours", "block", "certificates")) == [
        (course.pk, 4, 2, "WPS 1+X")
    ]


def test_old_cohort_keeps_its_programme_when_the_new_one_changes(campus: Campus) -> None:
    old = services.programme_create(actor=campus.head, major=campus.major, intake_year=2024)
    services.programme_course_add(
        actor=campus.head, programme=old, course=CourseFactory(org=campus.school), semester=1
    )
    new = services.programme_new_version(actor=campus.head, programme=old, intake_year=2025)
    services.programme_course_add(
        actor=campus.head, programme=new, course=CourseFactory(org=campus.school), semester=2
    )
    assert (old.courses.count(), new.courses.count()) == (1, 2)


def test_second_programme_for_one_intake_is_a_conflict(campus: Campus) -> None:
    services.programme_create(actor=campus.head, major=campus.major, intake_year=2024)
    with pytest.raises(Conflict):
        services.programme_create(actor=campus.head, major=campus.major, intake_year=2024)
    assert Programme.objects.count() == 1


def test_programme_needs_a_major(campus: Campus) -> None:
    with pytest.raises(ValidationFailed):
        services.programme_create(actor=campus.admin, major=campus.department, intake_year=2024)


def test_course_of_another_school_is_refused(campus: Campus, other: Campus) -> None:
    programme = services.programme_create(actor=campus.head, major=campus.major, intake_year=2024)
    with pytest.raises(ValidationFailed) as exc:
        services.programme_course_add(
            actor=campus.head,
            programme=programme,
            course=CourseFactory(org=other.school),
            semester=1,
        )
    assert list(exc.value.details) == ["course"]
    assert not ProgrammeCourse.objects.exists()


def test_weekly_hours_must_fit_the_block(campus: Campus) -> None:
    programme = services.programme_create(actor=campus.head, major=campus.major, intake_year=2024)
    with pytest.raises(ValidationFailed) as exc:
        services.programme_course_add(
            actor=campus.head,
            programme=programme,
            course=CourseFactory(org=campus.school),
            semester=1,
            weekly_hours=3,
            block=2,
        )
    assert list(exc.value.details) == ["block"]


def test_head_of_another_school_cannot_add_a_programme(campus: Campus, other: Campus) -> None:
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=other.head, major=campus.major, intake_year=2024)


def test_teacher_cannot_add_a_programme(campus: Campus) -> None:
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=campus.teacher, major=campus.major, intake_year=2024)
