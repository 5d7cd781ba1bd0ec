"""The student's learning space: notes, favourites, certificates and a portfolio shared by a
revocable link (ADR 0755)."""

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.learning import services
from openvet.learning.space import selectors
from openvet.learning.space import services as space
from openvet.learning.space.models import Certificate, Note, PortfolioLink
from openvet.learning.tests.conftest import World
from openvet.learning.tests.test_views import client_for


def named(world: World) -> None:
    world.student_user.full_name = "张小明"
    world.student_user.save(update_fields=["full_name"])


def test_notes_are_private_and_favourites_toggle(world: World, other_world: World) -> None:
    unit = world.text_unit()
    note = space.note_save(actor=world.student_user, unit=unit, text="  戴好护目镜  ")
    assert note is not None
    assert note.text == "戴好护目镜"
    space.note_save(actor=world.student_user, unit=unit, text="改过的笔记")
    assert Note.objects.get().text == "改过的笔记"
    with pytest.raises(PermissionDenied):
        space.note_save(actor=world.outsider, unit=unit, text="别人的")
    with pytest.raises(PermissionDenied):
        space.note_save(actor=world.teacher, unit=unit, text="老师的")
    space.favourite_set(actor=world.student_user, unit=unit, on=True)
    space.favourite_set(actor=world.student_user, unit=unit, on=True)
    mine = selectors.space_of(actor=world.student_user)
    assert [f.unit for f in mine.favourites] == [unit]
    assert [n.text for n in mine.notes] == ["改过的笔记"]
    assert selectors.space_of(actor=world.outsider).notes == []
    space.favourite_set(actor=world.student_user, unit=unit, on=False)
    assert selectors.space_of(actor=world.student_user).favourites == []
    space.note_save(actor=world.student_user, unit=unit, text="")
    assert not Note.objects.exists()
    # Another school's student cannot even reach the unit.
    post = client_for(other_world.student_user).post(
        reverse("learning:note-save", args=[unit.pk]), {"text": "x"}
    )
    assert post.status_code == 404


def test_note_and_favourite_through_the_unit_page(world: World) -> None:
    unit = world.text_unit()
    learner = client_for(world.student_user)
    page = learner.get(reverse("learning:unit-detail", args=[unit.pk])).content.decode()
    assert "data-unit-note" in page
    learner.post(reverse("learning:note-save", args=[unit.pk]), {"text": "第一条笔记"})
    learner.post(reverse("learning:favourite-set", args=[unit.pk]), {"on": "1"})
    page = learner.get(reverse("learning:unit-detail", args=[unit.pk])).content.decode()
    assert "第一条笔记" in page
    assert 'aria-pressed="true"' in page
    mine = learner.get(reverse("learning:my-space")).content.decode()
    assert "第一条笔记" in mine
    teacher_page = client_for(world.teacher).get(reverse("learning:unit-detail", args=[unit.pk]))
    assert "第一条笔记" not in teacher_page.content.decode()


def test_certificate_only_when_every_unit_is_completed(world: World) -> None:
    named(world)
    first, second = world.text_unit(), world.text_unit()
    services.unit_open(actor=world.student_user, unit=first)
    with pytest.raises(Conflict, match="1"):
        space.certificate_issue(actor=world.student_user, course=world.course)
    services.unit_open(actor=world.student_user, unit=second)
    certificate = space.certificate_issue(actor=world.student_user, course=world.course)
    assert certificate.units == 2
    assert certificate.school_name == world.campus.school.name
    assert space.certificate_issue(actor=world.student_user, course=world.course) == certificate
    with pytest.raises(PermissionDenied):
        space.certificate_issue(actor=world.outsider, course=world.course)
    page = Client().get(reverse("learning:certificate", args=[certificate.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "张**" in body
    assert "张小明" not in body
    assert certificate.code in body
    assert Client().get(reverse("learning:certificate", args=["0000"])).status_code == 404


def test_portfolio_link_shows_chosen_items_until_revoked(world: World, other_world: World) -> None:
    named(world)
    unit = world.text_unit()
    services.unit_open(actor=world.student_user, unit=unit)
    certificate = space.certificate_issue(actor=world.student_user, course=world.course)
    learner = client_for(world.student_user)
    made = learner.post(
        reverse("learning:my-space"),
        {
            "title": "我的作品集",
            "course_ids": [world.course.pk],
            "certificate_ids": [certificate.pk],
        },
    )
    assert made.status_code == 302
    link = PortfolioLink.objects.get()
    url = reverse("learning:portfolio", args=[link.token])
    public = Client().get(url)
    assert public.status_code == 200
    body = public.content.decode()
    assert "我的作品集" in body
    assert world.course.title in body
    assert certificate.code in body
    assert "张**" in body
    assert "张小明" not in body
    # Someone else's items cannot be put in a portfolio; another school cannot revoke it.
    with pytest.raises(ValidationFailed):
        space.portfolio_share(
            actor=other_world.student_user,
            title="偷来的",
            course_ids=[],
            certificate_ids=[certificate.pk],
            attempt_ids=[],
        )
    revoke = reverse("learning:portfolio-revoke", args=[link.pk])
    client_for(other_world.student_user).post(revoke)
    assert Client().get(url).status_code == 200
    learner.post(revoke)
    assert Client().get(url).status_code == 404
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_portfolio_form_keeps_the_title_when_nothing_is_chosen(world: World) -> None:
    page = client_for(world.student_user).post(reverse("learning:my-space"), {"title": "空的"})
    assert page.status_code == 422
    assert 'value="空的"' in page.content.decode()
    assert not PortfolioLink.objects.exists()
