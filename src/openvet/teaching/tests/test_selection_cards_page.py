"""The offerings page as a student reads it: course cards with every fact before a click,
search and filters, and the credits used against the round's limit."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from openvet.identity.models import User
from openvet.identity.tests.support import sign_in
from openvet.teaching.models import TimetableEntry, WeekParity
from openvet.teaching.selection.models import Offering, RoundKind, Selection, SelectionRound
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, offering_of, round_of
from openvet.teaching.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


def _client(user: User, language: str = "zh-hans") -> Client:
    return sign_in(Client(HTTP_ACCEPT_LANGUAGE=language), user)


def _course(offering: Offering, name: str, credits: str) -> Offering:
    course = offering.task.course
    course.name, course.credits = name, Decimal(credits)
    course.save(update_fields=["name", "credits"])
    return offering


def _page(client: Client, campus: Campus, **params: str) -> str:
    response = client.get(reverse("teaching:offering-browse", args=[campus.term.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="h6 card-title" id="offering-\d+">[^ ]+ ([^<]+)</h3>', html)


def test_card_shows_time_room_credits_teacher_seats_and_who_in_chinese(campus: Campus) -> None:
    campus_student(campus)
    offering = _course(offering_of(campus, weekday=3, period=5, capacity=30), "茶艺", "2.5")
    offering.eligible_majors.set([campus.major])
    offering.eligible_grades = [2025]
    offering.prerequisites = ["PRE01"]
    offering.save()
    TimetableEntry.objects.filter(task=offering.task).update(
        room=RoomFactory(org=campus.school, building="B", number="101"),
        week_start=2,
        week_end=16,
        week_parity=WeekParity.EVEN,
    )
    round_of(campus)
    html = _page(_client(campus.student), campus)
    for fact in (
        "2.5",
        "星期三 第 5–6 节，第2–16周 (双周)",
        "B 101",
        "Teacher A",
        "剩余 30 / 30 个名额",
        f"面向专业：{campus.major.name}",
        "面向年级：2025级",
        "需先修通过：PRE01",
    ):
        assert fact in html, fact
    assert "Every week" not in html
    assert "Credits" not in html


def test_card_of_an_open_course_says_everyone_may_take_it(campus: Campus) -> None:
    campus_student(campus)
    offering_of(campus)
    round_of(campus)
    html = _page(_client(campus.student, "en"), campus)
    assert "Open to every major and grade of the school" in html
    assert "Monday, periods 1–2" in html


def test_search_and_filters_narrow_the_cards(campus: Campus) -> None:
    campus_student(campus)
    _course(offering_of(campus, weekday=1, code="EL101"), "Tea art", "2")
    _course(offering_of(campus, weekday=2, code="EL102"), "Pottery", "1.5")
    full = _course(offering_of(campus, weekday=3, code="EL103", capacity=1), "Chess", "2")
    full.task.teachers.set([campus.teacher2])
    Offering.objects.filter(pk=full.pk).update(taken=1)
    round_of(campus)
    client = _client(campus.student, "en")
    assert _titles(_page(client, campus)) == ["Tea art", "Pottery", "Chess"]
    assert _titles(_page(client, campus, q="art")) == ["Tea art"]
    assert _titles(_page(client, campus, q="el102")) == ["Pottery"]
    assert _titles(_page(client, campus, q="Teacher2")) == ["Chess"]
    assert _titles(_page(client, campus, weekday="2")) == ["Pottery"]
    assert _titles(_page(client, campus, credits="2.0")) == ["Tea art", "Chess"]
    assert _titles(_page(client, campus, credits="2.0", seats="on")) == ["Tea art"]
    none = _page(client, campus, q="welding")
    assert (_titles(none), "No elective course matches your search." in none) == ([], True)


def test_a_bad_filter_value_is_explained_and_filters_nothing(campus: Campus) -> None:
    campus_student(campus)
    _course(offering_of(campus), "Tea art", "2")
    round_of(campus)
    html = _page(_client(campus.student), campus, weekday="9")
    assert _titles(html) == ["Tea art"]
    assert "星期: " in html


def test_credits_used_of_the_limit_and_a_refusal_over_it(campus: Campus) -> None:
    student = campus_student(campus)
    three = _course(offering_of(campus, weekday=1), "Tea art", "3")
    two = _course(offering_of(campus, weekday=2), "Pottery", "2")
    SelectionRound.objects.filter(pk=round_of(campus).pk).update(
        name="First come", max_credits_per_student=Decimal("4")
    )
    client = _client(campus.student)
    assert "First come：已选 0 学分，上限 4 学分" in _page(client, campus)
    client.post(reverse("teaching:offering-select", args=[three.pk]))
    answer = client.post(reverse("teaching:offering-select", args=[two.pk]), follow=True)
    html = answer.content.decode()
    assert "该课程 2 学分：加上你在本轮已选的 3 学分，将超过本轮 4 学分的上限。" in html
    assert "First come：已选 3 学分，上限 4 学分" in html
    held = Selection.objects.filter(student=student).values_list("offering_id", flat=True)
    assert list(held) == [three.pk]


def test_preference_page_shows_the_cards_and_the_credit_limit(campus: Campus) -> None:
    campus_student(campus)
    _course(offering_of(campus, weekday=2, period=3), "Pottery", "1.5")
    selection_round = round_of(campus, kind=RoundKind.PREFERENCE)
    SelectionRound.objects.filter(pk=selection_round.pk).update(
        max_credits_per_student=Decimal("4")
    )
    response = _client(campus.student).get(
        reverse("teaching:preference-edit", args=[selection_round.pk])
    )
    html = response.content.decode()
    assert _titles(html) == ["Pottery"]
    assert "星期二 第 3–4 节" in html
    assert "1.5" in html
    assert "本轮每名学生至多选 4 学分；抽签时会跳过超出上限的志愿。" in html
