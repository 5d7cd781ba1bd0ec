"""Writes of discussions (ADR 0724-0725).

The course's learners and teachers open topics (of the course or of one unit) and reply, in
rich text sanitised as text units are; a learner posting faster than the limit is refused
with ``TooFast`` (HTTP 429). Teachers pin and lock topics and hide posts with a reason;
moderation is audited. An author edits their own post: a learner for a while after posting,
while the post is shown and the topic open; a teacher any time (ADR 0767).
"""

import html
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.learning import selectors
from openvet.learning.discussions.models import Post, Topic
from openvet.learning.models import OnlineCourse, Unit
from openvet.learning.services import sanitise

MAX_BODY = 10_000
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# A learner may post this many times in the window (teachers are not limited).
POSTS_PER_WINDOW = 5
WINDOW_SECONDS = 60
# A learner may change a post this long after posting it (as Moodle's maximum editing time).
EDIT_MINUTES = 30


class TooFast(Conflict):
    code = "too_fast"
    status = 429
    default_message = gettext_lazy("You are posting too often: wait a minute before posting again.")


class TopicLocked(Conflict):
    code = "topic_locked"
    default_message = gettext_lazy("A teacher has locked this topic: no more replies.")


def _member(actor: Actor, course: OnlineCourse) -> bool:
    """Whether the actor teaches the course; refused unless a learner or teacher."""
    access = selectors.access_of(actor=actor, course=course)
    if not (access.is_teacher or access.is_learner):
        raise NotFound()
    return access.is_teacher


def _body(raw: str) -> str:
    """Rich text as text units keep it; plain text typed on a phone keeps its lines."""
    raw = raw.strip()
    if raw and not HTML_TAG.search(raw):
        raw = linebreaks(escape(raw))
    clean = sanitise(raw)
    if not clean.replace("<p>", "").replace("</p>", "").strip():  # nothing left but paragraphs
        raise ValidationFailed(details={"body": _("Write something to post.")})
    if len(clean) > MAX_BODY:
        raise ValidationFailed(
            details={"body": _("Keep the post under %(n)s characters.") % {"n": MAX_BODY}}
        )
    return clean


def _throttle(actor: Actor, teaches: bool) -> None:
    if teaches:
        return
    window = int(getattr(settings, "LEARNING_POST_WINDOW_SECONDS", WINDOW_SECONDS))
    limit = int(getattr(settings, "LEARNING_POSTS_PER_WINDOW", POSTS_PER_WINDOW))
    since = timezone.now() - timedelta(seconds=window)
    if Post.objects.filter(author_id=actor.pk, created_at__gte=since).count() >= limit:
        raise TooFast()


def topic_create(
    *, actor: Actor, course: OnlineCourse, title: str, body: str, unit: Unit | None = None
) -> Topic:
    teaches = _member(actor, course)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the topic a title.")
    if unit is not None and unit.course_id != course.pk:
        raise NotFound()
    try:
        clean = _body(body)
    except ValidationFailed as exc:
        errors.update(exc.details or {})
    if errors:
        raise ValidationFailed(details=errors)
    with transaction.atomic():
        _throttle(actor, teaches)
        now = timezone.now()
        topic = Topic.objects.create(
            course=course,
            unit=unit,
            title=title.strip()[:200],
            author_id=actor.pk,
            created_at=now,
            last_post_at=now,
        )
        Post.objects.create(topic=topic, author_id=actor.pk, body=clean, created_at=now)
    return topic


def post_reply(*, actor: Actor, topic: Topic, body: str) -> Post:
    teaches = _member(actor, topic.course)
    clean = _body(body)
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if topic.locked and not teaches:
            raise TopicLocked()
        _throttle(actor, teaches)
        now = timezone.now()
        post = Post.objects.create(topic=topic, author_id=actor.pk, body=clean, created_at=now)
        topic.last_post_at = now
        topic.save(update_fields=["last_post_at"])
    return post


class EditClosed(Conflict):
    code = "edit_closed"
    default_message = gettext_lazy("This post can no longer be changed.")


_PLAIN_MARKUP = re.compile(r"</?p>|<br\s*/?>")


def text_for_editing(body: str) -> str:
    """A post typed as plain text goes back into the form as it was typed (``_body`` wrapped it
    in paragraphs and line breaks); a post with other markup goes back as its HTML."""
    if HTML_TAG.search(_PLAIN_MARKUP.sub("", body)):
        return body
    text = re.sub(r"<br\s*/?>\n?", "\n", body)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    return html.unescape(_PLAIN_MARKUP.sub("", text)).strip()


def edit_minutes() -> int:
    return int(getattr(settings, "LEARNING_POST_EDIT_MINUTES", EDIT_MINUTES))


def may_edit(post: Post, *, actor: Actor, teaches: bool, now: datetime) -> bool:
    """Whether ``actor`` may change ``post`` now: their own, shown; a learner's only within
    the editing time and while the topic is open."""
    if post.author_id != actor.pk or post.hidden_at is not None:
        return False
    if teaches:
        return True
    open_until = post.created_at + timedelta(minutes=edit_minutes())
    return now < open_until and not post.topic.locked


def post_edit(*, actor: Actor, post: Post, body: str) -> Post:
    """The author's new text of their post, sanitised as a reply is."""
    teaches = _member(actor, post.topic.course)
    if post.author_id != actor.pk:
        raise NotFound()
    clean = _body(body)
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        now = timezone.now()
        if not may_edit(post, actor=actor, teaches=teaches, now=now):
            raise EditClosed()
        if post.body != clean:
            post.body = clean
            post.edited_at = now
            post.save(update_fields=["body", "edited_at"])
    return post


def _require_teacher(actor: Actor, course: OnlineCourse) -> None:
    if not _member(actor, course):
        raise PermissionDenied(_("Only the course's teachers moderate its discussions."))


def topic_set(
    *, actor: Actor, topic: Topic, pinned: bool | None = None, locked: bool | None = None
) -> Topic:
    """Pin or unpin, lock or unlock a topic."""
    _require_teacher(actor, topic.course)
    changes: dict[str, bool] = {}
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if pinned is not None and topic.pinned != pinned:
            topic.pinned = changes["pinned"] = pinned
        if locked is not None and topic.locked != locked:
            topic.locked = changes["locked"] = locked
        if changes:
            topic.save(update_fields=list(changes))
            audit_record(
                action=AuditAction.UPDATE,
                obj=topic,
                org=topic.course.org,
                actor=actor,
                changes=changes,
            )
    return topic


def post_hide(*, actor: Actor, post: Post, reason: str) -> Post:
    """Hide a post from students with a reason they see; the text stays for teachers."""
    _require_teacher(actor, post.topic.course)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(details={"reason": _("Say why the post is hidden.")})
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        post.hidden_at = timezone.now()
        post.hidden_by_id = actor.pk
        post.hidden_reason = reason[:200]
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        audit_record(
            action=AuditAction.UPDATE,
            obj=post,
            org=post.topic.course.org,
            actor=actor,
            changes={"hidden": reason[:200]},
            object_label=post.topic.title,
        )
    return post


def post_show(*, actor: Actor, post: Post) -> Post:
    """Show a hidden post again."""
    _require_teacher(actor, post.topic.course)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        post.hidden_at = None
        post.hidden_by = None
        post.hidden_reason = ""
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        audit_record(
            action=AuditAction.UPDATE,
            obj=post,
            org=post.topic.course.org,
            actor=actor,
            changes={"hidden": ""},
            object_label=post.topic.title,
        )
    return post
