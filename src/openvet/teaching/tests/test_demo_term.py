import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openvet.teaching.models import CalendarDay, Programme, Room, TeachingTask, Term
from openvet.teaching.services.demo import demo_school_admin, seed_demo_term
from openvet.teaching.tests.conftest import Campus

pytestmark = pytest.mark.django_db


def test_seed_demo_term_builds_a_term_ready_for_the_solver(campus: Campus) -> None:
    actor, school = demo_school_admin(campus.admin.username)
    result = seed_demo_term(actor=actor, school=school)
    assert (str(result.term), result.rooms, result.programmes) == ("2025-2026-1", 32, 3)
    assert list(
        Programme.objects.filter(org=campus.major).values_list("intake_year", "version")
    ) == [(2026, 3), (2025, 2), (2024, 1)]
    assert CalendarDay.objects.filter(term=result.term, kind="workday").count() == 2
    tasks = TeachingTask.objects.filter(term=result.term)
    # class_a (2025) is in semester 1: 7 courses; class_b (2024) in semester 3: 8 courses
    assert tasks.count() == result.tasks == 15
    assert not tasks.filter(teachers__isnull=True).exists()


def test_seed_demo_term_twice_adds_nothing(campus: Campus) -> None:
    actor, school = demo_school_admin(campus.admin.username)
    seed_demo_term(actor=actor, school=school)
    again = seed_demo_term(actor=actor, school=school)
    assert (again.rooms, again.programmes, again.tasks) == (0, 0, 0)
    assert (Term.objects.count(), Room.objects.count()) == (1, 32)


def test_command_without_the_demo_fails_clearly(db: None) -> None:
    with pytest.raises(CommandError, match="openvet demo"):
        call_command("teaching_demo", "seed-demo-term", "--admin", "nobody")
