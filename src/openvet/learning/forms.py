"""Forms of the learning pages; the services validate again (ADR 0015)."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openvet.learning.models import PlanPhase, Question, QuestionKind, UnitKind

LETTERS = "ABCDEFGHIJ"
TRUE_WORDS = {"true", "t", "对", "正确", "是", "√", "yes"}
FALSE_WORDS = {"false", "f", "错", "错误", "否", "×", "no"}


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates render fields generically."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class CourseForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ChapterForm(StyledForm):
    title = forms.CharField(label=_("Title of the chapter"), max_length=200)


class UnitForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For a text unit. Paragraphs, lists, tables and links are kept."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "For a video unit an MP4 video; for a document unit a PDF file; for an image a JPEG, "
            "PNG, GIF or WebP picture; for a SCORM 1.2 or 2004 package or an H5 package its zip "
            "file."
        ),
    )
    url = forms.URLField(label=_("Web address"), required=False, assume_scheme="https")
    question_ids = forms.TypedMultipleChoiceField(
        label=_("Questions of the quiz"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    release_at = forms.DateTimeField(
        label=_("Open from"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to open it at once."),
    )
    requires_previous = forms.BooleanField(
        label=_("Open only after the previous unit is completed"), required=False
    )
    min_watched_percent = forms.IntegerField(
        label=_("Share of the video to watch (%)"),
        min_value=1,
        max_value=100,
        initial=90,
        required=False,
    )
    pass_percent = forms.IntegerField(
        label=_("Pass mark of the quiz (%)"),
        min_value=0,
        max_value=100,
        initial=60,
        required=False,
    )
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit of the quiz (minutes, 0 for none)"),
        min_value=0,
        max_value=600,
        initial=0,
        required=False,
    )
    max_attempts = forms.IntegerField(
        label=_("Attempts allowed"), min_value=1, max_value=20, initial=1, required=False
    )

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["question_ids"]
        if isinstance(field, forms.TypedMultipleChoiceField):
            field.choices = [(q.pk, f"{q.get_kind_display()} · {q.text[:80]}") for q in questions]


class QuestionForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    choices = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For choice questions: one option per line; they are lettered A, B, C…"),
    )
    answer = forms.CharField(
        label=_("Right answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Choice: the letters of the right options (A, or A, C). True or false: 对 or 错. "
            "Fill in the blank: the accepted answers, one per line. Short answer: a model "
            "answer for the grader."
        ),
    )
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100, initial=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        raw = str(data.get("answer", "")).strip()
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        answer: list[Any]
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            letters = re.sub(r"[\s,，、;；]", "", raw.upper())
            if any(letter not in LETTERS for letter in letters):
                self.add_error(
                    "answer", _("Give the letters of the right options, such as A, or A, C.")
                )
                answer = []
            else:
                answer = sorted({LETTERS.index(letter) for letter in letters})
        elif kind == QuestionKind.TRUE_FALSE:
            word = raw.lower()
            answer = [True] if word in TRUE_WORDS else [False] if word in FALSE_WORDS else []
        elif kind == QuestionKind.FILL:
            answer = lines
        else:
            answer = [raw] if raw else []
        data["answer_value"] = answer
        data["choice_list"] = [c.strip() for c in str(data.get("choices", "")).splitlines()]
        return data


class GradeForm(StyledForm):
    answer_id = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.DecimalField(label=_("Points given"), min_value=0, max_digits=6, decimal_places=2)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


TRUE_FALSE_CHOICES = [
    ("true", pgettext_lazy("true or false", "True")),
    ("false", pgettext_lazy("true or false", "False")),
]


def quiz_form(questions: list[Question], data: Any = None) -> forms.Form:
    """The paper a learner answers: one field per question, named ``q<id>``."""
    form = forms.Form(data)
    for number, question in enumerate(questions, start=1):
        label = f"{number}. {question.text}"
        name = f"q{question.pk}"
        options = [(str(i), f"{LETTERS[i]}. {c}") for i, c in enumerate(question.choices)]
        field: forms.Field
        if question.kind == QuestionKind.SINGLE:
            field = forms.ChoiceField(label=label, choices=options, widget=forms.RadioSelect)
        elif question.kind == QuestionKind.MULTIPLE:
            field = forms.MultipleChoiceField(
                label=label, choices=options, widget=forms.CheckboxSelectMultiple
            )
        elif question.kind == QuestionKind.TRUE_FALSE:
            field = forms.ChoiceField(
                label=label, choices=TRUE_FALSE_CHOICES, widget=forms.RadioSelect
            )
        elif question.kind == QuestionKind.FILL:
            field = forms.CharField(label=label, max_length=200)
            field.widget.attrs["class"] = "form-control"
        else:
            field = forms.CharField(
                label=label, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
            )
            field.widget.attrs["class"] = "form-control"
        field.required = False
        form.fields[name] = field
    return form


class PlanForm(StyledForm):
    title = forms.CharField(label=_("Title of the lesson"), max_length=200)
    class_date = forms.DateField(
        label=_("Date of the class"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Students see the before-class tasks until this day."),
    )


class PlanEntryForm(StyledForm):
    phase = forms.ChoiceField(label=_("Part"), choices=PlanPhase.choices)
    unit_id = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)
    title = forms.CharField(
        label=_("Or an activity"),
        max_length=200,
        required=False,
        help_text=_("For example: group discussion, answering in class, a hands-on task."),
    )
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit_id"]
        if isinstance(field, forms.TypedChoiceField):
            field.choices = [("", _("— an activity, not a unit —"))] + [
                (u.pk, f"{u.chapter.title} · {u.title}（{u.get_kind_display()}）") for u in units
            ]


class PlanCopyForm(StyledForm):
    course_id = forms.TypedChoiceField(label=_("Copy into the course"), coerce=int)

    def __init__(self, *args: Any, courses: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["course_id"]
        if isinstance(field, forms.TypedChoiceField):
            field.choices = [(c.pk, f"{c.title} · {c.task.term}") for c in courses]
