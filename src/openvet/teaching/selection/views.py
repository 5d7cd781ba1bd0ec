"""Pages of course selection: students browse, select, drop and rank (phone first); managers
create rounds and offerings, run the lottery and read the results."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.errors import PermissionDenied
from openvet.core.view_helpers import service_call
from openvet.teaching import selectors as teaching_selectors
from openvet.teaching.capabilities import MANAGE_SELECTION
from openvet.teaching.selection import cards, closing, credits, rules, selectors, services
from openvet.teaching.selection.forms import (
    LotteryForm,
    OfferingFilterForm,
    OfferingForm,
    RoundForm,
)
from openvet.teaching.selection.models import RoundKind
from openvet.teaching.views.common import page


def _current_term(request: HttpRequest) -> Any:
    terms = list(teaching_selectors.term_list_for(actor=request.user))
    chosen = request.GET.get("term")
    return next((t for t in terms if str(t.pk) == chosen), None) or (terms[0] if terms else None)


@page
def selection_home(request: HttpRequest) -> HttpResponse:
    term = _current_term(request)
    if term is None:
        return render(request, "teaching/selection/offering_browse.html", {"term": None})
    return redirect("teaching:offering-browse", term_id=term.pk)


def _filtered(request: HttpRequest, offerings: Any) -> tuple[Any, OfferingFilterForm]:
    credit_choices = sorted(set(offerings.values_list("task__course__credits", flat=True)))
    form = OfferingFilterForm(request.GET or None, credit_choices=credit_choices)
    if not form.is_valid():  # an unknown value filters nothing; the form says why
        return offerings, form
    data = form.cleaned_data
    found = selectors.offering_filter(
        offerings,
        text=data["q"].strip(),
        weekday=data["weekday"],
        credits=data["credits"],
        with_seats=data["seats"],
    )
    return found, form


def _credit_limits(request: HttpRequest, open_rounds: list[Any]) -> list[tuple[Any, str, str]]:
    """(round, credits used, limit) of the open rounds with a limit, for the student."""
    student = selectors._student_or_none(request.user)
    if student is None:
        return []
    return [
        (
            r,
            rules.credits_text(credits.credits_used(student=student, selection_round=r)),
            rules.credits_text(r.max_credits_per_student),
        )
        for r in open_rounds
        if r.max_credits_per_student is not None
    ]


@page
def offering_browse(request: HttpRequest, term_id: int) -> HttpResponse:
    term = teaching_selectors.term_get_for(actor=request.user, term_id=term_id)
    now = timezone.now()
    rounds = list(selectors.round_list_for(actor=request.user, term=term))
    open_rounds = [r for r in rounds if r.opens_at <= now < r.closes_at]
    mine = list(selectors.selection_list_for(actor=request.user, term=term))
    offerings, filter_form = _filtered(
        request, selectors.offering_list_for(actor=request.user, term=term)
    )
    return render(
        request,
        "teaching/selection/offering_browse.html",
        {
            "term": term,
            "cards": cards.offering_cards(offerings=offerings),
            "filter_form": filter_form,
            "filtering": bool(request.GET.keys() - {"term"}),
            "mine": mine,
            "taken": {s.offering_id for s in mine},
            "open_rounds": open_rounds,
            "credit_limits": _credit_limits(request, open_rounds),
            "rounds": rounds,
            "can_manage": policy.has_capability(request.user, MANAGE_SELECTION, term.org),
            "is_student": selectors._student_or_none(request.user) is not None,
        },
    )


@page
@require_POST
def offering_select(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = selectors.offering_get_for(actor=request.user, offering_id=offering_id)
    service_call(
        request,
        lambda: services.selection_create(actor=request.user, offering=offering),
        success=_("You have a seat in this course."),
    )
    return redirect("teaching:offering-browse", term_id=offering.term_id)


@page
@require_POST
def selection_drop(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection = selectors.selection_get_for(actor=request.user, selection_id=selection_id)
    term_id = selection.term_id
    service_call(
        request,
        lambda: services.selection_drop(actor=request.user, selection=selection),
        success=_("The course was dropped."),
    )
    return redirect("teaching:offering-browse", term_id=term_id)


def _typed_ranks(request: HttpRequest, max_choices: int) -> dict[int, int]:
    """Rank -> offering id as the student chose them in the posted form."""
    typed = {n: request.POST.get(f"rank_{n}", "") for n in range(1, max_choices + 1)}
    return {n: int(value) for n, value in typed.items() if value.isdigit()}


def _duplicate_ranks(typed: dict[int, int]) -> set[int]:
    """The ranks holding a course that another rank holds too (each is marked on the page)."""
    ids = list(typed.values())
    return {n for n, offering_id in typed.items() if ids.count(offering_id) > 1}


@page
def preference_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    """The student's ranked choices; a refused change shows the choices as typed, not as saved."""
    selection_round = selectors.round_get_for(actor=request.user, round_id=round_id)
    offerings = list(selectors.offering_list_for(actor=request.user, term=selection_round.term))
    current = {
        p.rank: p
        for p in selectors.preferences_of(actor=request.user, selection_round=selection_round)
    }
    chosen = {n: p.offering_id for n, p in current.items()}
    flagged: set[int] = set()
    if request.method == "POST":
        typed = _typed_ranks(request, selection_round.max_choices)
        picked = [
            selectors.offering_get_for(actor=request.user, offering_id=typed[n])
            for n in sorted(typed)
        ]
        done = service_call(
            request,
            lambda: services.preferences_set(
                actor=request.user, selection_round=selection_round, offerings=picked
            ),
            success=_("Your choices were saved."),
        ).value
        if done is not None:
            return redirect("teaching:preference-edit", round_id=round_id)
        chosen, flagged = typed, _duplicate_ranks(typed)
    ranks = [
        (n, chosen.get(n), current.get(n), n in flagged)
        for n in range(1, selection_round.max_choices + 1)
    ]
    return render(
        request,
        "teaching/selection/preference_edit.html",
        {
            "round": selection_round,
            "offerings": offerings,
            "cards": cards.offering_cards(offerings=offerings),
            "ranks": ranks,
        },
        status=422 if request.method == "POST" else 200,
    )


def _round_post(request: HttpRequest, term: Any, form: RoundForm) -> bool:
    if "round-name" not in request.POST or not form.is_valid():
        return False
    done = service_call(
        request,
        lambda: services.round_create(actor=request.user, term=term, **form.cleaned_data),
        success=_("The round was created."),
    ).value
    return done is not None


def _offering_post(request: HttpRequest, form: OfferingForm) -> bool:
    if "offering-task" not in request.POST or not form.is_valid():
        return False
    data = form.cleaned_data
    task = teaching_selectors.task_get_for(actor=request.user, task_id=data["task"])
    done = service_call(
        request,
        lambda: services.offering_create(
            actor=request.user,
            task=task,
            capacity=data["capacity"],
            eligible_grades=data["eligible_grades"],
            prerequisites=data["prerequisites"],
        ),
        success=_("The course is offered."),
    ).value
    return done is not None


@page
def round_admin(request: HttpRequest, term_id: int) -> HttpResponse:
    term = teaching_selectors.term_get_for(actor=request.user, term_id=term_id)
    managed = teaching_selectors.schools_for(actor=request.user, capability=MANAGE_SELECTION)
    if not managed.filter(pk=term.org_id).exists():  # held on the school or inside it
        raise PermissionDenied()
    tasks = [
        (t.pk, str(t.course))
        for t in teaching_selectors.task_list_for(actor=request.user, term=term)
    ]
    round_form = RoundForm(request.POST or None, prefix="round")
    offering_form = OfferingForm(request.POST or None, prefix="offering", tasks=tasks)
    if request.method == "POST" and (
        _round_post(request, term, round_form) or _offering_post(request, offering_form)
    ):
        return redirect("teaching:round-admin", term_id=term.pk)
    rounds = list(selectors.round_list_for(actor=request.user, term=term))
    return render(
        request,
        "teaching/selection/round_admin.html",
        {
            "term": term,
            "rounds": rounds,
            "round_form": round_form,
            "offering_form": offering_form,
            "lottery_form": LotteryForm(),
            "results": [
                (r, selectors.round_results(selection_round=r))
                for r in rounds
                if r.kind == RoundKind.PREFERENCE
            ],
            "offerings": selectors.offering_list_for(actor=request.user, term=term),
            "now": timezone.now(),
        },
    )


@page
@require_POST
def lottery_run(request: HttpRequest, round_id: int) -> HttpResponse:
    selection_round = selectors.round_get_for(actor=request.user, round_id=round_id)
    form = LotteryForm(request.POST)
    seed = form.cleaned_data.get("seed") if form.is_valid() else None
    service_call(
        request,
        lambda: services.lottery_run(
            actor=request.user, selection_round=selection_round, seed=seed
        ),
        success=_("The lottery has assigned the seats."),
    )
    return redirect("teaching:round-admin", term_id=selection_round.term_id)


@page
def round_close(request: HttpRequest, round_id: int) -> HttpResponse:
    """Confirm, then close an open preference round now and run its lottery."""
    selection_round = selectors.round_get_for(actor=request.user, round_id=round_id)
    if not policy.has_capability(request.user, MANAGE_SELECTION, selection_round.org):
        raise PermissionDenied()
    form = LotteryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service_call(
            request,
            lambda: closing.round_close_now(
                actor=request.user,
                selection_round=selection_round,
                seed=form.cleaned_data.get("seed"),
            ),
            success=_("The round is closed and the lottery has assigned the seats."),
        )
        return redirect("teaching:round-admin", term_id=selection_round.term_id)
    return render(
        request,
        "teaching/selection/round_close.html",
        {
            "round": selection_round,
            "form": form,
            "students": selectors.students_ranking(selection_round=selection_round),
        },
    )
