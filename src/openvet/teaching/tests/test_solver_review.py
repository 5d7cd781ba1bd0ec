"""Review of a solver run's proposal: picker choices, moved lectures, the week grid, scoping."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from openvet.identity.tests.support import sign_in
from openvet.teaching import review
from openvet.teaching.models import Room, SolverRun, SolverStatus, TeachingTask
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import (
    CourseFactory,
    EntryFactory,
    RoomFactory,
    SolverRunFactory,
    TeachingTaskFactory,
    TermFactory,
    klass,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@dataclass
class Scene:
    run: SolverRun
    maths: TeachingTask  # class A, teacher: a double period kept where it is
    drawing: TeachingTask  # class B, teacher2: moved to another day and room
    joint: TeachingTask  # classes A and B, teacher2: new since the timetable was published
    lab: Room
    hall: Room


def scene(campus: Campus, *, published: bool = True) -> Scene:
    lab = RoomFactory(org=campus.school, building="A", number="101")
    hall = RoomFactory(org=campus.school, building="B", number="201")
    term = campus.term
    maths, drawing, joint = (
        TeachingTaskFactory(
            term=term,
            course=CourseFactory(org=campus.school, name=name),
            classes=classes,
            teachers=[teacher],
        )
        for name, classes, teacher in (
            ("Maths", [campus.class_a], campus.teacher),
            ("Drawing", [campus.class_b], campus.teacher2),
            ("Joint seminar", [campus.class_a, campus.class_b], campus.teacher2),
        )
    )
    if published:
        EntryFactory(task=maths, room=lab, weekday=1, period_start=1, length=2)
        EntryFactory(task=drawing, room=lab, weekday=2, period_start=3, length=1)
    run = SolverRunFactory(
        term=term,
        status=SolverStatus.FINISHED,
        result=[
            [maths.pk, lab.pk, 1, 1],
            [maths.pk, lab.pk, 1, 2],
            [drawing.pk, hall.pk, 3, 3],
            [joint.pk, hall.pk, 4, 5],
            [joint.pk, hall.pk, 4, 6],
        ],
    )
    return Scene(run, maths, drawing, joint, lab, hall)


def test_picker_offers_the_classes_teachers_and_rooms_of_the_runs_term(
    campus: Campus, other: Campus
) -> None:
    s = scene(campus)
    # A row naming another term's task (same school) or another school's room is not the
    # proposal's: neither its class, its teacher nor the room may be offered.
    other_term = TermFactory(org=campus.school, academic_year=2026)
    stranger_class = klass(campus.major, 2023, "A 2023-1")
    stray = TeachingTaskFactory(
        term=other_term, classes=[stranger_class], teachers=[campus.head], weekly_hours=1
    )
    foreign_room = RoomFactory(org=other.school)
    s.run.result += [[stray.pk, s.lab.pk, 5, 1], [s.maths.pk, foreign_room.pk, 5, 8]]
    s.run.save()

    proposal = review.proposal_of(s.run)

    assert proposal.choices == {
        "class": [
            (f"class-{campus.class_b.pk}", "A 2024-1"),
            (f"class-{campus.class_a.pk}", "A 2025-1"),
        ],
        "teacher": [
            (f"teacher-{campus.teacher.pk}", "Teacher A"),
            (f"teacher-{campus.teacher2.pk}", "Teacher2 A"),
        ],
        "room": [(f"room-{s.lab.pk}", str(s.lab)), (f"room-{s.hall.pk}", str(s.hall))],
    }
    assert proposal.periods == 6  # the stray task's row is left out, the foreign room's kept


def test_moved_lectures_are_counted_against_the_current_timetable(campus: Campus) -> None:
    s = scene(campus)

    proposal = review.proposal_of(s.run)

    # Drawing left Tuesday 3 for Wednesday 3 (1 period); the joint seminar is new (2 periods).
    assert (proposal.has_reference, proposal.periods, proposal.moved) == (True, 5, 3)
    assert {
        (x.course, x.weekday, x.period_start, x.length, x.is_moved) for x in proposal.lectures
    } == {
        ("Maths", 1, 1, 2, False),
        ("Drawing", 3, 3, 1, True),
        ("Joint seminar", 4, 5, 2, True),
    }


def test_a_lecture_kept_in_its_period_but_given_another_room_counts_as_moved(
    campus: Campus,
) -> None:
    s = scene(campus)
    s.run.result[0][1] = s.hall.pk  # Maths period 1 in the hall instead of the lab
    s.run.save()

    proposal = review.proposal_of(s.run)

    assert proposal.moved == 4
    maths = [x for x in proposal.lectures if x.course == "Maths"]
    assert sorted((x.period_start, x.length, x.is_moved) for x in maths) == [
        (1, 1, True),
        (2, 1, False),
    ]


def test_without_a_current_timetable_nothing_counts_as_moved(campus: Campus) -> None:
    s = scene(campus, published=False)

    proposal = review.proposal_of(s.run)

    assert (proposal.has_reference, proposal.moved) == (False, 0)
    assert not any(x.is_moved for x in proposal.lectures)


def test_class_week_grid_spans_double_periods_and_lists_days(campus: Campus) -> None:
    s = scene(campus)
    proposal = review.proposal_of(s.run)

    week = review.review_for(proposal, f"class-{campus.class_a.pk}")

    assert week is not None
    assert (week.label, week.lectures, week.moved) == (campus.class_a.name, 2, 1)
    first, second = week.rows[0], week.rows[1]
    assert [len(c.lectures) for c in first["cells"]] == [1, 0, 0, 0, 0]
    assert first["cells"][0].rowspan == 2
    # Monday's cell of period 2 is covered by the double period above it.
    assert [c.weekday for c in second["cells"]] == [2, 3, 4, 5]
    # The afternoon (period 5 starts after a lunch break) begins a new session.
    assert [row["bell"].number for row in week.rows if row["is_session_start"]] == [5]
    assert [[x.course for x in day["lectures"]] for day in week.days] == [
        ["Maths"],
        [],
        [],
        ["Joint seminar"],
        [],
    ]


def test_overlapping_lectures_share_one_cell(campus: Campus) -> None:
    s = scene(campus)
    s.run.result.append([s.drawing.pk, s.hall.pk, 4, 6])  # clashes with the joint seminar
    s.run.save()

    week = review.review_for(review.proposal_of(s.run), f"teacher-{campus.teacher2.pk}")

    assert week is not None
    thursday = week.rows[4]["cells"][3]
    assert ([x.course for x in thursday.lectures], thursday.rowspan) == (
        ["Joint seminar", "Drawing"],
        2,
    )


def test_review_of_an_unknown_target_is_not_found(campus: Campus, other: Campus) -> None:
    s = scene(campus)
    client = sign_in(Client(), campus.admin)
    url = reverse("teaching:solver-run", args=[s.run.pk])

    assert client.get(url, {"show": f"class-{other.class_a.pk}"}).status_code == 404
    assert client.get(url, {"show": "class-x"}).status_code == 404


def test_review_page_shows_the_picked_teacher_and_the_moved_count(campus: Campus) -> None:
    s = scene(campus)
    client = sign_in(Client(), campus.admin)
    url = reverse("teaching:solver-run", args=[s.run.pk])

    body = client.get(url, {"show": f"teacher-{campus.teacher2.pk}"}, **EN).content.decode()

    assert '<h3 class="h5 mb-1">Teacher2 A</h3>' in body
    assert "Drawing" in body
    assert "Joint seminar" in body
    assert "Maths" not in body.split('id="solver-review"')[1]
    assert f'<option value="teacher-{campus.teacher2.pk}" selected>' in body
    assert (
        '<dd class="col-5" id="solver-moved"><span class="badge text-bg-warning">3</span>' in body
    )
    assert "2 lectures · 2 moved from the current timetable" in body


def test_picker_asks_htmx_for_the_review_fragment_only(campus: Campus) -> None:
    s = scene(campus)
    client = sign_in(Client(), campus.admin)
    response = client.get(
        reverse("teaching:solver-run", args=[s.run.pk]),
        {"show": f"room-{s.hall.pk}"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="solver-review",
        **EN,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="solver-review">')
    assert "Publish this timetable" not in body
    assert "Drawing" in body
    assert "Maths" not in body


def test_another_schools_admin_cannot_review_the_run(campus: Campus, other: Campus) -> None:
    s = scene(campus)
    client = sign_in(Client(), other.admin)
    url = reverse("teaching:solver-run", args=[s.run.pk])

    assert client.get(url).status_code == 404
    assert client.get(url, {"show": f"class-{campus.class_a.pk}"}).status_code == 404
    assert (
        client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="solver-review").status_code == 404
    )
