"""Forms of the learning pages; the services validate again (ADR 0015)."""

import re
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openvet.learning.models import Difficulty, PlanPhase, Question, QuestionKind, UnitKind

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
        help_text=_(
            "For a text unit, or what an assignment asks. Paragraphs, lists, tables and links "
            "are kept."
        ),
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
    due_at = forms.DateTimeField(
        label=_("Deadline of the assignment"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    late_until = forms.DateTimeField(
        label=_("Accept late submissions until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to refuse every submission after the deadline."),
    )
    late_penalty_percent = forms.IntegerField(
        label=_("Penalty for a late submission (%)"),
        min_value=0,
        max_value=100,
        initial=0,
        required=False,
    )
    accepts_text = forms.BooleanField(
        label=_("Students may answer as text"), required=False, initial=True
    )
    accepts_file = forms.BooleanField(
        label=_("Students may hand in a file"), required=False, initial=True
    )
    peer_reviews = forms.IntegerField(
        label=_("Peer reviews per student (0 for none)"),
        min_value=0,
        max_value=5,
        initial=0,
        required=False,
        help_text=_(
            "After the deadline each student scores this many classmates' submissions on the "
            "rubric, without seeing whose they are."
        ),
    )
    draw_count = forms.IntegerField(
        label=_("Random questions to draw for each attempt"),
        min_value=0,
        max_value=200,
        initial=0,
        required=False,
        help_text=_(
            "For a random paper: each attempt draws this many questions from the pool below, "
            "besides the questions chosen above. 0 for none."
        ),
    )
    draw_pool = forms.CharField(
        label=_("Pool to draw from"),
        max_length=60,
        required=False,
        help_text=_("Leave empty to draw from the whole bank."),
    )
    draw_difficulty = forms.TypedChoiceField(
        label=_("Difficulty of the drawn questions"),
        choices=[("", _("Any")), *Difficulty.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def draws(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        if not data.get("draw_count"):
            return []
        return [
            {
                "pool": data.get("draw_pool") or "",
                "difficulty": data.get("draw_difficulty"),
                "count": data["draw_count"],
            }
        ]

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
        help_text=_(
            "For choice questions: one option per line; they are lettered A, B, C… For a "
            "matching question: one pair per line, as the left item = its right item."
        ),
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
    pool = forms.CharField(
        label=_("Pool"),
        max_length=60,
        required=False,
        help_text=_("A name that groups questions for random papers, such as 第一章 or 安全."),
    )
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"),
        choices=Difficulty.choices,
        coerce=int,
        initial=Difficulty.MEDIUM,
        empty_value=None,
        required=False,
    )
    image = forms.FileField(
        label=_("Picture"),
        required=False,
        help_text=_("Optional: a JPEG, PNG, GIF or WebP picture shown with the question."),
    )

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
        data["choice_list"] = [c.strip() for c in str(data.get("choices", "")).splitlines()]
        if kind == QuestionKind.MATCHING:
            pairs = [
                [part.strip() for part in re.split(r"[=＝]", line, maxsplit=1)]
                for line in data["choice_list"]
                if line
            ]
            data["choice_list"] = [pair[0] for pair in pairs]
            answer = [pair[1] if len(pair) == 2 else "" for pair in pairs]
        data["answer_value"] = answer
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
        elif question.kind == QuestionKind.MATCHING:
            field = MatchingField(label=label, lefts=list(question.choices), rights=question.answer)
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
    for question in questions:
        if question.image:
            url = reverse("learning:question-image", args=[question.pk])
            setattr(form[f"q{question.pk}"], "image_url", url)  # noqa: B010
        if question.kind == QuestionKind.MATCHING:
            name = f"q{question.pk}"
            bound = form[name]
            rows = []
            for index, left in enumerate(question.choices):
                key = f"{bound.html_name}_{index}"
                chosen = str(data.get(key, "")) if data is not None else ""
                rows.append({"left": left, "name": key, "id": f"id_{key}", "chosen": chosen})
            setattr(bound, "matching_rows", rows)  # noqa: B010
            options = getattr(form.fields[name], "options", [])
            setattr(bound, "matching_options", options)  # noqa: B010
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


# Assignments (ADR 0720) and discussions (ADR 0724) -------------------------------------------


class SubmissionForm(StyledForm):
    text = forms.CharField(
        label=_("Your answer"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "A PDF, Word, Excel or PowerPoint file (docx, xlsx, pptx), a JPEG or PNG picture, "
            "or a zip file."
        ),
    )

    def __init__(self, *args: Any, accepts_text: bool, accepts_file: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not accepts_text:
            del self.fields["text"]
        if not accepts_file:
            del self.fields["file"]


def parse_levels(raw: str) -> list[tuple[str, int]]:
    """Lines such as "优秀 10" or "Good: 7" as (label, points); a line without points is
    kept with -1 so the service refuses it."""
    levels: list[tuple[str, int]] = []
    for line in raw.splitlines():
        line = line.strip()
        if not line:
            continue
        match = re.match(r"^(.*?)[\s:：,，|]*(\d{1,3})\s*分?$", line)
        if match and match.group(1).strip():
            levels.append((match.group(1).strip(), int(match.group(2))))
        else:
            levels.append((line, -1))
    return levels


class CriterionForm(StyledForm):
    title = forms.CharField(label=_("Criterion"), max_length=200)
    levels = forms.CharField(
        label=_("Levels and points"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One level per line: its name and points, such as 优秀 10."),
    )


def rubric_form(
    criteria: list[Any],
    data: Any = None,
    *,
    comments: bool,
    initial: dict[str, Any] | None = None,
) -> StyledForm:
    """A level to choose for each criterion (and a comment on it for the teacher), and an
    overall comment."""
    form = StyledForm(data, initial=initial)
    for criterion in criteria:
        form.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
            label=criterion.title,
            coerce=int,
            choices=[
                (level["points"], f"{level['label']}（{level['points']}）")
                for level in criterion.levels
            ],
            widget=forms.RadioSelect,
        )
        if comments:
            form.fields[f"n{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
    form.fields["comment"] = forms.CharField(
        label=_("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    return form


class TopicForm(StyledForm):
    title = forms.CharField(label=_("Title of the topic"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(StyledForm):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 3}))


class PostEditForm(StyledForm):
    body = forms.CharField(label=_("Your post"), widget=forms.Textarea(attrs={"rows": 5}))


class HideForm(StyledForm):
    reason = forms.CharField(label=_("Reason for hiding"), max_length=200)


# Points and checkpoints (ADR 0730, 0731) ---------------------------------------------------


class PointWeightsForm(StyledForm):
    unit = forms.IntegerField(
        label=_("Points per completed unit"),
        min_value=0,
        max_value=100,
        help_text=_("Text, document, image, link and package units."),
    )
    video = forms.IntegerField(
        label=_("Points per video watched in full"),
        min_value=0,
        max_value=100,
        help_text=_("A video earns its share watched at normal speed."),
    )
    quiz = forms.IntegerField(
        label=_("Points per quiz at full marks"),
        min_value=0,
        max_value=100,
        help_text=_("A quiz earns the share of its best score."),
    )
    checkpoint = forms.IntegerField(
        label=_("Points per checkpoint question answered right"), min_value=0, max_value=100
    )
    live = forms.IntegerField(
        label=_("Points per answer in a live class"), min_value=0, max_value=100
    )


class CheckpointForm(StyledForm):
    at_seconds = forms.IntegerField(
        label=_("At second"),
        min_value=1,
        help_text=_("The video stops here and shows the question."),
    )
    question_id = forms.TypedChoiceField(label=_("Question"), coerce=int)

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["question_id"]
        if isinstance(field, forms.TypedChoiceField):
            field.choices = [(q.pk, f"{q.get_kind_display()} · {q.text[:60]}") for q in questions]


class MatchingField(forms.MultiValueField):
    """One drop-down per left item of a matching question; the right items are offered in
    alphabetical order, so their order tells nothing (ADR 0750)."""

    def __init__(self, *, lefts: list[str], rights: list[Any], **kwargs: Any) -> None:
        options = [("", "—")] + [(r, r) for r in sorted({str(r) for r in rights})]
        fields = [forms.ChoiceField(choices=options, required=False) for _left in lefts]
        widget = forms.MultiWidget(
            widgets=[forms.Select(choices=options, attrs={"class": "form-select"}) for _ in lefts]
        )
        super().__init__(
            fields=fields, widget=widget, require_all_fields=False, required=False, **kwargs
        )
        self.lefts = lefts
        self.options = options

    def compress(self, data_list: list[Any]) -> list[str]:
        return [str(value or "") for value in data_list]


class QtiImportForm(StyledForm):
    file = forms.FileField(
        label=_("QTI package (2.1 or 3.0)"),
        help_text=_(
            "A zip content package with imsmanifest.xml at its top. Choice, multiple response, "
            "true or false, text entry, matching and extended text items are imported; if any "
            "item cannot be, nothing is imported and those items are named."
        ),
    )
    pool = forms.CharField(
        label=_("Pool"),
        max_length=60,
        required=False,
        help_text=_("The imported questions are put in this pool, for random papers."),
    )
