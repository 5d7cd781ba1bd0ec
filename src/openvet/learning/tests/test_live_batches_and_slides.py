"""Answers and comments written in batches (ADR 0740), the screen's chart counted once per
answer whatever order news arrives in, and slides pushed to phones with an anonymous 不懂
per slide (ADR 0741, 0742)."""

from io import BytesIO
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from openvet.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from openvet.learning.live import services
from openvet.learning.live.consumers import Chart
from openvet.learning.live.models import LiveAnswer, LiveComment, LiveSession, LiveSlide
from openvet.learning.tests.conftest import World
from openvet.learning.tests.live_support import receive, session_cookie, socket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db: None) -> World:
    return World()


@pytest.fixture
def live(world: World) -> LiveSession:
    session = services.live_start(actor=world.teacher, course=world.course)
    services.live_join(actor=world.student_user, code=session.code)
    return session


def png(colour: str = "red", size: tuple[int, int] = (64, 48), name: str = "1.png") -> Any:
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_a_batch_of_answers_keeps_one_answer_each_and_refuses_each_bad_one(
    world: World, live: LiveSession
) -> None:
    question = services.question_ask(actor=world.teacher, live=live, text="Q", choices=["A", "B"])
    another = World("School B").student_user  # never joined this class
    answer = services.AnswerIn
    results = services.answers_submit(
        live=live,
        answers=[
            answer(world.student_user, question.pk, 1),
            answer(world.student_user, question.pk, 0),  # a double tap in the same batch
            answer(world.student_user, question.pk + 999, 0),
            answer(another, question.pk, 0),
            answer(world.outsider, question.pk, "x"),
        ],
    )
    first, second = results[0], results[1]
    assert isinstance(first, tuple)
    assert first[0].choice == 1
    assert first[1] is True
    assert isinstance(second, tuple)
    assert second[0].choice == 1
    assert second[1] is False
    assert isinstance(results[2], NotFound)
    assert isinstance(results[3], PermissionDenied)
    assert isinstance(results[4], PermissionDenied)
    # A later batch (another phone of the learner): the first answer stands, not charted again.
    later = services.answers_submit(live=live, answers=[answer(world.student_user, question.pk, 0)])
    assert isinstance(later[0], tuple)
    assert later[0][0].choice == 1
    assert later[0][1] is False
    assert list(LiveAnswer.objects.values_list("choice", flat=True)) == [1]

    second_question = services.question_ask(
        actor=world.teacher, live=live, text="Q2", choices=["A", "B"]
    )
    services.question_close(actor=world.teacher, live=live)
    closed = services.answers_submit(
        live=live, answers=[answer(world.student_user, second_question.pk, 0)]
    )
    assert isinstance(closed[0], DomainError)
    assert closed[0].code == "closed"


def test_a_flood_of_comments_in_one_batch_is_limited_per_learner(
    world: World, live: LiveSession
) -> None:
    services.comments_set(actor=world.teacher, live=live, on=True, blocked_words=["笨"])
    sent = [services.CommentIn(world.student_user, f"弹幕 {n}") for n in range(5)]
    sent.append(services.CommentIn(world.student_user, ""))
    results = services.comments_send(live=live, comments=sent)
    kept = [r for r in results if isinstance(r, LiveComment)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(kept) == services.COMMENT_BURST
    assert [r.code for r in refused] == ["too_fast", "too_fast", "validation_failed"]
    assert LiveComment.objects.count() == services.COMMENT_BURST


def test_the_screen_counts_each_answer_once_whatever_order_news_arrives_in() -> None:
    chart = Chart.of({"id": 7, "choices": ["A", "B", "C"]}, [(1, 0), (2, 2)])
    assert chart is not None
    assert chart.counts == [1, 0, 1]
    assert chart.by == []
    chart.add(7, 2, 2)  # news of an answer the screen already had when it connected
    chart.add(7, 3, 1)
    chart.add(7, 3, 1)  # the same news twice
    chart.add(8, 4, 0)  # an answer to another question
    chart.add(7, 5, 9)  # no such option
    assert chart.counts == [1, 1, 1]
    assert chart.by == [3]


def test_the_screen_chart_after_a_reconnect_counts_a_burst_exactly(
    world: World, live: LiveSession
) -> None:
    question = services.question_ask(actor=world.teacher, live=live, text="Q", choices=["A", "B"])
    services.answer_submit(actor=world.student_user, live=live, question_id=question.pk, choice=0)
    teacher = session_cookie(world.teacher)

    async def scenario() -> None:
        screen, ok, _code = await socket(teacher, live.pk)
        assert ok
        state = await receive(screen, "state")
        assert state["counts"] == [1, 0]
        await screen.disconnect()

    async_to_sync(scenario)()


def test_slides_reach_the_phone_and_dont_understand_is_counted_once(
    world: World, live: LiveSession, client: Any
) -> None:
    client.force_login(world.teacher)
    uploaded = client.post(
        f"/learning/live/{live.pk}/slides/",
        {"slides": [png("blue", name="2.png"), png("red", name="1.png")]},
    )
    assert uploaded.status_code == 302
    assert list(LiveSlide.objects.values_list("number", flat=True)) == [1, 2]
    first = client.get(f"/learning/live/{live.pk}/slides/1/")
    assert first["Content-Type"] == "image/jpeg"
    picture = Image.open(BytesIO(b"".join(first.streaming_content)))
    assert picture.getpixel((5, 5))[0] > 200  # 1.png (red) is the first slide
    teacher, student = session_cookie(world.teacher), session_cookie(world.student_user)

    async def scenario() -> None:
        screen, _ok, _code = await socket(teacher, live.pk)
        state = await receive(screen, "state")
        assert state["slide"]["number"] == 1
        assert state["slide"]["total"] == 2
        phone, _ok, _code = await socket(student, live.pk)
        phone_state = await receive(phone, "state")
        assert phone_state["slide"]["url"] == f"/learning/live/{live.pk}/slides/1/"

        await screen.send_json_to({"type": "slide", "number": 2})
        shown = await receive(phone, "slide")
        assert shown["number"] == 2
        assert shown["url"].endswith("/slides/2/")
        await screen.send_json_to({"type": "slide", "number": 3})
        refused = await receive(screen, "error")
        assert refused["message"] == "没有这一页。"

        await phone.send_json_to({"type": "confused", "number": 2})
        assert (await receive(phone, "confused_ok"))["number"] == 2
        counted = await receive(screen, "confused")
        assert counted == {"type": "confused", "number": 2, "count": 1}
        await phone.send_json_to({"type": "confused", "number": 2})  # pressed again
        await receive(phone, "confused_ok")
        await phone.disconnect()
        phone, _ok, _code = await socket(student, live.pk)
        assert (await receive(phone, "state"))["my_confused"] == [2]
        await phone.disconnect()
        await screen.disconnect()

    async_to_sync(scenario)()
    services.live_end(actor=world.teacher, live=live)
    record = client.get(f"/learning/live/{live.pk}/record/").content.decode()
    assert "Stu" in record  # the joined list names learners ...
    assert "<td>1</td>" in record  # ... the slides only count 不懂 (slide 2: one press)


def test_slide_uploads_are_checked_and_another_school_is_kept_out(
    world: World, live: LiveSession, client: Any
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.slides_upload(
            actor=world.teacher,
            live=live,
            files=[png(), SimpleUploadedFile("2.png", b"not an image", content_type="image/png")],
        )
    assert "PNG" in str(refused.value.details["slides"])
    assert not LiveSlide.objects.exists()  # nothing half kept
    with pytest.raises(ValidationFailed):
        services.slides_upload(actor=world.teacher, live=live, files=[])
    with pytest.raises(PermissionDenied):
        services.slides_upload(actor=world.student_user, live=live, files=[png()])
    services.slides_upload(actor=world.teacher, live=live, files=[png()])

    client.force_login(world.teacher)
    page = client.post(
        f"/learning/live/{live.pk}/slides/", {"slides": [SimpleUploadedFile("x.png", b"zz")]}
    )
    assert page.status_code == 302  # back to the screen with the message, the deck unchanged
    assert LiveSlide.objects.count() == 1

    other = World("School B")
    for user in (other.teacher, world.outsider):
        client.force_login(user)
        assert client.get(f"/learning/live/{live.pk}/slides/1/").status_code == 404
        assert (
            client.post(f"/learning/live/{live.pk}/slides/", {"slides": [png()]}).status_code == 404
        )
    with pytest.raises(PermissionDenied):
        services.slide_confused(actor=world.outsider, live=live, number=1)
    assert LiveSlide.objects.count() == 1
