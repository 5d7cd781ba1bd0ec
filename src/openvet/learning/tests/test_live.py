"""The live in-class mode through its real WebSocket (Channels' communicator against
``config.asgi``): joining by code, answering with the screen's live tally, reconnecting
without losing or doubling an answer, stale codes, flooding comments, the filter, random
call, hands, sign-in through the attendance module, and another school kept out."""

from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.learning.live import services
from openvet.learning.live.models import LiveAnswer, LiveComment, LiveSession
from openvet.learning.tests.conftest import World
from openvet.learning.tests.live_support import receive, session_cookie, socket
from openvet.lrs.models import Statement
from openvet.teaching.attendance import codes
from openvet.teaching.attendance.models import AttendanceRecord, AttendanceSession

# The consumer closes old connections around each database call (Channels), which inside a
# test transaction would lose the test's data on PostgreSQL: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db: None) -> World:
    return World()


@pytest.fixture
def live(world: World) -> LiveSession:
    session = services.live_start(actor=world.teacher, course=world.course)
    services.live_join(actor=world.student_user, code=session.code)
    return session


def verbs_of(user: Any) -> list[str]:
    return [
        s.body["verb"]["display"]["en-US"]
        for s in Statement.objects.filter(actor_key__contains=str(user.pk)).order_by("id")
    ]


def test_a_student_answers_and_the_screen_chart_counts_it(world: World, live: LiveSession) -> None:
    teacher, student = session_cookie(world.teacher), session_cookie(world.student_user)

    async def scenario() -> None:
        screen, ok, _code = await socket(teacher, live.pk)
        assert ok
        state = await receive(screen, "state")
        assert state["joined"] == 1
        assert state["roster"] == 1
        assert state["code"] == live.code
        phone, ok, _code = await socket(student, live.pk)
        assert ok
        assert (await receive(phone, "state"))["question"] is None
        assert (await receive(screen, "joined"))["joined"] == 1

        await screen.send_json_to({"type": "ask", "text": "哪个是主轴？", "choices": ["X", "Z"]})
        asked = await receive(phone, "question")
        assert asked["question"]["choices"] == ["X", "Z"]
        await phone.send_json_to(
            {"type": "answer", "question": asked["question"]["id"], "choice": 1}
        )
        assert (await receive(phone, "answered"))["choice"] == 1
        tally = await receive(screen, "tally")
        while tally["counts"] == [0, 0]:  # the empty chart of the new question comes first
            tally = await receive(screen, "tally")
        assert tally["counts"] == [0, 1]
        assert tally["by"] == [world.student_user.pk]
        await phone.disconnect()
        await screen.disconnect()

    async_to_sync(scenario)()
    assert "answered" in verbs_of(world.student_user)
    assert "joined" in verbs_of(world.student_user)


def test_a_phone_that_reconnects_keeps_its_one_answer(world: World, live: LiveSession) -> None:
    question = services.question_ask(
        actor=world.teacher, live=live, text="Q", choices=["A", "B", "C"]
    )
    student = session_cookie(world.student_user)

    async def scenario() -> None:
        phone, _ok, _code = await socket(student, live.pk)
        await receive(phone, "state")
        await phone.send_json_to({"type": "answer", "question": question.pk, "choice": 2})
        await receive(phone, "answered")
        await phone.disconnect()  # the phone drops

        phone, ok, _code = await socket(student, live.pk)
        assert ok
        state = await receive(phone, "state")
        assert state["question"]["id"] == question.pk
        assert state["my_choice"] == 2
        # The queued retry of another tap after the drop: the first answer stands.
        await phone.send_json_to({"type": "answer", "question": question.pk, "choice": 0})
        assert (await receive(phone, "answered"))["choice"] == 2
        await phone.disconnect()

    async_to_sync(scenario)()
    assert list(LiveAnswer.objects.values_list("choice", flat=True)) == [2]
    assert verbs_of(world.student_user).count("answered") == 1


def test_a_stale_or_wrong_code_is_refused_clearly(world: World, client: Any) -> None:
    live = services.live_start(actor=world.teacher, course=world.course)
    services.live_end(actor=world.teacher, live=live)
    with pytest.raises(ValidationFailed) as stale:
        services.live_join(actor=world.student_user, code=live.code)
    assert stale.value.code == "stale_code"
    with pytest.raises(ValidationFailed) as wrong:
        services.live_join(actor=world.student_user, code="12")
    assert wrong.value.code == "bad_code"

    expired = services.live_start(actor=world.teacher, course=world.course)
    later = timezone.now() + timedelta(hours=services.CODE_HOURS, minutes=1)
    with pytest.raises(ValidationFailed) as late:
        services.live_join(actor=world.student_user, code=expired.code, now=later)
    assert late.value.code == "stale_code"

    client.force_login(world.student_user)
    page = client.post("/learning/live/join/", {"code": live.code}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 422
    assert "已结束" in page.content.decode()
    assert 'value="' + live.code + '"' in page.content.decode()  # what was typed stays
    assert not expired.participants.exists()


def test_flooding_comments_is_limited_and_the_filter_holds_words(
    world: World, live: LiveSession
) -> None:
    teacher, student = session_cookie(world.teacher), session_cookie(world.student_user)

    async def scenario() -> None:
        screen, _ok, _code = await socket(teacher, live.pk)
        await receive(screen, "state")
        phone, _ok, _code = await socket(student, live.pk)
        await receive(phone, "state")
        for n in range(services.COMMENT_BURST):
            await phone.send_json_to({"type": "comment", "text": f"懂了 {n}"})
            await receive(phone, "comment_sent")
            assert (await receive(screen, "comment"))["text"] == f"懂了 {n}"
        await phone.send_json_to({"type": "comment", "text": "刷屏"})
        refused = await receive(phone, "error")
        assert refused["code"] == "too_fast"
        assert "太快" in refused["message"]
        await phone.disconnect()
        await screen.disconnect()

    async_to_sync(scenario)()
    assert LiveComment.objects.count() == services.COMMENT_BURST

    LiveComment.objects.all().update(sent_at=timezone.now() - timedelta(minutes=1))
    services.comments_set(actor=world.teacher, live=live, on=True, blocked_words=["笨蛋"])
    held = services.comment_send(actor=world.student_user, live=live, text="老师 笨蛋")
    assert not held.shown
    services.comments_set(actor=world.teacher, live=live, on=False, blocked_words=[])
    with pytest.raises(ValidationFailed):
        services.comment_send(actor=world.student_user, live=live, text="hello")
    with pytest.raises(PermissionDenied):
        services.comments_set(actor=world.student_user, live=live, on=True, blocked_words=[])


def test_random_call_and_raised_hands_reach_the_screen_and_the_phone(
    world: World, live: LiveSession
) -> None:
    teacher, student = session_cookie(world.teacher), session_cookie(world.student_user)

    async def scenario() -> None:
        screen, _ok, _code = await socket(teacher, live.pk)
        await receive(screen, "state")
        phone, _ok, _code = await socket(student, live.pk)
        await receive(phone, "state")
        await phone.send_json_to({"type": "hand", "raised": True})
        hands = await receive(screen, "hands")
        assert [h["name"] for h in hands["hands"]] == ["Stu"]
        await screen.send_json_to({"type": "lower", "user": world.student_user.pk})
        assert (await receive(phone, "hand"))["raised"] is True  # the echo of raising
        assert (await receive(phone, "hand"))["raised"] is False
        await screen.send_json_to({"type": "call"})
        assert (await receive(screen, "called"))["name"] == "Stu"
        await receive(phone, "called_you")
        # A learner cannot act as the screen.
        await phone.send_json_to({"type": "call"})
        assert (await receive(phone, "error"))["code"] == "unknown"
        await phone.disconnect()
        await screen.disconnect()

    async_to_sync(scenario)()
    assert {"raised hand", "called on"} <= set(verbs_of(world.student_user))


def test_sign_in_is_the_attendance_session_of_the_lecture(world: World, live: LiveSession) -> None:
    now = timezone.now()
    attendance = AttendanceSession.objects.create(
        task=world.task,
        org=world.task.org,
        date=timezone.localdate(),
        period_start=1,
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(minutes=40),
        opened_by=world.teacher,
    )
    LiveSession.objects.filter(pk=live.pk).update(attendance=attendance)
    teacher, student = session_cookie(world.teacher), session_cookie(world.student_user)

    async def scenario() -> None:
        screen, _ok, _code = await socket(teacher, live.pk)
        state = await receive(screen, "state")
        shown = state["sign_in"]["code"]
        phone, _ok, _code = await socket(student, live.pk)
        assert (await receive(phone, "state"))["sign_in_open"] is True
        await phone.send_json_to(
            {"type": "sign_in", "code": "000000" if shown != "000000" else "1"}
        )
        assert (await receive(phone, "error"))["code"] == "bad_code"
        await phone.send_json_to({"type": "sign_in", "code": shown})
        await receive(phone, "signed")
        assert (await receive(screen, "signed"))["signed"] == 1
        await phone.disconnect()
        await screen.disconnect()

    assert codes.code_is_valid(attendance.pk, codes.current_code(attendance.pk, now)[0], now)
    async_to_sync(scenario)()
    record = AttendanceRecord.objects.get(session=attendance)
    assert record.student.user_id == world.student_user.pk
    assert "attended" in verbs_of(world.student_user)


def test_another_school_and_strangers_are_kept_out(world: World, live: LiveSession) -> None:
    other = World("School B")
    with pytest.raises(ValidationFailed) as refused:
        services.live_join(actor=other.student_user, code=live.code)
    assert refused.value.code == "bad_code"  # the class's existence is not revealed
    with pytest.raises(ValidationFailed):
        services.live_join(actor=world.outsider, code=live.code)

    outsider_school, classmate_not_joined = (
        session_cookie(other.teacher),
        session_cookie(world.outsider),
    )

    async def scenario() -> None:
        for cookie, expected in (
            (outsider_school, 4404),
            (classmate_not_joined, 4404),
            (None, 4401),
        ):
            _socket, connected, code = await socket(cookie, live.pk)
            assert not connected
            assert code == expected
        _socket, connected, _code = await socket(
            session_cookie_async, live.pk, origin=b"http://evil.example"
        )
        assert not connected

    session_cookie_async = session_cookie(world.student_user)
    async_to_sync(scenario)()
    assert live.participants.count() == 1


def test_pages_start_join_and_keep_the_record(world: World, client: Any) -> None:
    client.force_login(world.teacher)
    course_page = client.get(f"/learning/courses/{world.course.pk}/")
    assert "开始课堂互动" in course_page.content.decode()
    started = client.post(f"/learning/courses/{world.course.pk}/live/")
    live = LiveSession.objects.get()
    assert started["Location"] == f"/learning/live/{live.pk}/screen/"
    screen = client.get(started["Location"]).content.decode()
    assert live.code in screen
    assert "<svg" in screen  # the join QR

    client.force_login(world.student_user)
    assert client.get(f"/learning/live/{live.pk}/screen/").status_code == 404
    assert client.get(f"/learning/live/{live.pk}/")["Location"] == "/learning/live/join/"
    joined = client.post("/learning/live/join/", {"code": f" {live.code} "})
    assert joined["Location"] == f"/learning/live/{live.pk}/"
    assert client.get(joined["Location"]).status_code == 200

    other = World("School B")
    client.force_login(other.teacher)
    assert client.get(f"/learning/live/{live.pk}/record/").status_code == 404
    assert client.get(f"/learning/live/{live.pk}/").status_code == 404

    services.live_end(actor=world.teacher, live=live)
    client.force_login(world.teacher)
    record = client.get(f"/learning/live/{live.pk}/record/").content.decode()
    assert "Stu" in record
