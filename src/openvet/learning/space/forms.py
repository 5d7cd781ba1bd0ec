from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("My note"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_("Only you can read your notes."),
    )


class PortfolioForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the portfolio"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    course_ids = forms.TypedMultipleChoiceField(
        label=_("Completed courses"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    certificate_ids = forms.TypedMultipleChoiceField(
        label=_("Certificates"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    attempt_ids = forms.TypedMultipleChoiceField(
        label=_("Quizzes handed in"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, space: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("course_ids", [(c.pk, c.title) for c in space.completed])
        self.set_choices(
            "certificate_ids", [(c.pk, f"{c.course_title} · {c.code}") for c in space.certificates]
        )
        self.set_choices(
            "attempt_ids",
            [(a.pk, f"{a.unit.course.title} · {a.unit.title} #{a.number}") for a in space.attempts],
        )

    def set_choices(self, name: str, choices: list[tuple[int, str]]) -> None:
        field = self.fields[name]
        if isinstance(field, forms.TypedMultipleChoiceField):
            field.choices = choices
