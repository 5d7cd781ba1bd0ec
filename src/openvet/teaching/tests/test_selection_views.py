from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openvet.identity.models import User
from openvet.identity.tests.support import sign_in
from openvet.teaching.selection.models import RoundKind, Selection, SelectionRound
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, offering_of, round_of

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    return sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), user)


def test_anonymous_is_sent_to_sign_in(campus: Campus) -> None:
    response = Client().get(reverse("teaching:offering-browse", args=[campus.term.pk]))
    assert response.status_code == 302


def test_student_browses_and_selects_on_the_page(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus)
    round_of(campus)
    client = _client(campus.student)
    page = client.get(reverse("teaching:offering-browse", args=[campus.term.pk]))
    assert page.status_code == 200
    assert offering.task.course.name in page.content.decode()
    answer = client.post(reverse("teaching:offering-select", args=[offering.pk]))
    assert (answer.status_code, Selection.objects.filter(offering=offering).count()) == (302, 1)


def test_student_of_other_school_gets_404(campus: Campus, other: Campus) -> None:
    offering = offering_of(campus)
    round_of(campus)
    outsider = campus_student(other)
    client = _client(outsider.user)
    assert client.post(reverse("teaching:offering-select", args=[offering.pk])).status_code == 404
    assert client.get(reverse("teaching:offering-browse", args=[campus.term.pk])).status_code == 404
    assert not Selection.objects.exists()


def test_round_admin_role_matrix(campus: Campus, other: Campus) -> None:
    url = reverse("teaching:round-admin", args=[campus.term.pk])
    assert _client(campus.admin).get(url).status_code == 200
    assert _client(campus.head).get(url).status_code == 200
    assert _client(campus.teacher).get(url).status_code == 403
    assert _client(other.admin).get(url).status_code == 404


def test_preference_page_saves_ranks(campus: Campus) -> None:
    campus_student(campus)
    first, second = offering_of(campus, weekday=1), offering_of(campus, weekday=2)
    selection_round = round_of(campus, kind=RoundKind.PREFERENCE)
    client = _client(campus.student)
    url = reverse("teaching:preference-edit", args=[selection_round.pk])
    client.post(url, {"rank_1": second.pk, "rank_2": first.pk})
    assert list(
        selection_round.preferences.order_by("rank").values_list("offering_id", flat=True)
    ) == [second.pk, first.pk]


def test_lottery_page_shows_the_seed(campus: Campus) -> None:
    selection_round = round_of(
        campus, kind=RoundKind.PREFERENCE, opens=timezone.now() - timedelta(days=2), hours=1
    )
    client = _client(campus.admin)
    client.post(reverse("teaching:lottery-run", args=[selection_round.pk]), {"seed": "4242"})
    page = client.get(reverse("teaching:round-admin", args=[campus.term.pk]))
    assert "with seed 4242" in page.content.decode()


def test_api_select_answers_409_when_full(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus, capacity=1)
    round_of(campus)
    from openvet.teaching.tests.daily_factories import student_in

    first = student_in(campus)
    url = f"/api/v1/teaching/offerings/{offering.pk}/select"
    assert _client(first.user).post(url).status_code == 200
    answer = _client(campus.student).post(url)
    assert (answer.status_code, answer.json()["code"]) == (409, "full")


def test_admin_creates_a_round_with_a_credit_limit_and_sees_it(campus: Campus) -> None:
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), campus.admin)
    url = reverse("teaching:round-admin", args=[campus.term.pk])
    now = timezone.localtime()
    answer = client.post(
        url,
        {
            "round-name": "Electives",
            "round-kind": RoundKind.FIRST_COME,
            "round-opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "round-closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "round-max_choices": "3",
            "round-max_credits_per_student": "6.5",
        },
        follow=True,
    )
    created = SelectionRound.objects.get(name="Electives")
    assert created.max_credits_per_student == Decimal("6.5")
    assert "每人至多 6.5 学分" in answer.content.decode()


def _selected(page: str, rank: int) -> str:
    """The value of the option selected in the rank's drop-down ("" for none)."""
    select = page.split(f'name="rank_{rank}"', 1)[1].split("</select>", 1)[0]
    marked = [part for part in select.split("<option")[1:] if " selected" in part.split(">")[0]]
    return marked[0].split('value="', 1)[1].split('"', 1)[0] if marked else ""


def test_a_refused_ranking_keeps_what_the_student_chose_and_marks_the_repeats(
    campus: Campus,
) -> None:
    campus_student(campus)
    first, second = offering_of(campus, weekday=1), offering_of(campus, weekday=2)
    selection_round = round_of(campus, kind=RoundKind.PREFERENCE)
    client = _client(campus.student)
    url = reverse("teaching:preference-edit", args=[selection_round.pk])
    client.post(url, {"rank_1": first.pk})  # saved before

    answer = client.post(url, {"rank_1": second.pk, "rank_2": first.pk, "rank_3": second.pk})

    page = answer.content.decode()
    assert answer.status_code == 422
    assert [_selected(page, n) for n in (1, 2, 3)] == [
        str(second.pk),
        str(first.pk),
        str(second.pk),
    ]
    assert page.count('aria-invalid="true"') == 2  # ranks 1 and 3 hold the same course
    assert "Each course can be ranked once." in page
    assert list(selection_round.preferences.values_list("offering_id", flat=True)) == [first.pk]


def test_a_ranking_refused_for_a_prerequisite_keeps_the_choices(campus: Campus) -> None:
    campus_student(campus)
    open_course = offering_of(campus, weekday=1)
    advanced = offering_of(campus, weekday=2, prerequisites=["ZZ999"])
    selection_round = round_of(campus, kind=RoundKind.PREFERENCE)
    client = _client(campus.student)
    url = reverse("teaching:preference-edit", args=[selection_round.pk])

    answer = client.post(url, {"rank_1": open_course.pk, "rank_2": advanced.pk})

    page = answer.content.decode()
    assert answer.status_code == 422
    assert [_selected(page, 1), _selected(page, 2)] == [str(open_course.pk), str(advanced.pk)]
    assert 'aria-invalid="true"' not in page
    assert not selection_round.preferences.exists()
