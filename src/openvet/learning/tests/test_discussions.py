"""Discussions of a course and its units: sanitised posts, teacher moderation (pin, lock, hide
with a reason), the flood limit, and only the course's learners and teachers inside
(ADR 0724-0725)."""

import pytest
from django.urls import reverse

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
