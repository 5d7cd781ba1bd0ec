"""Course groups managed in full (ADR 0762) and used by the live class (ADR 0763): groups dealt
by number of groups or size, at random or in student-number order; renamed; deleted only when
they have written nothing; a live class formed from the course's groups, its late joiners and
its record; a learner's group on the course page; nobody but the course's teachers changes a
group, and another school reads and changes nothing."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import AuditEntry
from openvet.learning.collab import selectors as collab
from openvet.learning.collab import services
from openvet.learning.collab.models import CourseGroup, GroupMember
from openvet.learning.live import groups as live_groups
from openvet.learning.live import selectors as live_selectors
from openvet.learning.live import services as live_services
from openvet.learning.live.models import (
    LiveGroup,
    LiveGroupAnswer,
    LiveParticipant,
    LiveQuestion,
    LiveSession,
)
from openvet.learning.tests.conftest import World
from openvet.learning.tests.test_views import client_for


@pytest.fixture
def classmates(world: World) -> list[Any]:
    """Five more learners of the course's class (six with ``world.student_user``)."""
    return [world._student(world.campus.klass, f"Mate {n}") for n in range(5)]


def _members(course_id: int) -> list[tuple[int, ...]]:
    return [g.member_ids for g in collab.groups_of(course_id=course_id)]


def test_deal_a_number_of_groups_in_student_number_order(
    world: World, classmates: list[Any]
) -> None:
    groups = services.groups_deal(actor=world.teacher, course=world.course, count=4, order="number")
    assert [g.name for g in groups] == ["第1组", "第2组", "第3组", "第4组"]
    in_order = [learner.user_id for learner in collab.learners_of(world.course)]
    dealt = [
        [m.user_id for m in GroupMember.objects.filter(group=g).order_by("id")] for g in groups
    ]
    assert dealt == [in_order[0:2], in_order[2:4], in_order[4:5], in_order[5:6]]


def test_deal_a_number_of_groups_at_random_and_bad_numbers_are_refused(
    world: World, classmates: list[Any]
) -> None:
    for bad in ({}, {"size": 2, "count": 2}, {"count": 0}, {"count": 31}, {"size": 1}):
        with pytest.raises(ValidationFailed):
            services.groups_deal(actor=world.teacher, course=world.course, **bad)
    with pytest.raises(ValidationFailed):
        services.groups_deal(actor=world.teacher, course=world.course, count=2, order="alpha")
    assert not CourseGroup.objects.exists()
    services.groups_deal(actor=world.teacher, course=world.course, count=4)
    assert sorted(len(m) for m in _members(world.course.pk)) == [1, 1, 2, 2]
    # more groups than learners left: one group per learner, no empty group
    services.member_move(
        actor=world.teacher, course=world.course, learner_id=classmates[0].pk, group=None
    )
    made = services.groups_deal(actor=world.teacher, course=world.course, count=3)
    assert [collab.group_of(course_id=world.course.pk, user_id=classmates[0].pk)] == [
        collab.groups_of(course_id=world.course.pk)[-1]
    ]
    assert len(made) == 1


def test_teacher_renames_and_nobody_else_can(
    world: World, other_world: World, classmates: list[Any]
) -> None:
    first, second = services.groups_deal(actor=world.teacher, course=world.course, count=2)
    services.group_rename(actor=world.teacher, group=first, name="  车工一组 ")
    first.refresh_from_db()
    assert first.name == "车工一组"
    with pytest.raises(ValidationFailed) as taken:
        services.group_rename(actor=world.teacher, group=second, name="车工一组")
    assert taken.value.details == {"name": "本课程已有同名小组。"}
    with pytest.raises(ValidationFailed):
        services.group_rename(actor=world.teacher, group=second, name="   ")
    with pytest.raises(PermissionDenied):
        services.group_rename(actor=world.student_user, group=first, name="我们组")
    for stranger in (world.other_teacher, other_world.teacher, other_world.admin):
        with pytest.raises(NotFound):
            services.group_rename(actor=stranger, group=first, name="别人改的")
        with pytest.raises(NotFound):
            services.group_delete(actor=stranger, group=first)
    first.refresh_from_db()
    assert first.name == "车工一组"
    entries = AuditEntry.objects.filter(object_type="learning.coursegroup", object_id=str(first.pk))
    assert {"name": ["第1组", "车工一组"]} in [entry.changes for entry in entries]


def test_a_group_that_wrote_nothing_is_deleted_and_one_with_documents_is_kept(
    world: World, classmates: list[Any]
) -> None:
    writers, idle = services.groups_deal(actor=world.teacher, course=world.course, count=2)
    writer = CourseGroup.objects.get(pk=writers.pk).members.first()
    assert writer is not None
    services.document_create(actor=writer.user, group=writers, title="分工", text="对刀")
    with pytest.raises(Conflict) as kept:
        services.group_delete(actor=world.teacher, group=writers)
    assert kept.value.code == "group_has_work"
    assert "1 份小组文档" in str(kept.value.message)
    assert CourseGroup.objects.filter(pk=writers.pk).exists()
    with pytest.raises(PermissionDenied):
        services.group_delete(actor=world.student_user, group=idle)
    idle_members = set(collab.groups_of(course_id=world.course.pk)[1].member_ids)
    services.group_delete(actor=world.teacher, group=idle)
    assert not CourseGroup.objects.filter(pk=idle.pk).exists()
    for user_id in idle_members:  # its members are in no group, ready to be placed again
        assert collab.group_of(course_id=world.course.pk, user_id=user_id) is None
    assert AuditEntry.objects.filter(action="delete", object_id=str(idle.pk)).exists()


def _live_with_course_groups(world: World, classmates: list[Any]) -> tuple[LiveSession, Any]:
    team = services.group_create(
        actor=world.teacher,
        course=world.course,
        name="车工一组",
        learner_ids=[world.student_user.pk, classmates[0].pk],
    )
    services.group_create(
        actor=world.teacher,
        course=world.course,
        name="车工二组",
        learner_ids=[classmates[1].pk, classmates[2].pk],
    )
    live = live_services.live_start(actor=world.teacher, course=world.course)
    for learner in (world.student_user, classmates[1], classmates[3]):  # Mate 3: no group
        live_services.live_join(actor=learner, code=live.code)
    live.refresh_from_db()
    return live, team


def test_a_live_class_forms_its_groups_from_the_course_groups(
    world: World, classmates: list[Any]
) -> None:
    live, team = _live_with_course_groups(world, classmates)
    live = live_groups.groups_form(actor=world.teacher, live=live, mode="course")
    rows = list(LiveGroup.objects.filter(session=live, round=live.group_round).order_by("number"))
    assert [(g.number, g.name, g.course_group_id) for g in rows] == [
        (1, "车工一组", team.pk),
        (2, "车工二组", rows[1].course_group_id),
    ]

    def live_group_of(user: Any) -> LiveGroup | None:
        return LiveParticipant.objects.get(session=live, user=user).group

    assert live_group_of(world.student_user) == rows[0]
    assert live_group_of(classmates[1]) == rows[1]
    assert live_group_of(classmates[3]) == rows[0]  # no course group: the smallest
    # a late joiner goes to their own course group's live group, not to the smallest
    live_services.live_join(actor=classmates[2], code=live.code)
    assert live_group_of(classmates[2]) == rows[1]
    # a phone that reconnects is told its group by name
    state = live_selectors.phone_state(live, classmates[2])
    assert state["group"]["name"] == "车工二组"
    assert state["grouping"] == "course"


def test_group_answers_are_recorded_by_course_group_and_keep_the_group(
    world: World, classmates: list[Any]
) -> None:
    live, team = _live_with_course_groups(world, classmates)
    live = live_groups.groups_form(actor=world.teacher, live=live, mode="course")
    first = LiveGroup.objects.get(session=live, course_group=team)
    now = timezone.now()
    question = LiveQuestion.objects.create(
        session=live, text="先做什么？", choices=["对刀", "装夹"], opened_at=now, for_groups=True
    )
    LiveGroupAnswer.objects.create(
        question=question, group=first, user=world.student_user, choice=1, answered_at=now
    )
    record = live_selectors.record_of(live)
    assert [(a["name"], a["course_group"], a["text"]) for a in record.questions[0].groups] == [
        ("车工一组", team.pk, "装夹")
    ]
    page = client_for(world.teacher).get(reverse("learning:live-record", args=[live.pk]))
    assert reverse("learning:group-detail", args=[team.pk]) in page.content.decode()
    with pytest.raises(Conflict) as kept:
        services.group_delete(actor=world.teacher, group=team)
    assert "1 次课堂小组作答" in str(kept.value.message)
    # renaming afterwards keeps the name the class used in its record
    services.group_rename(actor=world.teacher, group=team, name="精车组")
    assert live_selectors.record_of(live).questions[0].groups[0]["name"] == "车工一组"


def test_a_course_without_groups_cannot_form_live_groups_from_them(world: World) -> None:
    live = live_services.live_start(actor=world.teacher, course=world.course)
    live_services.live_join(actor=world.student_user, code=live.code)
    with pytest.raises(ValidationFailed) as none:
        live_groups.groups_form(actor=world.teacher, live=live, mode="course")
    assert none.value.code == "no_course_groups"
    live.refresh_from_db()
    assert live.group_round == 0


# Pages -----------------------------------------------------------------------------------------


def test_teacher_pages_deal_rename_and_delete(world: World, classmates: list[Any]) -> None:
    teacher = client_for(world.teacher)
    url = reverse("learning:group-list", args=[world.course.pk])
    dealt = teacher.post(url, {"action": "deal", "order": "number", "count": "3"})
    assert dealt.status_code == 302
    first, second, third = CourseGroup.objects.filter(course=world.course).order_by("id")
    both = teacher.post(url, {"action": "deal", "order": "random", "size": "2", "count": "2"})
    assert both.status_code == 422
    assert "每组人数和小组数只填一项" in both.content.decode()

    renamed = teacher.post(
        url, {"action": "rename", "group": first.pk, f"g{first.pk}-name": "钳工组"}
    )
    assert renamed.status_code == 302
    first.refresh_from_db()
    assert first.name == "钳工组"
    clash = teacher.post(
        url, {"action": "rename", "group": second.pk, f"g{second.pk}-name": "钳工组"}
    )
    page = clash.content.decode()
    assert clash.status_code == 422
    assert "本课程已有同名小组" in page
    assert 'value="钳工组"' in page  # what the teacher typed is kept
    second.refresh_from_db()
    assert second.name == "第2组"

    member = second.members.first()
    assert member is not None
    services.document_create(actor=member.user, group=second, title="记录", text="第一步")
    refused = teacher.post(url, {"action": "delete", "group": second.pk}, follow=True)
    assert "不能删除" in refused.content.decode()
    assert CourseGroup.objects.filter(pk=second.pk).exists()
    deleted = teacher.post(url, {"action": "delete", "group": third.pk})
    assert deleted.status_code == 302
    assert not CourseGroup.objects.filter(pk=third.pk).exists()


def test_student_and_other_school_cannot_change_groups_through_the_pages(
    world: World, other_world: World, classmates: list[Any]
) -> None:
    team, _other = services.groups_deal(actor=world.teacher, course=world.course, count=2)
    url = reverse("learning:group-list", args=[world.course.pk])
    rename = {"action": "rename", "group": team.pk, f"g{team.pk}-name": "改掉"}
    client_for(world.student_user).post(url, rename)
    client_for(world.student_user).post(url, {"action": "delete", "group": team.pk})
    for stranger in (world.other_teacher, other_world.teacher, other_world.student_user):
        client = client_for(stranger)
        assert client.post(url, rename).status_code == 404
        assert client.post(url, {"action": "delete", "group": team.pk}).status_code == 404
        assert client.get(reverse("learning:group-detail", args=[team.pk])).status_code == 404
    # another course's group named on this course's page: 404, nothing changed
    other_course_group = services.group_create(
        actor=other_world.teacher, course=other_world.course, name="B 校组", learner_ids=[]
    )
    teacher = client_for(world.teacher)
    foreign = {
        "action": "rename",
        "group": other_course_group.pk,
        f"g{other_course_group.pk}-name": "x",
    }
    assert teacher.post(url, foreign).status_code == 404
    assert teacher.post(url, {"action": "delete", "group": other_course_group.pk}).status_code == (
        404
    )
    team.refresh_from_db()
    other_course_group.refresh_from_db()
    assert (team.name, other_course_group.name) == ("第1组", "B 校组")
    assert CourseGroup.objects.count() == 3


def test_a_learner_sees_their_group_on_the_course_page(world: World, classmates: list[Any]) -> None:
    course_url = reverse("learning:course-detail", args=[world.course.pk])
    alone = client_for(world.student_user).get(course_url).content.decode()
    assert "你在本课程还没有小组" in alone
    team = services.group_create(
        actor=world.teacher,
        course=world.course,
        name="车工一组",
        learner_ids=[world.student_user.pk, classmates[0].pk],
    )
    services.document_create(actor=classmates[0], group=team, title="实训分工", text="对刀")
    page = client_for(world.student_user).get(course_url).content.decode()
    assert "我的小组" in page
    assert "车工一组" in page
    assert "Mate 0" in page
    assert "实训分工" in page
    assert reverse("learning:group-detail", args=[team.pk]) in page
    teacher_page = client_for(world.teacher).get(course_url).content.decode()
    assert "我的小组" not in teacher_page
