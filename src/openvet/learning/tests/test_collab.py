"""Course groups and group documents (ADR 0756-0757): groups by hand and at random, one
group per learner, versions on every save, the optimistic check, restore, differences,
comments, xAPI statements, and nobody outside the group (or the course's teachers) inside."""

from typing import Any

import pytest
from django.urls import reverse

from openvet.core.audit_words import audit_change_lines
from openvet.core.errors import NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import AuditEntry
from openvet.learning.collab import selectors as collab
from openvet.learning.collab import services
from openvet.learning.collab.models import DocumentVersion, GroupDocument, GroupMember
from openvet.learning.tests.conftest import World
from openvet.learning.tests.test_views import client_for
from openvet.lrs.models import Statement
from openvet.records.selectors import student_of_user


@pytest.fixture
def classmates(world: World) -> list[Any]:
    """Five more learners of the course's class (six with ``world.student_user``)."""
    return [world._student(world.campus.klass, f"Mate {n}") for n in range(5)]


@pytest.fixture
def team(world: World, classmates: list[Any]) -> Any:
    return services.group_create(
        actor=world.teacher,
        course=world.course,
        name="Lathe team",
        learner_ids=[world.student_user.pk, classmates[0].pk],
    )


def test_teacher_makes_a_group_by_hand_and_a_learner_is_in_one_group_only(
    world: World, classmates: list[Any], team: Any
) -> None:
    assert collab.group_of(course_id=world.course.pk, user_id=world.student_user.pk) == (
        collab.GroupInfo(
            id=team.pk,
            name="Lathe team",
            member_ids=tuple(sorted([world.student_user.pk, classmates[0].pk])),
        )
    )
    with pytest.raises(ValidationFailed) as taken:
        services.group_create(
            actor=world.teacher,
            course=world.course,
            name="Second",
            learner_ids=[classmates[0].pk, classmates[1].pk],
        )
    record = student_of_user(user=classmates[0])
    assert record is not None
    assert taken.value.details == {"learners": f"已在其他小组：{record.name}。"}
    with pytest.raises(ValidationFailed) as same_name:
        services.group_create(
            actor=world.teacher, course=world.course, name="Lathe team", learner_ids=[]
        )
    assert set(same_name.value.details) == {"name"}
    with pytest.raises(ValidationFailed) as stranger:
        services.group_create(
            actor=world.teacher, course=world.course, name="X", learner_ids=[world.outsider.pk]
        )
    assert stranger.value.details == {"learners": "请选择本课程的学生。"}
    assert collab.groups_of(course_id=world.course.pk) == [
        collab.group_of(course_id=world.course.pk, user_id=world.student_user.pk)
    ]


def test_random_groups_deal_only_the_learners_not_yet_grouped(
    world: World, classmates: list[Any], team: Any
) -> None:
    groups = services.groups_deal(actor=world.teacher, course=world.course, size=2)
    assert [g.name for g in groups] == ["第1组", "第2组"]
    sizes = sorted(len(g.member_ids) for g in collab.groups_of(course_id=world.course.pk))
    assert sizes == [2, 2, 2]
    assert GroupMember.objects.filter(course=world.course).count() == 6
    with pytest.raises(ValidationFailed) as none_left:
        services.groups_deal(actor=world.teacher, course=world.course, size=2)
    assert none_left.value.details == {"size": "所有学生都已分组。"}
    with pytest.raises(ValidationFailed):
        services.groups_deal(actor=world.teacher, course=world.course, size=1)


def test_only_the_course_teacher_makes_and_moves(
    world: World, classmates: list[Any], team: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.groups_deal(actor=world.student_user, course=world.course, size=2)
    with pytest.raises(NotFound):
        services.group_create(
            actor=world.other_teacher, course=world.course, name="Mine", learner_ids=[]
        )
    services.member_move(
        actor=world.teacher, course=world.course, learner_id=classmates[0].pk, group=None
    )
    assert collab.group_of(course_id=world.course.pk, user_id=classmates[0].pk) is None
    services.member_move(
        actor=world.teacher, course=world.course, learner_id=classmates[1].pk, group=team
    )
    assert collab.group_of(course_id=world.course.pk, user_id=classmates[1].pk) == (
        collab.group_of(course_id=world.course.pk, user_id=world.student_user.pk)
    )


def test_every_save_is_a_version_and_a_stale_save_is_refused_whole(
    world: World, classmates: list[Any], team: Any
) -> None:
    document = services.document_create(
        actor=world.student_user, group=team, title="Plan", text="Step 1\nStep 2"
    )
    assert document.version == 1
    services.document_save(
        actor=classmates[0], document=document, text="Step 1\nStep 2\nStep 3", base_version=1
    )
    with pytest.raises(services.EditConflict):
        services.document_save(
            actor=world.student_user, document=document, text="Step one", base_version=1
        )
    document.refresh_from_db()
    assert document.version == 2
    assert list(document.versions.values_list("number", "author_id", "source")) == [
        (2, classmates[0].pk, "Step 1\nStep 2\nStep 3"),
        (1, world.student_user.pk, "Step 1\nStep 2"),
    ]
    with pytest.raises(ValidationFailed) as unchanged:
        services.document_save(
            actor=world.student_user,
            document=document,
            text="Step 1\nStep 2\nStep 3",
            base_version=2,
        )
    assert unchanged.value.details == {"text": "与上次保存相比没有改动。"}
    saves = Statement.objects.filter(verb_id="http://activitystrea.ms/schema/1.0/update")
    assert saves.count() == 2


def test_text_is_sanitised_and_plain_text_keeps_its_lines(
    world: World, classmates: list[Any], team: Any
) -> None:
    document = services.document_create(
        actor=world.student_user,
        group=team,
        title="Plan",
        text='<p onclick="x()">Cut <script>alert(1)</script>slowly</p>',
    )
    version = document.versions.get()
    assert version.html == "<p>Cut slowly</p>"
    services.document_save(
        actor=world.student_user, document=document, text="a < b\nc", base_version=1
    )
    assert document.versions.get(number=2).html == "<p>a &lt; b<br>c</p>"
    with pytest.raises(ValidationFailed) as empty:
        services.document_create(actor=world.student_user, group=team, title=" ", text="<p></p>")
    assert set(empty.value.details) == {"title", "text"}
    assert GroupDocument.objects.count() == 1


def test_restore_makes_a_new_version_and_history_is_never_rewritten(
    world: World, classmates: list[Any], team: Any
) -> None:
    document = services.document_create(
        actor=world.student_user, group=team, title="Plan", text="first"
    )
    services.document_save(
        actor=world.student_user, document=document, text="second", base_version=1
    )
    restored = services.document_restore(
        actor=classmates[0], document=document, number=1, base_version=2
    )
    assert (restored.number, restored.source, restored.restored_from) == (3, "first", 1)
    assert DocumentVersion.objects.filter(document=document).count() == 3
    with pytest.raises(services.EditConflict):
        services.document_restore(actor=classmates[0], document=document, number=2, base_version=2)


def test_differences_between_versions_line_by_line() -> None:
    lines = collab.diff_lines("<p>keep<br>old</p>", "<p>keep<br>new &amp; better</p>")
    assert [(d.kind, d.text) for d in lines] == [
        ("same", "keep"),
        ("removed", "old"),
        ("added", "new & better"),
    ]


def test_teacher_reads_and_comments_but_does_not_edit(
    world: World, classmates: list[Any], team: Any
) -> None:
    document = services.document_create(
        actor=world.student_user, group=team, title="Plan", text="first"
    )
    with pytest.raises(PermissionDenied):
        services.document_save(actor=world.teacher, document=document, text="x", base_version=1)
    comment = services.comment_add(actor=world.teacher, document=document, text="Add a step.")
    assert (comment.version, comment.author_id) == (1, world.teacher.pk)
    with pytest.raises(ValidationFailed):
        services.comment_add(actor=world.teacher, document=document, text="  ")


def test_outsiders_get_404_and_change_nothing(
    world: World, other_world: World, classmates: list[Any], team: Any
) -> None:
    document = services.document_create(
        actor=world.student_user, group=team, title="Plan", text="first"
    )
    other_group = services.groups_deal(actor=world.teacher, course=world.course, size=2)[0]
    not_member = collab.groups_of(course_id=world.course.pk)[1].member_ids[0]
    urls = [
        reverse("learning:group-detail", args=[team.pk]),
        reverse("learning:document-detail", args=[document.pk]),
        reverse("learning:document-history", args=[document.pk]),
        reverse("learning:document-version", args=[document.pk, 1]),
    ]
    from openvet.identity.models import User

    strangers = [
        User.objects.get(pk=not_member),  # a learner of another group of the course
        world.outsider,  # a learner of another class of the school
        world.other_teacher,
        other_world.teacher,
        other_world.student_user,
    ]
    for stranger in strangers:
        client = client_for(stranger)
        for url in urls:
            assert client.get(url).status_code == 404, (stranger, url)
        answer = client.post(urls[1], {"action": "save", "text": "hacked", "base_version": 1})
        assert answer.status_code == 404
    assert (
        client_for(other_world.teacher)
        .get(reverse("learning:group-list", args=[world.course.pk]))
        .status_code
        == 404
    )
    assert other_group.course_id == world.course.pk
    assert document.versions.count() == 1


def test_pages_edit_a_document_and_a_conflict_keeps_the_text(
    world: World, classmates: list[Any], team: Any
) -> None:
    student = client_for(world.student_user)
    assert student.get(reverse("learning:group-list", args=[world.course.pk])).url == reverse(
        "learning:group-detail", args=[team.pk]
    )
    created = student.post(
        reverse("learning:group-detail", args=[team.pk]), {"title": "计划", "text": "第一步"}
    )
    document = GroupDocument.objects.get()
    assert created.url == reverse("learning:document-detail", args=[document.pk])
    url = created.url
    mate = client_for(classmates[0])
    assert (
        mate.post(url, {"action": "save", "text": "第一步\n第二步", "base_version": 1}).status_code
        == 302
    )
    stale = student.post(url, {"action": "save", "text": "我的改动", "base_version": 1})
    page = stale.content.decode()
    assert stale.status_code == 409
    assert "有人在你编辑时保存了更新的版本" in page
    assert "我的改动</textarea>" in page
    assert 'name="base_version" value="2"' in page
    again = student.post(url, {"action": "save", "text": "我的改动", "base_version": 2})
    assert again.status_code == 302
    history = student.get(
        reverse("learning:document-history", args=[document.pk]) + "?a=1&b=3"
    ).content.decode()
    assert "第一步" in history
    assert "我的改动" in history
    teacher_page = client_for(world.teacher).get(url).content.decode()
    assert "我的改动" in teacher_page
    assert "另存为新版本" not in teacher_page


def test_group_page_lists_with_a_fixed_number_of_queries(
    world: World, classmates: list[Any], team: Any, django_assert_max_num_queries: Any
) -> None:
    services.groups_deal(actor=world.teacher, course=world.course, size=2)
    teacher = client_for(world.teacher)
    url = reverse("learning:group-list", args=[world.course.pk])
    with django_assert_max_num_queries(30):
        assert teacher.get(url).status_code == 200


def test_group_changes_read_in_the_audit_log(
    world: World, classmates: list[Any], team: Any
) -> None:
    services.groups_deal(actor=world.teacher, course=world.course, size=2)
    services.member_move(
        actor=world.teacher, course=world.course, learner_id=classmates[0].pk, group=None
    )
    entries = AuditEntry.objects.filter(
        object_type__in=["learning.coursegroup", "learning.onlinecourse"]
    )
    lines = {entry.pk: audit_change_lines(entry) for entry in entries}  # none raises
    made = entries.get(object_type="learning.coursegroup", object_id=str(team.pk))
    assert ("组名", "Lathe team") in [(line.label, line.new) for line in lines[made.pk]]
