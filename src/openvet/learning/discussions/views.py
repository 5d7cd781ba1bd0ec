"""Pages of discussions (ADR 0724-0725, 0767): a course's topics (or one unit's) with the form
to open one, a topic's posts with the reply form and, for teachers, moderation, and the page
where an author changes their post."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.errors import NotFound
from openvet.core.view_helpers import page, service_call
from openvet.learning import forms
from openvet.learning.discussions import selectors as talk
from openvet.learning.discussions import services
from openvet.learning.models import Unit


def _unit_filter(request: HttpRequest, course_id: int) -> Unit | None:
    raw = request.GET.get("unit", "")
    if not raw:
        return None
    unit = Unit.objects.filter(pk=int(raw) if raw.isdigit() else 0, course_id=course_id).first()
    if unit is None:
        raise NotFound()
    return unit


@page
def topic_list(request: HttpRequest, course_id: int) -> HttpResponse:
    course, teaches = talk.member_course(actor=request.user, course_id=course_id)
    unit = _unit_filter(request, course.pk)
    form = forms.TopicForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            outcome = service_call(
                request,
                lambda: services.topic_create(
                    actor=request.user,
                    course=course,
                    unit=unit,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                ),
                form=form,
                success=_("The topic was posted."),
            )
            if outcome.ok and outcome.value is not None:
                return redirect("learning:topic-detail", topic_id=outcome.value.pk)
        status = _status(form, status)
    return render(
        request,
        "learning/discussions/topic_list.html",
        {
            "course": course,
            "unit": unit,
            "teaches": teaches,
            "topics": list(talk.topics_of(course, unit.pk if unit else None)),
            "form": form,
        },
        status=status,
    )


def _status(form: Any, status: int) -> int:
    if not form.errors:
        return status
    too_fast = str(services.TooFast.default_message)
    if any(too_fast in str(e) for e in form.non_field_errors()):
        return 429
    return 422


@page
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic, teaches = talk.topic_get_for(actor=request.user, topic_id=topic_id)
    form = forms.ReplyForm()
    hide_form = forms.HideForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "reply")
        if action == "reply":
            form = forms.ReplyForm(request.POST)
            if form.is_valid():
                outcome = service_call(
                    request,
                    lambda: services.post_reply(
                        actor=request.user, topic=topic, body=form.cleaned_data["body"]
                    ),
                    form=form,
                    success=_("Your reply was posted."),
                )
                if outcome.ok:
                    return redirect("learning:topic-detail", topic_id=topic.pk)
            status = _status(form, status)
        elif action in ("pin", "unpin", "lock", "unlock"):
            service_call(
                request,
                lambda: services.topic_set(
                    actor=request.user,
                    topic=topic,
                    pinned={"pin": True, "unpin": False}.get(action),
                    locked={"lock": True, "unlock": False}.get(action),
                ),
                success=_("The topic was updated."),
            )
            return redirect("learning:topic-detail", topic_id=topic.pk)
        elif action in ("hide", "show"):
            post = topic.posts.filter(pk=_int(request.POST.get("post_id"))).first()
            if post is None:
                raise NotFound()
            if action == "show":
                service_call(
                    request,
                    lambda: services.post_show(actor=request.user, post=post),
                    success=_("The post is shown again."),
                )
                return redirect("learning:topic-detail", topic_id=topic.pk)
            hide_form = forms.HideForm(request.POST)
            if hide_form.is_valid():
                outcome = service_call(
                    request,
                    lambda: services.post_hide(
                        actor=request.user, post=post, reason=hide_form.cleaned_data["reason"]
                    ),
                    form=hide_form,
                    success=_("The post was hidden from students."),
                )
                if outcome.ok:
                    return redirect("learning:topic-detail", topic_id=topic.pk)
            status = 422
        else:
            status = 400
    posts = list(talk.posts_of(topic))
    now = timezone.now()
    return render(
        request,
        "learning/discussions/topic_detail.html",
        {
            "topic": topic,
            "course": topic.course,
            "teaches": teaches,
            "posts": posts,
            "editable": {
                p.pk
                for p in posts
                if services.may_edit(p, actor=request.user, teaches=teaches, now=now)
            },
            "form": form,
            "hide_form": hide_form,
            "hide_post": request.POST.get("post_id", "") if status == 422 else "",
        },
        status=status,
    )


@page
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    """The author changes their post; the form keeps what they typed when it is refused."""
    post, teaches = talk.own_post_get_for(actor=request.user, post_id=post_id)
    back = reverse("learning:topic-detail", args=[post.topic_id]) + f"#post-{post.pk}"
    form = forms.PostEditForm(
        request.POST or None, initial={"body": services.text_for_editing(post.body)}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            outcome = service_call(
                request,
                lambda: services.post_edit(
                    actor=request.user, post=post, body=form.cleaned_data["body"]
                ),
                form=form,
                success=_("Your post was changed."),
            )
            if outcome.ok:
                return redirect(back)
        status = 422 if form.errors else status
    return render(
        request,
        "learning/discussions/post_edit.html",
        {
            "post": post,
            "topic": post.topic,
            "course": post.topic.course,
            "form": form,
            "back": back,
            "minutes": None if teaches else services.edit_minutes(),
        },
        status=status,
    )


def _int(value: Any) -> int:
    return int(value) if str(value or "").isdigit() else 0
