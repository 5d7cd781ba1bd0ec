"""The WebSocket of a live session: one connection per classroom screen or phone.

A connection is authenticated by the session cookie (``AuthMiddlewareStack``) and admitted
only for the course's teachers and for learners who joined by code; others are closed with
4401 (not signed in) or 4404 (no such class for them). Each message names an action; the
consumer calls the service in a worker thread, then tells the groups what changed. Answers
and comments go through ``batch`` instead (ADR 0740): written with the others of the moment,
the screen told once per batch, and the screen's consumer keeps the chart (``Chart``). On
every (re)connection the client gets the whole state (ADR 0711).
"""

import asyncio
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openvet.core.errors import DomainError, NotFound
from openvet.learning.live import batch, groups, selectors, services
from openvet.learning.live.models import LiveAnswer, LiveComment, LiveGroupAnswer, LiveSession

Replies = list[tuple[str, dict[str, Any]]]

NOT_SIGNED_IN = 4401
NOT_FOUND = 4404


def group_all(live_id: int) -> str:
    return f"live-{live_id}"


def group_screen(live_id: int) -> str:
    return f"live-{live_id}-screen"


def group_user(live_id: int, user_id: int) -> str:
    return f"live-{live_id}-user-{user_id}"


def group_team(live_id: int, group_id: int) -> str:
    """The phones of one group of the class (ADR 0743): its members and its answers."""
    return f"live-{live_id}-group-{group_id}"


def _language(scope: dict[str, Any]) -> str:
    """The language of the page that opened the socket (its Accept-Language)."""
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    for part in accept.split(","):
        tag = part.split(";")[0].strip()
        if not tag:
            continue
        try:
            return translation.get_supported_language_variant(tag)
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)


PUSH_SECONDS = 0.1  # the screen's chart is redrawn at most this often


@dataclass
class Chart:
    """The open question's counts as the screen knows them: the answers in the database when
    it (re)connected, then each new answer once (``seen``), whatever order news arrives in."""

    question: int
    counts: list[int]
    seen: set[int] = field(default_factory=set)
    by: list[int] = field(default_factory=list)
    pushed_at: float = 0.0

    @classmethod
    def of(cls, question: dict[str, Any] | None, given: list[tuple[int, int]]) -> "Chart | None":
        if not question:
            return None
        chart = cls(question["id"], [0] * len(question["choices"]))
        for user_id, choice in given:
            chart.count(user_id, choice)
        chart.by = []
        return chart

    def count(self, user_id: int, choice: int) -> None:
        if user_id in self.seen or not 0 <= choice < len(self.counts):
            return
        self.seen.add(user_id)
        self.counts[choice] += 1
        self.by.append(user_id)

    def add(self, question_id: int, user_id: int, choice: int) -> None:
        if question_id == self.question:
            self.count(user_id, choice)


def _write_answers(live: LiveSession, items: list[Any]) -> list[Any]:
    return services.answers_submit(live=live, answers=items)


def _write_comments(live: LiveSession, items: list[Any]) -> list[Any]:
    return services.comments_send(live=live, comments=items)


async def _answers_done(live_id: int, items: list[Any], results: list[Any]) -> None:
    """One message to the screens with the batch's new answers; a group's answer also to the
    group's phones, with who answered (ADR 0744)."""
    answered = [r for r in results if isinstance(r, tuple)]
    new = [
        [answer.question_id, answer.user_id, answer.choice]
        for answer, created in answered
        if created and isinstance(answer, LiveAnswer)
    ]
    layer = get_channel_layer()
    if new:
        await layer.group_send(group_screen(live_id), {"type": "live.answers", "answers": new})
    by_group = {
        answer.group_id: groups.group_answer_data(answer, answer.by_name)
        for answer, _created in answered
        if isinstance(answer, LiveGroupAnswer)
    }
    if not by_group:
        return
    await layer.group_send(
        group_screen(live_id),
        {
            "type": "live.event",
            "data": {"type": "group_answers", "answers": list(by_group.values())},
        },
    )
    for group_id, data in by_group.items():
        await layer.group_send(
            group_team(live_id, group_id),
            {"type": "live.event", "data": {"type": "group_answer", "answer": data}},
        )


async def _comments_done(live_id: int, items: list[Any], results: list[Any]) -> None:
    """One message to the screens with the batch's comments to show."""
    shown = [r.text for r in results if isinstance(r, LiveComment) and r.shown]
    if shown:
        await get_channel_layer().group_send(
            group_screen(live_id), {"type": "live.comments", "texts": shown}
        )


class LiveConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    live: LiveSession
    is_teacher: bool
    ticker: "asyncio.Task[None] | None" = None
    chart: Chart | None = None
    pusher: asyncio.TimerHandle | None = None
    team: int | None = None  # a phone's group now (its channel group is joined)
    remote = False

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        self.language = _language(self.scope)
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=NOT_SIGNED_IN)
            return
        live_id = int(self.scope["url_route"]["kwargs"]["live_id"])
        admitted = await database_sync_to_async(self._admit)(live_id)
        if not admitted:
            await self.close(code=NOT_FOUND)
            return
        self.groups_joined = [group_all(live_id), group_user(live_id, self.user.pk)]
        if self.is_teacher:
            self.groups_joined.append(group_screen(live_id))
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        state, news = await database_sync_to_async(self._state_and_news)()
        await self._follow_team(state.get("group"))
        await self.send_json(state)
        if self.is_teacher:
            self.ticker = asyncio.create_task(self._tick_sign_in_code())
        for target, message in news:  # the screen counts the phones that have joined
            await self.channel_layer.group_send(target, {"type": "live.event", "data": message})

    def _admit(self, live_id: int) -> bool:
        try:
            view = selectors.live_get_for(actor=self.user, live_id=live_id)
        except NotFound:
            return False
        self.live, self.is_teacher = view.live, view.is_teacher
        if view.is_teacher:
            return True
        participant = selectors.participant_of(actor=self.user, live=view.live)
        if participant is None:
            return False
        self.remote = participant.remote
        return True

    def _state_and_news(self) -> tuple[dict[str, Any], Replies]:
        """The state to send, and for a phone what the screen (and its group) learn of it:
        one hop to the database thread instead of several (ADR 0740)."""
        state = self._state()
        if self.is_teacher:
            return state, []
        live_id = self.live.pk
        joined = selectors.joined_count(self.live)
        news: Replies = [(group_screen(live_id), {"type": "joined", "joined": joined})]
        if self.remote:
            remote = groups.remote_of(self.live)
            news.append((group_screen(live_id), {"type": "remote", "remote": remote}))
        if state.get("group"):
            news += _team_news(live_id, state["group"])
        return state, news

    async def _follow_team(self, group: dict[str, Any] | None) -> None:
        """Listen to the phone's group now (after joining, a new round, a choice)."""
        if self.is_teacher:
            return
        wanted = group["id"] if group else None
        if wanted == self.team:
            return
        live_id = self.live.pk
        if self.team is not None:
            old = group_team(live_id, self.team)
            await self.channel_layer.group_discard(old, self.channel_name)
            self.groups_joined.remove(old)
        self.team = wanted
        if wanted is not None:
            new = group_team(live_id, wanted)
            await self.channel_layer.group_add(new, self.channel_name)
            self.groups_joined.append(new)

    async def disconnect(self, code: int) -> None:
        if self.ticker is not None:
            self.ticker.cancel()
        if self.pusher is not None:
            self.pusher.cancel()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    def _state(self) -> dict[str, Any]:
        self.live.refresh_from_db()
        if self.is_teacher:
            state = selectors.screen_state(self.live)
            question = state["question"]
            given = selectors.answers_of(question["id"]) if question else []
            self.chart = Chart.of(question, given)
            if self.chart is not None:
                state["counts"] = list(self.chart.counts)
            return state
        return selectors.phone_state(self.live, self.user)

    async def _tick_sign_in_code(self) -> None:
        """The attendance code rotates every minute; the screen is sent each new one."""
        shown = None
        while True:
            await asyncio.sleep(2)
            code = await database_sync_to_async(self._sign_in_code)()
            if code is not None and code["code"] != shown:
                shown = code["code"]
                await self.send_json({"type": "sign_in", "sign_in": code})

    def _sign_in_code(self) -> dict[str, Any] | None:
        if self.live.attendance_id is None:
            self.live.refresh_from_db(fields=["attendance"])
        return selectors.sign_in_code(self.live)

    # Messages from the client -------------------------------------------------------------

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        action = content.get("type") if isinstance(content, dict) else None
        if not self.is_teacher and action in BATCHED:
            await self._batched(str(action), content)
            return
        handlers = TEACHER_ACTIONS if self.is_teacher else LEARNER_ACTIONS
        handler = handlers.get(str(action))
        with translation.override(self.language):
            if handler is None:
                await self.send_json(
                    {
                        "type": "error",
                        "code": "unknown",
                        "message": _("This action is not available here."),
                    }
                )
                return
            try:
                replies = await database_sync_to_async(self._run)(handler, content)
            except DomainError as exc:
                await self.send_json(_refusal(exc))
                return
        for target, message in replies:
            if target == "me":
                await self.send_json(message)
            else:
                await self.channel_layer.group_send(target, {"type": "live.event", "data": message})

    async def _batched(self, action: str, content: dict[str, Any]) -> None:
        """Answers and comments: written with the others of the moment in one transaction,
        the screen told once per batch (ADR 0740); the phone hears of its own."""
        live_id = self.live.pk
        try:
            if action == "answer":
                item = services.AnswerIn(
                    self.user, content.get("question"), content.get("choice"), content.get("group")
                )
                answer, _created = await batch.submit(
                    ("answer", live_id),
                    item,
                    partial(_write_answers, self.live),
                    partial(_answers_done, live_id),
                )
                mine = {
                    "type": "answered",
                    "question": answer.question_id,
                    "choice": answer.choice,
                    "for_group": isinstance(answer, LiveGroupAnswer),
                }
                await self.send_json(mine)
                return
            comment_in = services.CommentIn(self.user, content.get("text", ""))
            comment = await batch.submit(
                ("comment", live_id),
                comment_in,
                partial(_write_comments, self.live),
                partial(_comments_done, live_id),
            )
        except DomainError as exc:
            with translation.override(self.language):
                await self.send_json(_refusal(exc))
            return
        if comment.shown:
            await self.send_json({"type": "comment_sent"})
        else:
            with translation.override(self.language):
                message = _("Your comment holds a word the teacher has blocked; it is not shown.")
            await self.send_json({"type": "comment_held", "message": message})

    def _run(self, handler: Any, content: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        with translation.override(self.language):
            self.live.refresh_from_db()
            return list(handler(self, content))

    async def live_event(self, event: dict[str, Any]) -> None:
        data = event["data"]
        kind = data.get("type")
        if kind == "ended":
            await self.send_json(data)
            await self.close()
            return
        if self.is_teacher and kind == "question":
            self.chart = Chart.of(data.get("question"), [])
        if kind == "grouped":
            data = await self._grouped(data)
        elif kind == "my_group":
            await self._follow_team(data.get("group"))
            data = {"type": "group", "group": data.get("group")}
        elif kind == "group" and not self.is_teacher and data["group"].get("id") != self.team:
            return  # a group the phone has just left
        await self.send_json(data)

    async def _grouped(self, data: dict[str, Any]) -> dict[str, Any]:
        """A new round of groups: the screen sees all groups; a phone its own (and, when the
        learners choose, the list to choose from)."""
        message = {"type": "grouped", "grouping": data["grouping"]}
        if self.is_teacher:
            return {**message, "groups": data["groups"]}
        mine = data["assignments"].get(str(self.user.pk))
        group = next((g for g in data["groups"] if g["id"] == mine), None)
        await self._follow_team(group)
        choose = data["groups"] if data["grouping"] == groups.CHOICE else []
        return {**message, "group": group, "groups": choose}

    # The screen's chart: counted here from the batches' news, pushed at most every 100 ms.

    async def live_answers(self, event: dict[str, Any]) -> None:
        chart = self.chart
        if chart is None:
            return
        for question_id, user_id, choice in event["answers"]:
            chart.add(question_id, user_id, choice)
        if chart.by and self.pusher is None:
            wait = max(0.0, chart.pushed_at + PUSH_SECONDS - time.monotonic())
            self.pusher = asyncio.get_running_loop().call_later(
                wait, lambda: asyncio.ensure_future(self._push_chart())
            )

    async def _push_chart(self) -> None:
        self.pusher = None
        chart = self.chart
        if chart is None or not chart.by:
            return
        by, chart.by = chart.by, []
        chart.pushed_at = time.monotonic()
        await self.send_json(
            {"type": "tally", "question": chart.question, "counts": list(chart.counts), "by": by}
        )

    async def live_comments(self, event: dict[str, Any]) -> None:
        for text in event["texts"]:
            await self.send_json({"type": "comment", "text": text})


def _refusal(exc: DomainError) -> dict[str, Any]:
    details = exc.details if isinstance(exc.details, dict) else {}
    message = str(exc.message)
    if details and message == str(type(exc).default_message):
        message = " ".join(str(v) for v in details.values())
    return {"type": "error", "code": exc.code, "message": message}


# Learners' actions ----------------------------------------------------------------------------


def _hand(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    raised = bool(content.get("raised"))
    services.hand_set(actor=c.user, live=c.live, raised=raised)
    return [
        ("me", {"type": "hand", "raised": raised}),
        (group_screen(c.live.pk), {"type": "hands", "hands": selectors.hands_of(c.live)}),
    ]


def _sign_in(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    services.sign_in(actor=c.user, live=c.live, code=str(content.get("code", "")))
    return [
        ("me", {"type": "signed"}),
        (group_screen(c.live.pk), {"type": "signed", "signed": selectors.signed_count(c.live)}),
    ]


def _resync(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    return [("me", selectors.phone_state(c.live, c.user))]


def _team_news(live_id: int, group: dict[str, Any]) -> Replies:
    """A group's members changed: its phones and the screen are told."""
    message = {"type": "group", "group": group}
    return [(group_team(live_id, group["id"]), message), (group_screen(live_id), message)]


def _choose_group(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    old = selectors.participant_of(actor=c.user, live=c.live)
    left = old.group if old is not None else None
    group = groups.group_choose(actor=c.user, live=c.live, group_id=content.get("group"))
    data = groups.group_data(group)
    replies: Replies = [(group_user(c.live.pk, c.user.pk), {"type": "my_group", "group": data})]
    if left is not None and left.pk != group.pk:
        replies += _team_news(c.live.pk, groups.group_data(left) or {})
    return replies + _team_news(c.live.pk, data or {})


def _confused(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    number, new = services.slide_confused(actor=c.user, live=c.live, number=content.get("number"))
    replies: Replies = [("me", {"type": "confused_ok", "number": number})]
    if new:
        count = selectors.confused_of(c.live, number)
        replies.append(
            (group_screen(c.live.pk), {"type": "confused", "number": number, "count": count})
        )
    return replies


BATCHED = {"answer", "comment"}  # written in batches (``LiveConsumer._batched``)

LEARNER_ACTIONS = {
    "hand": _hand,
    "sign_in": _sign_in,
    "confused": _confused,
    "choose_group": _choose_group,
    "state": _resync,
}


# Teachers' actions ----------------------------------------------------------------------------


def _ask(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    question = services.question_ask(
        actor=c.user,
        live=c.live,
        text=str(content.get("text", "")),
        choices=list(content.get("choices") or []),
        for_groups=bool(content.get("for_groups")),
    )
    data = selectors.question_data(question)
    return [
        (group_all(c.live.pk), {"type": "question", "question": data, "my_choice": None}),
        (
            group_screen(c.live.pk),
            {
                "type": "tally",
                "question": question.pk,
                "counts": [0] * len(question.choices),
                "by": None,
            },
        ),
    ]


def _close(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    services.question_close(actor=c.user, live=c.live)
    return [(group_all(c.live.pk), {"type": "question", "question": None, "my_choice": None})]


def _call(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    chosen = services.random_call(actor=c.user, live=c.live)
    name = chosen.user.full_name or chosen.user.username
    return [
        (group_screen(c.live.pk), {"type": "called", "name": name}),
        (group_user(c.live.pk, chosen.user_id), {"type": "called_you"}),
    ]


def _lower(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    user_id = content.get("user")
    services.hand_lower(actor=c.user, live=c.live, user_id=user_id)
    replies: Replies = [
        (group_screen(c.live.pk), {"type": "hands", "hands": selectors.hands_of(c.live)})
    ]
    if isinstance(user_id, int):
        replies.append((group_user(c.live.pk, user_id), {"type": "hand", "raised": False}))
    return replies


def _filter(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    words = content.get("blocked_words") or []
    live = services.comments_set(
        actor=c.user,
        live=c.live,
        on=bool(content.get("on")),
        blocked_words=list(words) if isinstance(words, list) else [],
    )
    return [
        (
            group_all(c.live.pk),
            {"type": "comments", "on": live.comments_on, "blocked_words": live.blocked_words},
        ),
    ]


def _open_sign_in(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    services.sign_in_open(actor=c.user, live=c.live)
    return [
        (group_all(c.live.pk), {"type": "sign_in_open"}),
        ("me", {"type": "sign_in", "sign_in": selectors.sign_in_code(c.live)}),
    ]


def _end(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    services.live_end(actor=c.user, live=c.live, now=timezone.now())
    return [(group_all(c.live.pk), {"type": "ended"})]


def _slide(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    services.slide_show(actor=c.user, live=c.live, number=content.get("number"))
    return [(group_all(c.live.pk), selectors.slide_message(c.live))]


def _form_groups(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    live = groups.groups_form(
        actor=c.user,
        live=c.live,
        mode=content.get("mode"),
        size=content.get("size"),
        count=content.get("count"),
    )
    return [(group_all(c.live.pk), groups.grouped_message(live))]


def _screen(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    return [("me", selectors.screen_state(c.live))]


TEACHER_ACTIONS = {
    "ask": _ask,
    "close": _close,
    "call": _call,
    "lower": _lower,
    "comments": _filter,
    "open_sign_in": _open_sign_in,
    "end": _end,
    "slide": _slide,
    "groups": _form_groups,
    "state": _screen,
}
