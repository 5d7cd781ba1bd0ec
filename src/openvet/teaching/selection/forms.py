"""Forms of course selection pages: parsing only; the services hold the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.core.forms import NameField
from openvet.teaching.forms import DATETIME, StyledForm
from openvet.teaching.selection.models import RoundKind


class RoundForm(StyledForm):
    name = NameField(label=_("Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=RoundKind.choices)
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME)
    max_choices = forms.IntegerField(
        label=_("Most courses per student"), min_value=1, max_value=20, initial=3
    )


class LotteryForm(StyledForm):
    seed = forms.IntegerField(
        label=_("Seed (empty: a random seed, recorded)"), required=False, min_value=0
    )


class OfferingForm(StyledForm):
    task = forms.TypedChoiceField(label=_("Teaching task"), coerce=int)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1)
    eligible_grades = forms.CharField(
        label=_("Grades (years, comma separated; empty: all)"), required=False
    )
    prerequisites = forms.CharField(
        label=_("Prerequisite course codes (comma separated)"), required=False
    )

    def __init__(self, *args: Any, tasks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = tasks  # type: ignore[attr-defined]

    def clean_eligible_grades(self) -> list[int]:
        raw = self.cleaned_data["eligible_grades"]
        try:
            # "\uff0c" is the full-width comma of Chinese keyboards.
            return [int(part) for part in raw.replace("\uff0c", ",").split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("Enter years such as 2024, 2025.")) from exc

    def clean_prerequisites(self) -> list[str]:
        raw = self.cleaned_data["prerequisites"]
        return [p.strip() for p in raw.split(",") if p.strip()]
