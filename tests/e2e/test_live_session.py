"""A live class in two browsers against a real ASGI server (uvicorn, with WebSockets): the
teacher starts it from the course page and shows the classroom screen; a student joins on
the phone with the code, signs in with the attendance code of the lecture under way,
answers the instant question and sends a bullet comment; the screen's chart counts the
answer and the comment appears, without reloading either page. The teacher forms groups and
asks a group question; a classmate on leave follows remotely."""

import re
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from io import BytesIO
from types import SimpleNamespace
from typing import Any

import pytest
import uvicorn
from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import override, pgettext
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from openvet.core.roles import Role
from openvet.identity.tests.factories import UserFactory, grant
from openvet.learning import services as learning
from openvet.learning.live.models import LiveAnswer, LiveSession
from openvet.learning.live.routing import websocket_application
from openvet.records.tests.factories import student as records_student
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORTS, Campus, Checkpoint, PageProblems
from tests.e2e.helpers import sign_in, tr
from tests.e2e.teaching_support import lecture_now, student_record


@pytest.fixture
def asgi_server(
    teaching: Campus, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """uvicorn in a thread, serving pages and WebSockets as `make demo` does.

    On the in-memory SQLite test database every thread must use the test's own connection
    (the live server's), as Django's live server threads do; on PostgreSQL each thread opens
    its own connection, as in production.
    """
    shared = live_server.thread.connections_override.get(DEFAULT_DB_ALIAS)
    if shared is not None:
        handler = type(connections)
        original = handler.__getitem__
        monkeypatch.setattr(
            handler,
            "__getitem__",
            lambda self, alias: shared if alias == DEFAULT_DB_ALIAS else original(self, alias),
        )
    application = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(get_asgi_application()),
            "websocket": websocket_application,
        }
    )
    # A port the system chooses: the phone and desktop runs may start at once on two workers.
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    config = uvicorn.Config(application, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    base = f"http://127.0.0.1:{port}"
    # The first request loads the URLconf and templates: take it here, not in a page's timeout.
    with urllib.request.urlopen(base + "/accounts/login/", timeout=120) as first:  # noqa: S310
        assert first.status == 200
    yield base
    server.should_exit = True
    thread.join(10)
    listening.close()


def remote_student(classmate: Any, password: str) -> Any:
    """Another student of the class, with an account."""
    user = UserFactory(home_org=classmate.class_unit, full_name="请假同学")
    user.set_password(password)
    user.save()
    grant(user, Role.STUDENT, classmate.class_unit)
    holder = SimpleNamespace(
        school=classmate.school,
        department=classmate.department,
        major=classmate.major,
        klass=classmate.class_unit,
    )
    records_student(holder, user=user, class_unit=classmate.class_unit, grade_year=2024)
    return user


def _png(name: str, colour: str) -> dict[str, Any]:
    out = BytesIO()
    Image.new("RGB", (320, 180), colour).save(out, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": out.getvalue()}


def _browser(chromium: Browser, viewport: str, base_url: str, problems: PageProblems) -> Page:
    context = chromium.new_context(
        **VIEWPORTS[viewport], base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(TIMEOUT_MS)
    # uvicorn runs in this process's threads and serves static files itself: the first page
    # of a cold browser context takes longer than on the live server.
    context.set_default_navigation_timeout(3 * TIMEOUT_MS)
    page = context.new_page()
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    return page


def test_a_student_joins_signs_in_answers_and_comments_live(
    chromium: Browser,
    viewport: str,
    asgi_server: str,
    teaching: Campus,
    checkpoint: Checkpoint,
    page_problems: PageProblems,
) -> None:
    student = student_record(teaching.user("student1"))
    lecture = lecture_now(
        admin=teaching.user("admin1"),
        teacher=teaching.user("teacher1"),
        class_unit=student.class_unit,
    )
    course = learning.course_create(
        actor=teaching.user("teacher1"), task=lecture.task, title="数控编程（课堂互动）"
    )
    screen = _browser(chromium, viewport, asgi_server, page_problems)
    phone = _browser(chromium, viewport, asgi_server, page_problems)

    # The teacher starts the live class from the course page.
    sign_in(screen, "teacher1", teaching.password)
    screen.goto(f"/learning/courses/{course.pk}/")
    screen.get_by_role("button", name=tr("Start a live class")).click()
    live = LiveSession.objects.get(course=course)
    expect(screen.locator("#live-code")).to_have_text(live.code)
    expect(screen.locator("#live-status")).to_have_text(tr("Connected"))
    screen.get_by_role("button", name=tr("Open sign-in for this lecture")).click()
    expect(screen.locator("#signin-value")).to_have_text(re.compile(r"^\d{6}$"))
    checkpoint(screen, "screen")

    # The student scans the QR (the join page with the code filled in) and joins.
    sign_in(phone, "student1", teaching.password)
    phone.goto(f"/learning/live/join/?code={live.code}")
    expect(phone.get_by_label(tr("Class code"))).to_have_value(live.code)
    checkpoint(phone, "join")
    phone.get_by_role("button", name=tr("Join"), exact=True).click()
    expect(phone.locator("#live-status")).to_have_text(tr("Connected"))
    expect(screen.locator("#live-joined")).to_have_text("1")

    # Sign-in is the attendance session of the lecture: the code on the screen.
    code = screen.locator("#signin-value").inner_text()
    with override("zh-hans"):
        sign_in_word = pgettext("attendance", "Sign in")
    phone.get_by_label(tr("Sign-in code on the screen")).fill(code)
    phone.get_by_role("button", name=sign_in_word, exact=True).click()
    expect(phone.get_by_text(tr("You have signed in."))).to_be_visible()
    expect(screen.locator("#signin-count")).to_have_text("1")

    # An instant question: the phone shows it at once, the answer reaches the chart.
    screen.get_by_label(tr("Question")).fill("G00 指令的含义是？")
    screen.get_by_label(tr("Options, one per line")).fill("快速定位\n直线插补\n圆弧插补")
    screen.get_by_role("button", name=tr("Ask the class")).click()
    expect(phone.locator("#question-text")).to_have_text("G00 指令的含义是？")
    phone.get_by_role("button", name="A. 快速定位").click()
    expect(phone.locator("#question-note")).to_contain_text(tr("Your answer is in:"))
    tally = screen.locator("#question-tally li").first
    expect(tally).to_have_text(f"A. 快速定位 — 1 {tr('answers')}")
    checkpoint(phone, "answered")

    # A bullet comment flies over the screen; a blocked word stays off it.
    phone.get_by_role("textbox", name=tr("Bullet comment")).fill("明白了！")
    phone.get_by_role("button", name=tr("Send")).click()
    expect(phone.locator("#comment-note")).to_have_text(tr("Sent to the screen."))
    expect(screen.locator("#comments-log")).to_contain_text("明白了！")
    expect(screen.locator(".live-bullet").filter(has_text="明白了！")).to_have_count(1)
    checkpoint(screen, "chart and comment")

    # Slides: the teacher uploads two images; the phone shows the slide the screen shows, and
    # a 不懂 on it is counted on the screen (anonymously) once.
    screen.get_by_label(
        tr("Upload the slides (PNG or JPEG images, in name order)")
    ).set_input_files([_png("1.png", "navy"), _png("2.png", "darkred")])
    screen.get_by_role("button", name=tr("Upload"), exact=True).click()
    expect(screen.locator("#slide-position")).to_have_text("1 / 2")
    expect(screen.locator("#live-status")).to_have_text(tr("Connected"))
    expect(phone.locator("#slide-position")).to_have_text("1 / 2")
    screen.get_by_role("button", name=tr("Next"), exact=True).click()
    expect(phone.locator("#slide-position")).to_have_text("2 / 2")
    expect(phone.locator("#slide-image")).to_have_attribute("src", re.compile(r"/slides/2/$"))
    phone.get_by_role("button", name=tr("I don't understand (anonymous)")).click()
    expect(phone.locator("#slide-note")).to_have_text(
        tr("Sent anonymously: the teacher sees only how many did not understand.")
    )
    expect(screen.locator("#slide-confused")).to_have_text("1")
    checkpoint(phone, "slide")
    checkpoint(screen, "slide and 不懂")

    # The phone reloads (as after a dropped connection): its answer is still its answer.
    phone.reload()
    expect(phone.get_by_role("button", name="A. 快速定位")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert LiveAnswer.objects.filter(question__session=live).count() == 1

    # Groups at random; a group question answered for the group, seen on the phone and the
    # screen with who answered.
    name = teaching.full_name("student1")
    screen.get_by_label(tr("Members per group")).fill("2")
    screen.get_by_role("button", name=tr("Form groups"), exact=True).click()
    group_one = tr("Group %(n)s").replace("%(n)s", "1")
    expect(screen.locator("#groups-list")).to_contain_text(f"{group_one}：{name}")
    expect(phone.locator("#group-name")).to_have_text(group_one)
    screen.get_by_label(tr("Question")).fill("哪组先完成对刀？")
    screen.get_by_label(tr("Options, one per line")).fill("对刀\n装夹")
    screen.get_by_label(tr("Ask as a group question (one answer per group)")).check()
    screen.get_by_role("button", name=tr("Ask the class")).click()
    expect(phone.locator("#question-kind")).to_be_visible()
    phone.get_by_role("button", name="B. 装夹").click()
    expect(phone.locator("#question-note")).to_contain_text(f"B（{name}")
    expect(screen.locator("#group-answers")).to_contain_text(f"{group_one}：B（{name}")
    checkpoint(phone, "group answer")

    # A classmate on leave follows from home: sees the question, is listed on the screen.
    follower = remote_student(student, teaching.password)
    away = _browser(chromium, viewport, asgi_server, page_problems)
    sign_in(away, follower.username, teaching.password)
    away.goto(f"/learning/courses/{course.pk}/")
    away.get_by_role("button", name=tr("Follow remotely")).click()
    expect(away.locator("#live-remote")).to_have_text(tr("Following remotely"))
    expect(away.locator("#question-text")).to_have_text("哪组先完成对刀？")
    expect(away.locator("#signin-card")).to_be_hidden()
    expect(screen.locator("#remote-list")).to_have_text(follower.full_name)
    expect(screen.locator("#live-joined")).to_have_text("1")  # in the room: followers apart
    checkpoint(away, "remote")
    checkpoint(screen, "groups and remote")
    away.context.close()

    # The class ends; its record stays with the course.
    screen.get_by_role("button", name=tr("End the class")).click()
    # The screen's own heading is the course title too: wait for the record page itself.
    expect(screen).to_have_url(re.compile(rf"/learning/live/{live.pk}/record/$"))
    expect(screen.get_by_role("heading", level=1)).to_have_text("数控编程（课堂互动）")
    expect(screen.get_by_text("G00 指令的含义是？")).to_be_visible()
    checkpoint(screen, "record")
    screen.context.close()
    phone.context.close()
    assert not page_problems.errors, "\n".join(page_problems.errors)
