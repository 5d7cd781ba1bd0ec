"""Scoped reads of discussions (ADR 0724). Only the course's learners and teachers read them
(staff following the course do not: the talk is the class's); anyone else gets ``NotFound``."""

from django.db.models import Count, QuerySet

from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.learning import selectors
from openvet.learning.discussions.models import Post, Topic
from openvet.learning.models import OnlineCourse


def member_course(*, actor: Actor, course_id: int) -> tuple[OnlineCourse, bool]:
    """The course and whether the actor teaches it; 404 unless a learner or teacher."""
    course = selectors.course_get_for(actor=actor, course_id=course_id)
    access = selectors.access_of(actor=actor, course=course)
    if not (access.is_teacher or access.is_learner):
        raise NotFound()
    return course, access.is_teacher


def topics_of(course: OnlineCourse, unit_id: int | None = None) -> QuerySet[Topic]:
    topics = Topic.objects.filter(course=course)
    if unit_id is not None:
        topics = topics.filter(unit_id=unit_id)
    return topics.select_related("author", "unit").annotate(replies=Count("posts"))


def topic_get_for(*, actor: Actor, topic_id: int) -> tuple[Topic, bool]:
    topic = Topic.objects.filter(pk=topic_id).select_related("course", "unit").first()
    if topic is None:
        raise NotFound()
    _course, teaches = member_course(actor=actor, course_id=topic.course_id)
    return topic, teaches


def posts_of(topic: Topic) -> QuerySet[Post]:
    return topic.posts.select_related("author").order_by("created_at", "id")


def own_post_get_for(*, actor: Actor, post_id: int) -> tuple[Post, bool]:
    """The actor's own post (with its topic and course) and whether they teach the course;
    404 for another's post or outside the course."""
    post = Post.objects.filter(pk=post_id).select_related("topic__course").first()
    if post is None or post.author_id != actor.pk:
        raise NotFound()
    _course, teaches = member_course(actor=actor, course_id=post.topic.course_id)
    return post, teaches
