"""The job-skill standards library: a school keeps jobs with their tasks, skills and required
certificates, linked to its majors and to the courses that teach each skill; the coverage of a
major lists the required skills no course of its programme teaches; another school neither
reads nor changes them."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.industry import selectors, services
from openvet.industry.models import JobStandard
from openvet.industry.tests.conftest import World
from openvet.teaching.tests.factories import (
    CourseFactory,
    ProgrammeCourseFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def cnc_standard(world: World) -> tuple[Any, dict[str, Any]]:
    """A job with two skills: one taught by a course of the major's programme, one not."""
    campus = world.campus
    lathe = CourseFactory(org=campus.school, name="CNC lathe programming")
    drawing = CourseFactory(org=campus.school, name="Mechanical drawing")
    programme = ProgrammeFactory(org=campus.major)
    ProgrammeCourseFactory(programme=programme, course=lathe)
    standard = services.standard_create(
        actor=world.admin,
        school=campus.school,
        name="CNC machinist",
        occupation_code="6-18-01-01",
        enterprise=world.enterprise,
        majors=[campus.major],
        certificates="CNC lathe operator (level 4)\n\n 1+X CNC \n",
    )
    task = services.standard_task_add(actor=world.admin, standard=standard, name="Machining")
    taught = services.standard_skill_add(
        actor=world.admin, standard=standard, name="Write G-code", task=task, courses=[lathe]
    )
    # Taught by a course, but not one of the major's programme: still a gap for the major.
    gap = services.standard_skill_add(
        actor=world.admin, standard=standard, name="Read drawings", courses=[drawing]
    )
    untaught = services.standard_skill_add(
        actor=world.admin, standard=standard, name="Measure parts"
    )
    return standard, {"taught": taught, "gap": gap, "untaught": untaught, "lathe": lathe}


def test_coverage_lists_the_skills_no_course_of_the_major_teaches(world: World) -> None:
    standard, made = cnc_standard(world)
    assert standard.certificate_list == ["CNC lathe operator (level 4)", "1+X CNC"]
    coverage = selectors.coverage_of_major(actor=world.admin, major=world.campus.major)
    assert coverage.has_programme
    assert {r.skill.name for r in coverage.gaps} == {"Read drawings", "Measure parts"}
    taught = next(r for r in coverage.rows if r.taught)
    assert taught.courses == [made["lathe"]]
    # The other major has no standard linked.
    other = selectors.coverage_of_major(actor=world.admin, major=world.campus.other_major)
    assert other.rows == []


def test_coverage_page_shows_the_gaps(world: World) -> None:
    cnc_standard(world)
    response = client_for(world.teacher).get(
        reverse("industry:standard-coverage") + f"?major={world.campus.major.pk}"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Measure parts" in html
    assert "Read drawings" in html
    gaps = html.split('id="gaps-heading"')[1].split("</section>")[0]
    assert "Write G-code" not in gaps


def test_bad_input_is_refused_with_every_field_named(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.standard_create(
            actor=world.admin,
            school=world.campus.school,
            name=" ",
            occupation_code="618-01",
            majors=[world.campus.klass],
        )
    assert {"name", "occupation_code", "majors"} <= set(refused.value.details)
    assert not JobStandard.objects.exists()
    standard, _made = cnc_standard(world)
    with pytest.raises(Conflict):
        services.standard_skill_add(actor=world.admin, standard=standard, name="Write G-code")


def test_teachers_read_but_do_not_change(world: World) -> None:
    standard, _made = cnc_standard(world)
    assert selectors.standard_get_for(actor=world.teacher, standard_id=standard.pk) == standard
    with pytest.raises(PermissionDenied):
        services.standard_task_add(actor=world.teacher, standard=standard, name="Inspection")
    response = client_for(world.teacher).post(
        reverse("industry:standard-detail", args=[standard.pk]),
        {"task": "1", "task-name": "Inspection"},
    )
    assert response.status_code == 403


def test_another_school_neither_reads_nor_changes(world: World, other_world: World) -> None:
    standard, _made = cnc_standard(world)
    assert standard not in selectors.standard_list_for(actor=other_world.admin)
    client = client_for(other_world.admin)
    assert client.get(reverse("industry:standard-detail", args=[standard.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.standard_task_add(actor=other_world.admin, standard=standard, name="Inspection")
    # Nor link its own courses to this school's skills.
    foreign = CourseFactory(org=other_world.campus.school, name="Foreign course")
    with pytest.raises(ValidationFailed) as refused:
        services.standard_skill_add(
            actor=world.admin, standard=standard, name="Deburr", courses=[foreign]
        )
    assert "courses" in refused.value.details


def test_the_pages_add_a_standard_a_task_and_a_skill(world: World) -> None:
    client = client_for(world.admin)
    lathe = CourseFactory(org=world.campus.school, name="CNC lathe programming")
    response = client.post(
        reverse("industry:standard-new"),
        {
            "school": str(world.campus.school.pk),
            "name": "Welder",
            "occupation_code": "bad",
            "majors": [str(world.campus.major.pk)],
        },
    )
    assert response.status_code == 422
    assert 'value="Welder"' in response.content.decode()
    response = client.post(
        reverse("industry:standard-new"),
        {
            "school": str(world.campus.school.pk),
            "name": "Welder",
            "occupation_code": "6-18-02-04",
            "majors": [str(world.campus.major.pk)],
            "certificates": "Welder (level 4)",
        },
    )
    standard = JobStandard.objects.get(name="Welder")
    url = reverse("industry:standard-detail", args=[standard.pk])
    assert response["Location"] == url
    assert client.post(url, {"task": "1", "task-name": "Arc welding"}).status_code == 302
    task = standard.tasks.get()
    response = client.post(
        url,
        {
            "skill": "1",
            "skill-name": "Weld a fillet joint",
            "skill-task": str(task.pk),
            "skill-courses": [str(lathe.pk)],
        },
    )
    assert response.status_code == 302
    skill = standard.skills.get()
    assert skill.task == task
    assert list(skill.courses.all()) == [lathe]
    page = client.get(url).content.decode()
    assert "Weld a fillet joint" in page
    assert "Welder (level 4)" in page
