"""Pages of teaching evaluation: students answer per course; managers configure and read
aggregated results (groups under the minimum number of responses show their count only)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.view_helpers import service_call
from openvet.teaching import selectors as teaching_selectors
from openvet.teaching.capabilities import MANAGE_EVALUATION
from openvet.teaching.evaluation import selectors, services
from openvet.teaching.evaluation.forms import QuestionnaireForm, WindowForm
from openvet.teaching.evaluation.models import Questionnaire
from openvet.teaching.views.common import page

GROUPS = ("course", "teacher", "department")


def _manage_context(request: HttpRequest) -> dict[str, object]:
    schools = list(teaching_selectors.schools_for(actor=request.user, capability=MANAGE_EVALUATION))
    if not schools:
        return {}
    window_form = WindowForm(request.POST or None, prefix="window")
    window_form.fields["term"].choices = [  # type: ignore[attr-defined]
        (t.pk, f"{t.org} {t}")
        for t in teaching_selectors.term_list_for(actor=request.user)
        if t.org in schools
    ]
    window_form.fields["questionnaire"].choices = [  # type: ignore[attr-defined]
        (q.pk, q.name) for q in Questionnaire.objects.filter(org__in=schools)
    ]
    return {
        "schools": schools,
        "window_form": window_form,
        "questionnaire_form": QuestionnaireForm(request.POST or None, prefix="q"),
    }


def _manage_post(request: HttpRequest, context: dict[str, object]) -> None:
    qform, wform = context["questionnaire_form"], context["window_form"]
    schools = context["schools"]
    if "q-name" in request.POST and isinstance(qform, QuestionnaireForm) and qform.is_valid():
        service_call(
            request,
            lambda: services.questionnaire_create(
                actor=request.user,
                school=schools[0],  # type: ignore[index]
                name=qform.cleaned_data["name"],
                questions=qform.questions(),
            ),
            success=_("The questionnaire was created."),
        )
    elif "window-term" in request.POST and isinstance(wform, WindowForm) and wform.is_valid():
        data = wform.cleaned_data
        service_call(
            request,
            lambda: services.window_create(
                actor=request.user,
                term=teaching_selectors.term_get_for(actor=request.user, term_id=data["term"]),
                questionnaire=Questionnaire.objects.get(pk=data["questionnaire"], org__in=schools),
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            ),
            success=_("The evaluation window was created."),
        )


@page
def evaluation_home(request: HttpRequest) -> HttpResponse:
    context = _manage_context(request)
    if request.method == "POST" and context:
        _manage_post(request, context)
        return redirect("teaching:evaluation-home")
    windows = list(selectors.window_list_for(actor=request.user)[:10])
    pending = [(w, selectors.pending_tasks(actor=request.user, window=w)) for w in windows]
    return render(
        request,
        "teaching/evaluation/home.html",
        {
            "pending": pending,
            **context,
        },
    )


@page
def evaluate(request: HttpRequest, window_id: int, task_id: int) -> HttpResponse:
    window = selectors.window_get_for(actor=request.user, window_id=window_id)
    task = next(
        (
            p["task"]
            for p in selectors.pending_tasks(actor=request.user, window=window)
            if p["task"].pk == task_id
        ),
        None,
    )
    if task is None:
        raise NotFound()
    questions = list(window.questionnaire.questions.all())
    errors: dict[str, str] = {}
    answers: dict[str, str] = {}
    if request.method == "POST":
        answers = {str(q.pk): request.POST.get(f"q{q.pk}", "") for q in questions}
        outcome = service_call(
            request,
            lambda: services.response_submit(
                actor=request.user, window=window, task=task, answers=answers
            ),
            success=_("Thank you. Your answers are anonymous."),
            show=False,
        )
        if outcome.ok:
            return redirect("teaching:evaluation-home")
        errors = outcome.errors
    return render(
        request,
        "teaching/evaluation/evaluate.html",
        {
            "window": window,
            "task": task,
            # What was answered comes back with each question's own error when refused.
            "questions": [
                {
                    "question": q,
                    "value": answers.get(str(q.pk), ""),
                    "error": errors.get(str(q.pk), ""),
                }
                for q in questions
            ],
            "errors": errors,
            "scale": [str(n) for n in range(1, 6)],
        },
    )


@page
def results(request: HttpRequest, window_id: int) -> HttpResponse:
    window = selectors.window_get_for(actor=request.user, window_id=window_id)
    by = request.GET.get("by", "course")
    by = by if by in GROUPS else "course"
    rows = selectors.results_for(actor=request.user, window=window, by=by)
    if not rows and not policy.has_capability(request.user, "teaching.view_term", window.org):
        raise NotFound()
    return render(
        request,
        "teaching/evaluation/results.html",
        {
            "window": window,
            "rows": rows,
            "by": by,
            "groups": GROUPS,
        },
    )
