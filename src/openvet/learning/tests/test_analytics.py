"""Learning analytics: the teacher's course dashboard, a place's dashboard, their exports, who
may read them (another school: 404), and queries that do not grow with the data."""

import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from openvet.core.models import AuditAction, AuditEntry
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.learning import services
from openvet.learning.tests.conftest import World
from openvet.lrs.services import record_learning_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def http_for(user: Any, language: str = "zh-hans") -> HttpClient:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(user)
    return http


def active(user: Any, times: int = 1) -> None:
    for n in range(times):
        record_learning_event(
            user_id=user.pk, verb="viewed", object_type="resources.resource", object_id=n
        )


def course_url(world: World, tail: str = "") -> str:
    return f"/learning/analytics/tasks/{world.task.pk}/{tail}"


def test_the_teacher_sees_who_is_active_completes_and_has_not_started(world: World) -> None:
    unit = world.text_unit()
    late = world._student(world.campus.klass, "Late")
    active(world.student_user, 3)
    services.unit_open(actor=world.student_user, unit=unit)  # a text unit completes on opening
    page = http_for(world.teacher).get(course_url(world))
    assert page.status_code == 200
    board = page.context["board"]
    lines = {line.user_id: line for line in board.learners}
    assert lines[world.student_user.pk].started
    assert lines[world.student_user.pk].completed == 1
    # three views, the open and the completion of the unit: all this week
    assert lines[world.student_user.pk].statements >= 3
    assert board.active_last_week == 1
    assert [line.user_id for line in board.not_started] == [late.pk]
    assert board.completion == 50  # one of two learners completed the only unit
    text = page.content.decode()
    assert "学情分析" in text
    assert f"/lrs/learners/{late.pk}/" in text  # drill down to the timeline


def test_readers_of_the_course_dashboard(world: World) -> None:
    head = user_with_role(Role.DEPARTMENT_HEAD, world.campus.department)
    counsellor = user_with_role(Role.COUNSELLOR, world.campus.klass)
    other = World("School B")
    assert http_for(world.admin).get(course_url(world)).status_code == 200
    assert http_for(head).get(course_url(world)).status_code == 200
    assert http_for(world.other_teacher).get(course_url(world)).status_code == 404
    assert http_for(counsellor).get(course_url(world)).status_code == 404
    assert http_for(world.student_user).get(course_url(world)).status_code == 404
    assert http_for(other.admin).get(course_url(world)).status_code == 404
    assert http_for(other.teacher).get(course_url(world, "export/learners.xlsx")).status_code == 404
    assert http_for(other.admin).get(course_url(world, "statements.jsonl")).status_code == 404


def test_a_school_administrator_drills_into_a_learners_timeline(world: World) -> None:
    active(world.student_user)
    assert http_for(world.admin).get(f"/lrs/learners/{world.student_user.pk}/").status_code == 200
    other = World("School B")
    assert http_for(other.admin).get(f"/lrs/learners/{world.student_user.pk}/").status_code == 404


def test_the_learners_table_exports_as_xlsx_and_is_audited(world: World) -> None:
    world._student(world.campus.klass, "Late")
    active(world.student_user, 2)
    response = http_for(world.teacher).get(course_url(world, "export/learners.xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("学号", "姓名", "班级")
    assert sorted(row[3] for row in rows[1:]) == [0, 2]  # Stu's two records, and Late's none
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=world.teacher).exists()
    assert http_for(world.teacher).get(course_url(world, "export/nothing.xlsx")).status_code == 404


def test_the_course_statements_export_holds_only_its_learners(world: World) -> None:
    active(world.student_user, 2)
    active(world.outsider, 5)  # another class of the school: not a learner of this task
    response = http_for(world.teacher).get(course_url(world, "statements.jsonl"))
    assert response.status_code == 200
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert len(lines) == 2
    assert {line["actor"]["account"]["name"] for line in lines} == {str(world.student_user.pk)}
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=world.teacher).count() == 1


def test_course_dashboard_queries_do_not_grow_with_learners_or_records(world: World) -> None:
    world.text_unit()
    active(world.student_user, 2)
    http = http_for(world.teacher)
    http.get(course_url(world))  # warm the session and the menu
    with CaptureQueriesContext(connection) as few:
        http.get(course_url(world))
    for n in range(5):
        active(world._student(world.campus.klass, f"More {n}"), 4)
    with CaptureQueriesContext(connection) as many:
        page = http.get(course_url(world))
    assert len(page.context["board"].learners) == 6
    assert len(many) == len(few)


def org_url(org: Any, tail: str = "") -> str:
    return f"/learning/analytics/orgs/{org.pk}/{tail}"


def test_the_school_dashboard_by_department_major_and_course(world: World) -> None:
    active(world.student_user, 3)
    page = http_for(world.admin).get(org_url(world.campus.school))
    assert page.status_code == 200
    board = page.context["board"]
    assert [row.label for row in board.rows] == ["Information"]
    assert board.rows[0].learners == 2
    assert board.rows[0].active == 1
    assert board.total.statements == 3
    assert board.weeks[-1][1:] == (1, 3)
    assert [row.org_id for row in board.courses] == [world.task.pk]
    majors = http_for(world.admin).get(org_url(world.campus.department)).context["board"]
    assert sorted(row.label for row in majors.rows) == ["Networking", "Software"]
    assert "按院系" in page.content.decode()


def test_a_department_head_reads_only_their_department(world: World) -> None:
    head = user_with_role(Role.DEPARTMENT_HEAD, world.campus.department)
    http = http_for(head)
    assert http.get("/learning/analytics/").url == org_url(world.campus.department)
    assert http.get(org_url(world.campus.department)).status_code == 200
    assert http.get(org_url(world.campus.school)).status_code == 404
    assert http.get(org_url(world.campus.school, "export/rows.xlsx")).status_code == 404
    teacher = http_for(world.teacher)
    assert teacher.get(org_url(world.campus.department)).status_code == 404


def test_another_schools_administrator_reads_nothing_of_this_school(world: World) -> None:
    other = World("School B")
    http = http_for(other.admin)
    assert http.get(org_url(world.campus.school)).status_code == 404
    assert http.get(org_url(world.campus.school, "statements.jsonl")).status_code == 404


def test_the_province_dashboard_is_by_school(world: World) -> None:
    other = World("School B")
    active(world.student_user, 2)
    active(other.student_user, 1)
    province = world.campus.school.parent
    regional = user_with_role(Role.REGIONAL_ADMIN, province)
    board = http_for(regional).get(org_url(province)).context["board"]
    assert {row.label: row.statements for row in board.rows} == {"School A": 2, "School B": 1}


def test_the_school_exports_its_tables_and_statements(world: World) -> None:
    active(world.student_user, 2)
    other = World("School B")
    active(other.student_user, 4)
    http = http_for(world.admin)
    sheet = load_workbook(
        io.BytesIO(http.get(org_url(world.campus.school, "export/rows.xlsx")).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("Information", 2, 1)
    weeks = http.get(org_url(world.campus.school, "export/weeks.xlsx"))
    assert weeks.status_code == 200
    response = http.get(org_url(world.campus.school, "statements.jsonl"))
    lines = b"".join(response.streaming_content).splitlines()
    assert len(lines) == 2  # none of the other school's
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=world.admin).count() == 3


def test_school_dashboard_queries_do_not_grow_with_learners(world: World) -> None:
    active(world.student_user, 2)
    http = http_for(world.admin)
    http.get(org_url(world.campus.school))
    with CaptureQueriesContext(connection) as few:
        http.get(org_url(world.campus.school))
    for n in range(5):
        klass = world.campus.klass if n % 2 else world.campus.other_klass
        active(world._student(klass, f"More {n}"), 3)
    with CaptureQueriesContext(connection) as many:
        page = http.get(org_url(world.campus.school))
    assert page.context["board"].total.learners == 7
    assert len(many) == len(few)


def test_the_course_page_leads_its_teacher_not_its_students_to_the_dashboard(
    world: World,
) -> None:
    link = course_url(world)
    teacher_page = http_for(world.teacher).get(f"/learning/courses/{world.course.pk}/")
    assert teacher_page.status_code == 200
    assert link in teacher_page.content.decode()
    student_page = http_for(world.student_user).get(f"/learning/courses/{world.course.pk}/")
    assert student_page.status_code == 200
    assert link not in student_page.content.decode()
