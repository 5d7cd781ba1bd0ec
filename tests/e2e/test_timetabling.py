"""The demo school's administrator generates the term timetable, reviews it and publishes it.

The run is started from the page and solved outside the request, as in production: the
embedded default (no message broker) hands it to a background thread, and the page polls its
progress until the proposal is ready for review.
"""

import re
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse
from django.utils.translation import pgettext_lazy
from playwright.sync_api import Page, expect

from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.teaching import timetabling
from openvet.teaching.forms import SolverForm
from openvet.teaching.models import (
    Notice,
    SolverRun,
    SolverStatus,
    TeachingTask,
    Term,
    TimetableEntry,
)
from openvet.teaching.services import solver
from openvet.teaching.services.demo import demo_school_admin, seed_demo_term
from openvet.teaching.services.publish import lessons_of_run
from openvet.teaching.views.solver import CONFLICTS, NOT_IDEAL
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr, welcome_heading

TIME_LIMIT = 8  # seconds: the demo term is clash-free after about one on an idle core;
# two browsers and servers share the CI's two cores, so the solver gets a fraction of one
TEACHERS_PER_DEPARTMENT = 8
TEACHING_WEEK = 3  # a week of the demo term without holidays: every weekly lecture is held
# Time for the run to be picked up, solved and shown, on a loaded machine.
RESULT_TIMEOUT_MS = (TIME_LIMIT + 20) * 1000


@pytest.fixture(scope="module")
def solver_compiled() -> None:
    """Compile the solver's kernels once per process (numba keeps them on disk afterwards),
    so that the journey's time limit is spent solving."""
    problem = timetabling.Problem(
        name="warm-up",
        days=1,
        periods_per_day=2,
        courses=[timetabling.Course("c", "t", 1, 1, 1)],
        rooms=[timetabling.Room("r", 1)],
        curricula=[],
    )
    timetabling.solve(problem, max_iterations=1)


@pytest.fixture(autouse=True)
def _solver_thread_on_the_shared_database(
    live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Let the background solver thread use the test database the way the live server does.

    The in-memory SQLite test database is shared between connections with table-level
    locks that fail at once ("database table is locked") instead of waiting, so Django
    hands its live server threads the test's own connection. The solver thread, started by
    the page exactly as in the embedded default, joins that connection too. On PostgreSQL
    (or a file database) it opens its own connection, as in production.
    """
    shared = live_server.thread.connections_override.get(DEFAULT_DB_ALIAS)
    if shared is None:
        return
    run = solver._run_in_thread

    def run_on_shared_connection(run_id: int) -> None:
        connections[DEFAULT_DB_ALIAS] = shared
        run(run_id)

    monkeypatch.setattr(solver, "_run_in_thread", run_on_shared_connection)


@pytest.fixture
def demo_term(campus: Campus, solver_compiled: None) -> Term:
    """The teaching demo term, staffed like the full-size demo.

    The journeys seed the demo at a small scale, which leaves the college a handful of
    teachers for 468 weekly periods; the full demo has enough to keep each teacher within
    the demo's weekly load. Hire that staff before the term is seeded, so the demo hands
    the tasks out among them.
    """
    actor, school = demo_school_admin("admin1")
    for department in OrgUnit.objects.filter(kind=OrgKind.DEPARTMENT, path__startswith=school.path):
        for _ in range(TEACHERS_PER_DEPARTMENT):
            user_with_role(Role.TEACHER, department)
    return seed_demo_term(actor=actor, school=school).term


def test_school_admin_generates_reviews_and_publishes_the_timetable(
    page: Page, campus: Campus, demo_term: Term, checkpoint: Checkpoint
) -> None:
    sign_in(page, "admin1", campus.password)
    expect(welcome_heading(page, campus.full_name("admin1"))).to_be_visible()

    open_nav(page, tr("Teaching"))
    page.get_by_role("link", name=re.compile(re.escape(str(demo_term.academic_year)))).click()
    terms = page.get_by_role("navigation", name=tr("Term sections"))
    terms.get_by_role("link", name=tr("Solver")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(tr("Automatic timetabling"))
    # The clerk's form: no timetable yet, so nothing to keep; the seed is an expert option.
    expect(
        page.get_by_label(tr(SolverForm.base_fields["minimal_perturbation"].label))
    ).not_to_be_checked()
    expect(page.get_by_label(tr("Random seed"))).to_be_hidden()
    checkpoint(page, "solver")

    page.get_by_label(tr("How long to search (seconds)")).fill(str(TIME_LIMIT))
    page.get_by_text(tr("Expert options")).click()
    page.get_by_label(tr("Random seed")).fill("1")
    page.get_by_role("button", name=tr("Start")).click()

    # The request returns at once; the page shows the run while a worker solves it.
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        tr("Solver run %(n)s", n=SolverRun.objects.get(term=demo_term).pk)
    )
    progress = page.get_by_role("progressbar", name=tr("Progress"))
    expect(progress).to_be_visible()
    checkpoint(page, "running")

    review_and_publish = page.get_by_role("link", name=tr("Review the changes and publish"))
    expect(review_and_publish).to_be_visible(timeout=RESULT_TIMEOUT_MS)
    run = SolverRun.objects.get(term=demo_term)
    assert (run.status, run.best_hard) == (SolverStatus.FINISHED, 0)
    expect(page.locator("#solver-run")).to_contain_text(tr(SolverStatus.FINISHED.label))
    expect(progress).to_have_count(0)
    # Summary first, in the clerk's words: conflicts and less-than-ideal arrangements, each
    # with what it means; lessons counted as publishing will count them.
    lessons = _lessons(run)
    periods = len(run.result)
    expect(page.locator("#solver-conflicts")).to_have_text("0")
    expect(page.locator("#solver-lessons")).to_have_text(
        tr("%(n)s lessons (%(p)s periods)", n=lessons, p=periods)
    )
    conflicts = page.get_by_role("table", name=tr(pgettext_lazy("timetabling", "Conflicts")))
    for code in run.hard:
        label, meaning = CONFLICTS[code]
        expect(conflicts.get_by_role("row", name=re.compile(re.escape(tr(label))))).to_contain_text(
            tr(meaning)
        )
    not_ideal = page.get_by_role("table", name=tr("Less-than-ideal arrangements"))
    for code in run.soft:
        _attr, label, meaning = NOT_IDEAL[code]
        expect(not_ideal.get_by_role("row", name=re.compile(re.escape(tr(label))))).to_contain_text(
            tr(meaning)
        )
    expect(page.locator("#solver-moved")).to_have_text(tr("No published timetable yet"))
    expect(page.get_by_text(tr("Random seed"))).to_be_hidden()

    # Review one week at a time: the class of the first lecture on Monday, then its teacher.
    first = min(run.result, key=lambda row: (row[2], row[3]))
    task = TeachingTask.objects.get(pk=first[0])
    klass = task.classes.order_by("pk").first()
    assert klass is not None
    teacher = task.teachers.get()
    review = page.locator("#solver-review")
    _show(page, klass.name)
    expect(review.get_by_role("heading", level=3)).to_have_text(klass.name)
    expect(review.get_by_text(task.course.name).filter(visible=True).first).to_be_visible()
    checkpoint(page, "review-class")
    _show(page, teacher.full_name)
    expect(review.get_by_role("heading", level=3)).to_have_text(teacher.full_name)
    expect(page).to_have_url(re.compile(rf"show=teacher-{teacher.pk}$"))
    expect(review.get_by_text(task.course.name).filter(visible=True).first).to_be_visible()
    checkpoint(page, "review-teacher")

    # Publishing shows what changes and whom it affects, and asks to confirm.
    review_and_publish.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(tr("Publish the timetable"))
    counts = page.locator("#publish-counts")
    expect(counts).to_contain_text(tr("%(n)s lessons (%(p)s periods)", n=lessons, p=periods))
    expect(page.locator("#publish-moved")).to_have_text("0")
    assert not TimetableEntry.objects.filter(term=demo_term).exists()
    checkpoint(page, "publish-preview")
    page.get_by_role("button", name=tr("Confirm and publish")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(tr("Timetable"))
    entries = TimetableEntry.objects.filter(term=demo_term)
    people = Notice.objects.filter(solver_run=run).count()
    expect(page.get_by_role("alert")).to_contain_text(
        tr(
            "The timetable was published: %(lessons)s lessons (%(periods)s periods); "
            "%(people)s students and teachers were told their changes.",
            lessons=entries.count(),
            periods=periods,
            people=people,
        )
    )
    assert entries.count() == lessons
    expect(page.get_by_text(tr("No clashes."))).to_be_visible()
    run.refresh_from_db()
    assert run.status == SolverStatus.PUBLISHED
    assert sum(e.length for e in entries) == len(run.result)
    checkpoint(page, "published")

    # The published timetable of that class, in a week without holidays.
    page.get_by_role("link", name=klass.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(klass.name)
    page.goto(f"{page.url.split('?')[0]}?week={TEACHING_WEEK}")
    expect(page.get_by_text(task.course.name).filter(visible=True).first).to_be_visible()
    checkpoint(page, "class-timetable")

    # A student of the term is told their own lessons, one line each.
    student = campus.user("student1")
    notice = Notice.objects.get(solver_run=run, user=student)
    first_change = notice.changes[0]
    page.context.clear_cookies()
    sign_in(page, "student1", campus.password)
    page.goto(page.url.split("/teaching/")[0] + reverse("teaching:notice-list"))
    item = page.locator('[data-notice="publish"]')
    expect(item.get_by_role("listitem")).to_have_count(len(notice.changes))
    expect(item.get_by_role("listitem").first).to_contain_text(
        tr("%(course)s: new lesson, %(new)s", course=first_change["course"], new="")
    )
    checkpoint(page, "student-notice")


def _lessons(run: SolverRun) -> int:
    """Lessons the run publishes: the number the summary, the preview and the message show."""
    tasks = TeachingTask.objects.filter(term=run.term)
    return len(lessons_of_run(run=run, blocks={t.pk: t.block for t in tasks}))


def _show(page: Page, name: str) -> None:
    """Pick a class, teacher or room in the review picker and show its week."""
    page.get_by_label(tr("Class, teacher or room")).select_option(label=name)
    page.get_by_role("button", name=tr("Show"), exact=True).click()
