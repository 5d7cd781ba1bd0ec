"""Group work in the live class (ADR 0743, 0744) and following it remotely (ADR 0745),
through the real WebSocket: groups formed at random, by the learners' choice or as last
time; a late joiner placed; a reconnecting phone keeps its group; a group question answered
by any member, the last answer before closing standing, seen live by the group and the
screen, and an xAPI statement for each member; a remote follower who answers and comments
but cannot sign in; bad input and another school kept out."""

from typing import Any

import pytest
from asgiref.sync import async_to_sync

from openvet.core.errors import NotFound, PermissionDenied, ValidationFailed
from openvet.learning.live import groups, services
from openvet.learning.live.models import (
    LiveGroup,
    LiveGroupAnswer,
    LiveParticipant,
    LiveSession,
)
from openvet.learning.tests.conftest import World
from openvet.learning.tests.live_support import receive, session_cookie, socket
from openvet.lrs.models import Statement

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db: None) -> World:
    return World()


def classmates(world: World, n: int) -> list[Any]:
    """``student_user`` and ``n - 1`` more students of the class."""
    return [world.student_user] + [
        world._student(world.campus.klass, f"S{k}") for k in range(2, n + 1)
    ]


def started(world: World, learners: list[Any]) -> LiveSession:
    live = services.live_start(actor=world.teacher, course=world.course)
    for learner in learners:
        services.live_join(actor=learner, code=live.code)
    live.refresh_from_db()
    return live


def group_of(live: LiveSession, user: Any) -> LiveGroup | None:
    return LiveParticipant.objects.select_related("group").get(session=live, user=user).group


def answered_statements(user: Any) -> list[dict[str, Any]]:
    return [
        s.body
        for s in Statement.objects.filter(actor_key__contains=str(user.pk)).order_by("id")
        if s.body["verb"]["display"]["en-US"] == "answered"
    ]


def test_random_groups_place_a_late_joiner_and_a_reconnecting_phone_keeps_its_group(
    world: World,
) -> None:
    first, second, third, late = classmates(world, 4)
    live = started(world, [first, second, third])
    teacher, phone_cookie, late_cookie = (session_cookie(u) for u in (world.teacher, first, late))

    async def form_groups() -> dict[str, Any]:
        screen, _ok, _code = await socket(teacher, live.pk)
        await receive(screen, "state")
        phone, _ok, _code = await socket(phone_cookie, live.pk)
        await receive(phone, "state")
        await screen.send_json_to({"type": "groups", "mode": "random", "size": 2})
        on_screen = await receive(screen, "grouped")
        mine = await receive(phone, "grouped")
        assert "assignments" not in mine  # a phone learns its own group, not everyone's
        assert sorted(len(g["members"]) for g in on_screen["groups"]) == [1, 2]
        await phone.disconnect()
        await screen.disconnect()
        return dict(mine)

    mine = async_to_sync(form_groups)()
    assert mine["group"]["id"] == group_of(live, first).pk  # type: ignore[union-attr]
    assert "Stu" in mine["group"]["members"]

    live.refresh_from_db()
    services.live_join(actor=late, code=live.code)
    sizes = sorted(
        LiveParticipant.objects.filter(session=live, group__isnull=False)
        .values_list("group__number", flat=True)
        .order_by()
    )
    assert sizes == [1, 1, 2, 2]  # the late joiner went to the group of one
    assert group_of(live, late) is not None

    async def reconnect() -> None:
        for _ in range(2):  # the phone drops and comes back
            phone, ok, _code = await socket(late_cookie, live.pk)
            assert ok
            state = await receive(phone, "state")
            assert state["group"]["id"] == group_of_late.pk
            assert "S4" in state["group"]["members"]
            await phone.disconnect()

    group_of_late = group_of(live, late)
    assert group_of_late is not None
    async_to_sync(reconnect)()


def test_a_group_answer_is_the_last_before_closing_seen_by_the_group_and_the_screen(
    world: World,
) -> None:
    first, second, other = classmates(world, 3)
    live = started(world, [first, second, other])
    groups.groups_form(actor=world.teacher, live=live, mode="choice", count=2)
    live.refresh_from_db()
    g1, g2 = LiveGroup.objects.filter(session=live, round=live.group_round).order_by("number")
    teacher, a, b, c = (session_cookie(u) for u in (world.teacher, first, second, other))

    async def scenario() -> None:
        screen, _ok, _code = await socket(teacher, live.pk)
        await receive(screen, "state")
        phones = []
        for cookie, group in ((a, g1), (b, g1), (c, g2)):
            phone, _ok, _code = await socket(cookie, live.pk)
            state = await receive(phone, "state")
            assert [g["number"] for g in state["groups"]] == [1, 2]  # the list to choose from
            await phone.send_json_to({"type": "choose_group", "group": group.pk})
            chosen = await receive(phone, "group")
            assert chosen["group"]["id"] == group.pk
            phones.append(phone)
        pa, pb, pc = phones

        await screen.send_json_to(
            {"type": "ask", "text": "先做哪一步？", "choices": ["对刀", "装夹"], "for_groups": True}
        )
        asked = await receive(pa, "question")
        assert asked["question"]["for_groups"] is True
        question = asked["question"]["id"]
        await pa.send_json_to({"type": "answer", "question": question, "choice": 0, "group": g1.pk})
        assert (await receive(pa, "answered"))["for_group"] is True
        seen = await receive(pb, "group_answer")  # the other member sees it, with who answered
        assert (seen["answer"]["choice"], seen["answer"]["by"]) == (0, "Stu")
        # The other member changes the group's answer: the last one stands.
        await pb.send_json_to({"type": "answer", "question": question, "choice": 1, "group": g1.pk})
        seen = await receive(pa, "group_answer")
        while seen["answer"]["by"] == "Stu":  # the echo of its own answer came first
            seen = await receive(pa, "group_answer")
        assert (seen["answer"]["choice"], seen["answer"]["by"]) == (1, "S2")
        on_screen = await receive(screen, "group_answers")
        while on_screen["answers"][0]["by"] != "S2":
            on_screen = await receive(screen, "group_answers")
        assert on_screen["answers"][0]["number"] == 1

        # Answering for a group one is not in is refused; nothing changes.
        await pc.send_json_to({"type": "answer", "question": question, "choice": 0, "group": g1.pk})
        refused = await receive(pc, "error")
        assert refused["code"] == "permission_denied"
        assert "自己" in refused["message"]

        await screen.send_json_to({"type": "close"})
        await receive(pa, "question")
        await pa.send_json_to({"type": "answer", "question": question, "choice": 0, "group": g1.pk})
        assert (await receive(pa, "error"))["code"] == "closed"
        await screen.disconnect()
        for phone in phones:
            await phone.disconnect()

    async_to_sync(scenario)()
    answer = LiveGroupAnswer.objects.get()
    assert (answer.group_id, answer.choice, answer.user_id) == (g1.pk, 1, second.pk)
    for member in (first, second):
        statements = answered_statements(member)
        assert len(statements) == 1
        extensions = statements[0]["result"]["extensions"]
        assert any(k.endswith("/results/response") and v == "装夹" for k, v in extensions.items())
        assert any(k.endswith("/results/group") and v == 1 for k, v in extensions.items())
    assert answered_statements(other) == []  # its group never answered


def test_group_bad_input_is_refused_clearly_and_changes_nothing(world: World) -> None:
    first, second = classmates(world, 2)
    live = started(world, [first, second])
    with pytest.raises(ValidationFailed) as no_groups:
        services.question_ask(
            actor=world.teacher, live=live, text="Q", choices=["A", "B"], for_groups=True
        )
    assert no_groups.value.code == "no_groups"
    with pytest.raises(ValidationFailed):
        groups.groups_form(actor=world.teacher, live=live, mode="random", size=1)
    with pytest.raises(ValidationFailed):
        groups.groups_form(actor=world.teacher, live=live, mode="choice", count="many")
    with pytest.raises(ValidationFailed) as never:
        groups.groups_form(actor=world.teacher, live=live, mode="reuse")
    assert never.value.code == "no_groups_before"
    with pytest.raises(PermissionDenied):
        groups.groups_form(actor=first, live=live, mode="random", size=2)
    assert not LiveGroup.objects.exists()

    groups.groups_form(actor=world.teacher, live=live, mode="choice", count=2)
    live.refresh_from_db()
    stale = LiveGroup.objects.filter(session=live).first()
    assert stale is not None
    # In a chosen grouping a learner without a group cannot answer a group question.
    question = services.question_ask(
        actor=world.teacher, live=live, text="Q", choices=["A", "B"], for_groups=True
    )
    [result] = services.answers_submit(
        live=live, answers=[services.AnswerIn(first, question.pk, 0)]
    )
    assert isinstance(result, ValidationFailed)
    assert result.code == "no_group"
    with pytest.raises(ValidationFailed) as busy:
        groups.groups_form(actor=world.teacher, live=live, mode="choice", count=3)
    assert busy.value.code == "group_question_open"
    services.question_close(actor=world.teacher, live=live)

    groups.groups_form(actor=world.teacher, live=live, mode="choice", count=3)
    live.refresh_from_db()
    with pytest.raises(ValidationFailed) as old:
        groups.group_choose(actor=first, live=live, group_id=stale.pk)
    assert old.value.code == "stale_group"
    other_school = World("School B")
    other_live = started(other_school, [other_school.student_user])
    groups.groups_form(actor=other_school.teacher, live=other_live, mode="choice", count=2)
    their_group = LiveGroup.objects.filter(session=other_live).first()
    assert their_group is not None
    with pytest.raises(ValidationFailed):
        groups.group_choose(actor=first, live=live, group_id=their_group.pk)
    with pytest.raises(PermissionDenied):
        groups.group_choose(actor=first, live=other_live, group_id=their_group.pk)
    assert group_of(live, first) is None
    assert not LiveGroupAnswer.objects.exists()


def test_the_last_live_class_groups_are_reused(world: World) -> None:
    learners = classmates(world, 4)
    first_class = started(world, learners)
    groups.groups_form(actor=world.teacher, live=first_class, mode="random", size=2)
    before = {u.pk: group_of(first_class, u).number for u in learners}  # type: ignore[union-attr]
    services.live_end(actor=world.teacher, live=first_class)

    next_class = started(world, learners[:3])
    groups.groups_form(actor=world.teacher, live=next_class, mode="reuse")
    after = {u.pk: group_of(next_class, u).number for u in learners[:3]}  # type: ignore[union-attr]
    assert after == {pk: before[pk] for pk in after}
    next_class.refresh_from_db()
    services.live_join(actor=learners[3], code=next_class.code)  # late: the smallest group
    placed = group_of(next_class, learners[3])
    assert placed is not None
    assert placed.number == before[learners[3].pk]  # the group missing a member


def test_a_remote_follower_answers_and_comments_but_is_not_signed_in(
    world: World, client: Any
) -> None:
    live = started(world, [])
    client.force_login(world.student_user)
    course_page = client.get(f"/learning/courses/{world.course.pk}/").content.decode()
    assert "远程听课" in course_page
    followed = client.post(f"/learning/live/{live.pk}/follow/")
    assert followed["Location"] == f"/learning/live/{live.pk}/"
    phone_page = client.get(followed["Location"]).content.decode()
    assert "远程听课" in phone_page
    participant = LiveParticipant.objects.get(session=live)
    assert participant.remote
    teacher, student = session_cookie(world.teacher), session_cookie(world.student_user)
    question = services.question_ask(actor=world.teacher, live=live, text="Q", choices=["A", "B"])

    async def scenario() -> None:
        screen, _ok, _code = await socket(teacher, live.pk)
        assert (await receive(screen, "state"))["remote"] == ["Stu"]
        phone, ok, _code = await socket(student, live.pk)
        assert ok
        state = await receive(phone, "state")
        assert state["remote"] is True
        assert state["question"]["id"] == question.pk
        assert (await receive(screen, "remote"))["remote"] == ["Stu"]
        await phone.send_json_to({"type": "answer", "question": question.pk, "choice": 1})
        assert (await receive(phone, "answered"))["choice"] == 1
        await phone.send_json_to({"type": "comment", "text": "在家听课"})
        await receive(phone, "comment_sent")
        assert (await receive(screen, "comment"))["text"] == "在家听课"
        await phone.send_json_to({"type": "sign_in", "code": "123456"})
        refused = await receive(phone, "error")
        assert refused["code"] == "remote"
        assert "远程" in refused["message"]
        await phone.disconnect()
        await screen.disconnect()

    async_to_sync(scenario)()
    # Coming into the room and joining with the code makes the learner one in the room.
    services.live_join(actor=world.student_user, code=live.code)
    participant.refresh_from_db()
    assert not participant.remote
    assert LiveParticipant.objects.filter(session=live).count() == 1


def test_another_school_or_class_cannot_follow_and_an_ended_class_cannot_be_followed(
    world: World, client: Any
) -> None:
    live = started(world, [])
    other = World("School B")
    for stranger in (other.student_user, world.outsider, other.teacher):
        client.force_login(stranger)
        assert client.post(f"/learning/live/{live.pk}/follow/").status_code == 404
        with pytest.raises(NotFound):
            services.live_follow(actor=stranger, live=live)
    assert not LiveParticipant.objects.exists()

    client.force_login(world.teacher)
    assert client.post(f"/learning/live/{live.pk}/follow/")["Location"].endswith("/screen/")

    services.live_end(actor=world.teacher, live=live)
    live.refresh_from_db()
    client.force_login(world.student_user)
    refused = client.post(f"/learning/live/{live.pk}/follow/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 302
    assert refused["Location"] == f"/learning/courses/{world.course.pk}/"
    with pytest.raises(ValidationFailed) as ended:
        services.live_follow(actor=world.student_user, live=live)
    assert ended.value.code == "stale_code"
    assert not LiveParticipant.objects.exists()


def test_the_record_keeps_group_answers_and_who_followed_remotely(
    world: World, client: Any
) -> None:
    first, second = classmates(world, 2)
    live = started(world, [first])
    services.live_follow(actor=second, live=live)
    groups.groups_form(actor=world.teacher, live=live, mode="random", size=2)
    live.refresh_from_db()
    question = services.question_ask(
        actor=world.teacher, live=live, text="分组讨论", choices=["甲", "乙"], for_groups=True
    )
    services.answers_submit(live=live, answers=[services.AnswerIn(second, question.pk, 1)])
    services.live_end(actor=world.teacher, live=live)
    client.force_login(world.teacher)
    record = client.get(f"/learning/live/{live.pk}/record/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = record.content.decode()
    assert "第1组" in page
    assert "乙" in page
    assert "S2" in page
    assert "远程" in page
