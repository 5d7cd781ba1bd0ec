"""The WebSocket of a live session: one connection per classroom screen or phone.

A connection is authenticated by the session cookie (``AuthMiddlewareStack``) and admitted
only for the course's teachers and for learners who joined by code; others are closed with
4401 (not signed in) or 4404 (no such class for them). Each message names an action; the
consumer calls the service in a worker thread, then tells the groups what changed. On every
(re)connection the client gets the whole state (ADR 0711).
"""

import asyncio
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openvet.core.errors import DomainError, NotFound
from openvet.learning.live import selectors, services
from openvet.learning.live.models import LiveSession

NOT_SIGNED_IN = 4401
NOT_FOUND = 4404


def group_all(live_id: int) -> str:
    return f"live-{live_id}"


def group_screen(live_id: int) -> str:
    return f"live-{live_id}-screen"


def group_user(live_id: int, user_id: int) -> str:
    return f"live-{live_id}-user-{user_id}"


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


class LiveConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    live: LiveSession
    is_teacher: bool
    ticker: "asyncio.Task[None] | None" = None

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
        await self.send_json(await database_sync_to_async(self._state)())
        if self.is_teacher:
            self.ticker = asyncio.create_task(self._tick_sign_in_code())
        else:  # the screen counts the phones that have joined
            joined = await database_sync_to_async(self._joined)()
            await self.channel_layer.group_send(
                group_screen(live_id),
                {"type": "live.event", "data": {"type": "joined", "joined": joined}},
            )

    def _admit(self, live_id: int) -> bool:
        try:
            view = selectors.live_get_for(actor=self.user, live_id=live_id)
        except NotFound:
            return False
        if not view.is_teacher and not selectors.has_joined(actor=self.user, live=view.live):
            return False
        self.live, self.is_teacher = view.live, view.is_teacher
        return True

    def _joined(self) -> int:
        return selectors.joined_count(self.live)

    async def disconnect(self, code: int) -> None:
        if self.ticker is not None:
            self.ticker.cancel()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    def _state(self) -> dict[str, Any]:
        self.live.refresh_from_db()
        if self.is_teacher:
            return selectors.screen_state(self.live)
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

    def _run(self, handler: Any, content: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        with translation.override(self.language):
            self.live.refresh_from_db()
            return list(handler(self, content))

    async def live_event(self, event: dict[str, Any]) -> None:
        data = event["data"]
        if data.get("type") == "ended":
            await self.send_json(data)
            await self.close()
            return
        await self.send_json(data)


def _refusal(exc: DomainError) -> dict[str, Any]:
    details = exc.details if isinstance(exc.details, dict) else {}
    message = str(exc.message)
    if details and message == str(type(exc).default_message):
        message = " ".join(str(v) for v in details.values())
    return {"type": "error", "code": exc.code, "message": message}


Replies = list[tuple[str, dict[str, Any]]]


# Learners' actions ----------------------------------------------------------------------------


def _answer(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    answer, created = services.answer_submit(
        actor=c.user, live=c.live, question_id=content.get("question"), choice=content.get("choice")
    )
    mine = {"type": "answered", "question": answer.question_id, "choice": answer.choice}
    if not created:
        return [("me", mine)]
    counts = selectors.counts_of(answer.question)
    tally = {"type": "tally", "question": answer.question_id, "counts": counts, "by": c.user.pk}
    return [("me", mine), (group_screen(c.live.pk), tally)]


def _comment(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    comment = services.comment_send(actor=c.user, live=c.live, text=content.get("text", ""))
    if not comment.shown:
        message = _("Your comment holds a word the teacher has blocked; it is not shown.")
        return [("me", {"type": "comment_held", "message": message})]
    return [
        ("me", {"type": "comment_sent"}),
        (group_screen(c.live.pk), {"type": "comment", "text": comment.text}),
    ]


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


LEARNER_ACTIONS = {
    "answer": _answer,
    "comment": _comment,
    "hand": _hand,
    "sign_in": _sign_in,
    "state": _resync,
}


# Teachers' actions ----------------------------------------------------------------------------


def _ask(c: LiveConsumer, content: dict[str, Any]) -> Replies:
    question = services.question_ask(
        actor=c.user,
        live=c.live,
        text=str(content.get("text", "")),
        choices=list(content.get("choices") or []),
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
    "state": _screen,
}
