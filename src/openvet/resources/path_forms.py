"""Forms of the learning-path pages (ADR 0535): parsing only; rules live in the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.resources.forms import StyledForm


class PathForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    major_code = forms.ChoiceField(label=_("Major"))
    description = forms.CharField(
        label=_("What the learner will learn"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, majors: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["major_code"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 a programming error otherwise
        field.choices = [("", "—"), *majors]


class StepForm(StyledForm):
    heading = forms.CharField(
        label=_("Section heading"),
        max_length=100,
        required=False,
        help_text=_("Shown above this step, for example “Unit 2: loops”."),
    )
    note = forms.CharField(label=_("Note for the learner"), max_length=300, required=False)
