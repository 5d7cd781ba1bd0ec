"""Discussions of a course and its units: sanitised posts, teacher moderation (pin, lock, hide
with a reason), the flood limit, and only the course's learners and teachers inside
(ADR 0724-0725)."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from openvet.core.errors import NotFound, PermissionDenied
from openvet.learning.discussions import selectors as talk
from openvet.learning.discussions import services as discuss
from openvet.learning.discussions.models import Post, Topic
from openvet.learning.tests.conftest import World
from openvet.learning.tests.test_views import client_for


def test_posts_are_sanitised_and_plain_text_keeps_its_lines(world: World) -> None:
    topic = discuss.topic_create(
        actor=world.student_user,
        course=world.course,
        title="Chatter",
        body='<p onclick="x()">Why <script>alert(1)</script>chatter?</p>',
    )
    reply = discuss.post_reply(
        actor=world.teacher, topic=topic, body="Check the tool.\nThen 1 < 2."
    )
    first = topic.posts.first()
    assert first is not None
    assert first.body == "<p>Why chatter?</p>"
    assert reply.body == "<p>Check the tool.<br>Then 1 &lt; 2.</p>"
    with pytest.raises(discuss.ValidationFailed) as empty:
        discuss.post_reply(actor=world.student_user, topic=topic, body="<p> </p>")
    assert "body" in empty.value.details


def test_teachers_pin_lock_and_hide_and_students_cannot(world: World) -> None:
    older = discuss.topic_create(
        actor=world.student_user, course=world.course, title="Old", body="a"
    )
    topic = discuss.topic_create(
        actor=world.student_user, course=world.course, title="Rude", body="b"
    )
    discuss.topic_set(actor=world.teacher, topic=older, pinned=True)
    assert [t.title for t in talk.topics_of(world.course)] == ["Old", "Rude"]
    post = discuss.post_reply(actor=world.student_user, topic=topic, body="something rude")
    with pytest.raises(PermissionDenied):
        discuss.post_hide(actor=world.student_user, post=post, reason="no")
    with pytest.raises(PermissionDenied):
        discuss.topic_set(actor=world.student_user, topic=topic, locked=True)
    with pytest.raises(discuss.ValidationFailed):
        discuss.post_hide(actor=world.teacher, post=post, reason=" ")
    discuss.post_hide(actor=world.teacher, post=post, reason="不文明用语")
    discuss.topic_set(actor=world.teacher, topic=topic, locked=True)
    with pytest.raises(discuss.TopicLocked):
        discuss.post_reply(actor=world.student_user, topic=topic, body="more")
    discuss.post_reply(actor=world.teacher, topic=topic, body="Closed.")
    url = reverse("learning:topic-detail", args=[topic.pk])
    student_page = client_for(world.student_user).get(url).content.decode()
    assert "已被教师隐藏：不文明用语" in student_page
    assert "something rude" not in student_page
    assert "教师已锁定此主题，不能再回复。" in student_page
    assert "something rude" in client_for(world.teacher).get(url).content.decode()
    denied = client_for(world.student_user).post(url, {"action": "pin"})
    assert denied.status_code == 403
    assert not Topic.objects.get(pk=topic.pk).pinned


def test_a_flood_is_refused_with_a_429_and_what_was_typed_kept(world: World) -> None:
    topic = discuss.topic_create(
        actor=world.student_user, course=world.course, title="Flood", body="1"
    )
    for n in range(discuss.POSTS_PER_WINDOW - 1):
        discuss.post_reply(actor=world.student_user, topic=topic, body=f"reply {n}")
    count = Post.objects.count()
    with pytest.raises(discuss.TooFast):
        discuss.post_reply(actor=world.student_user, topic=topic, body="one more")
    page = client_for(world.student_user).post(
        reverse("learning:topic-detail", args=[topic.pk]), {"action": "reply", "body": "再来一条"}
    )
    assert page.status_code == 429
    assert "发帖太频繁" in page.content.decode()
    assert "再来一条" in page.content.decode()
    assert Post.objects.count() == count
    discuss.post_reply(actor=world.teacher, topic=topic, body="Teachers are not limited.")


def test_unit_topics_and_outsiders_get_404(world: World, other_world: World) -> None:
    unit = world.text_unit()
    topic = discuss.topic_create(
        actor=world.student_user, course=world.course, title="On safety", body="x", unit=unit
    )
    discuss.topic_create(actor=world.teacher, course=world.course, title="General", body="y")
    assert [t.title for t in talk.topics_of(world.course, unit.pk)] == ["On safety"]
    member = client_for(world.student_user)
    list_url = reverse("learning:topic-list", args=[world.course.pk])
    assert "On safety" in member.get(f"{list_url}?unit={unit.pk}").content.decode()
    other_unit = other_world.text_unit()
    assert member.get(f"{list_url}?unit={other_unit.pk}").status_code == 404
    topic_url = reverse("learning:topic-detail", args=[topic.pk])
    for outsider in (other_world.teacher, other_world.student_user, world.outsider):
        client = client_for(outsider)
        assert client.get(list_url).status_code == 404
        assert client.get(topic_url).status_code == 404
        assert client.post(topic_url, {"action": "reply", "body": "hi"}).status_code == 404
        assert client.post(list_url, {"title": "t", "body": "b"}).status_code == 404
    with pytest.raises(NotFound):
        discuss.post_reply(actor=world.outsider, topic=topic, body="hi")
    with pytest.raises(NotFound):  # staff following the course do not join its talk
        talk.member_course(actor=world.admin, course_id=world.course.pk)
    assert Post.objects.filter(topic=topic).count() == 1


def test_an_author_changes_their_post_while_the_editing_time_lasts(world: World) -> None:
    topic = discuss.topic_create(
        actor=world.student_user, course=world.course, title="Tools", body="first"
    )
    post = discuss.post_reply(actor=world.student_user, topic=topic, body="tpyo")
    changed = discuss.post_edit(actor=world.student_user, post=post, body="typo fixed")
    assert (changed.body, changed.edited_at is not None) == ("<p>typo fixed</p>", True)
    with pytest.raises(NotFound):
        discuss.post_edit(actor=world.teacher, post=post, body="not mine")
    with pytest.raises(discuss.ValidationFailed):
        discuss.post_edit(actor=world.student_user, post=post, body=" ")
    later = timezone.now() + timedelta(minutes=discuss.EDIT_MINUTES + 1)
    with time_machine.travel(later), pytest.raises(discuss.EditClosed):
        discuss.post_edit(actor=world.student_user, post=post, body="too late")
    post.refresh_from_db()
    assert post.body == "<p>typo fixed</p>"


def test_a_hidden_post_or_a_locked_topic_stops_a_learners_change_not_a_teachers(
    world: World,
) -> None:
    topic = discuss.topic_create(
        actor=world.student_user, course=world.course, title="Rude", body="first"
    )
    rude = discuss.post_reply(actor=world.student_user, topic=topic, body="rude")
    discuss.post_hide(actor=world.teacher, post=rude, reason="不文明用语")
    with pytest.raises(discuss.EditClosed):
        discuss.post_edit(actor=world.student_user, post=rude, body="sorry")
    note = discuss.post_reply(actor=world.teacher, topic=topic, body="Be kind.")
    mine = discuss.post_reply(actor=world.student_user, topic=topic, body="ok")
    discuss.topic_set(actor=world.teacher, topic=topic, locked=True)
    with pytest.raises(discuss.EditClosed):
        discuss.post_edit(actor=world.student_user, post=mine, body="changed")
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert discuss.post_edit(actor=world.teacher, post=note, body="Be kind, all.").edited_at


def test_the_change_page_keeps_the_text_and_only_the_author_reaches_it(
    world: World, settings: Any
) -> None:
    topic = discuss.topic_create(
        actor=world.student_user, course=world.course, title="Tools", body="first"
    )
    post = discuss.post_reply(actor=world.student_user, topic=topic, body="my answer")
    topic_url = reverse("learning:topic-detail", args=[topic.pk])
    edit_url = reverse("learning:post-edit", args=[post.pk])
    author = client_for(world.student_user)
    assert edit_url in author.get(topic_url).content.decode()
    assert edit_url not in client_for(world.teacher).get(topic_url).content.decode()
    assert client_for(world.teacher).get(edit_url).status_code == 404
    assert client_for(world.outsider).get(edit_url).status_code == 404
    page = author.get(edit_url).content.decode()
    assert "&lt;p&gt;" not in page  # the text as typed, not the stored paragraph markup
    assert ("修改帖子" in page, "30 分钟内可以修改" in page, "my answer" in page) == (
        True,
        True,
        True,
    )
    refused = author.post(edit_url, {"body": "   "})
    assert refused.status_code == 422
    saved = author.post(edit_url, {"body": "my better answer"})
    assert saved.status_code == 302
    assert saved["Location"].endswith(f"#post-{post.pk}")
    shown = author.get(topic_url).content.decode()
    assert ("my better answer" in shown, "已编辑" in shown) == (True, True)
    settings.LEARNING_POST_EDIT_MINUTES = 0  # the editing time is over
    closed = author.post(edit_url, {"body": "typed after the time"})
    assert edit_url not in author.get(topic_url).content.decode()
    body = closed.content.decode()
    assert closed.status_code == 422
    assert ("这条帖子已不能修改。" in body, "typed after the time" in body) == (True, True)


def test_a_plain_post_goes_back_into_the_form_as_typed_a_rich_one_as_html(world: World) -> None:
    topic = discuss.topic_create(actor=world.teacher, course=world.course, title="T", body="x")
    typed = "Check the tool.\nThen 1 < 2.\n\nNext step."
    plain = discuss.post_reply(actor=world.teacher, topic=topic, body=typed)
    assert discuss.text_for_editing(plain.body) == typed
    rich = discuss.post_reply(
        actor=world.teacher, topic=topic, body="<p><strong>Safety</strong></p>"
    )
    assert discuss.text_for_editing(rich.body) == rich.body
