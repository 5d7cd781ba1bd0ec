"""Forms of course selection pages: parsing only; the services hold the rules."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.core.forms import NameField
from openvet.teaching.forms import DATETIME, StyledForm
from openvet.teaching.models import Weekday
from openvet.teaching.selection.models import RoundKind
from openvet.teaching.selection.rules import credits_text


class RoundForm(StyledForm):
    name = NameField(label=_("Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=RoundKind.choices)
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME)
    max_choices = forms.IntegerField(
        label=_("Most courses per student"), min_value=1, max_value=20, initial=3
    )
    max_credits_per_student = forms.DecimalField(
        label=_("Most credits per student (empty: no limit)"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=99,
        max_digits=4,
        decimal_places=1,
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


class OfferingFilterForm(StyledForm):
    """The search and filters of the offerings list (GET; every field optional)."""

    q = forms.CharField(label=_("Course or teacher"), required=False, max_length=50)
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=[("", _("Any day")), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    credits = forms.TypedChoiceField(
        label=_("Credits"), coerce=Decimal, empty_value=None, required=False
    )
    seats = forms.BooleanField(label=_("Only with seats left"), required=False)

    def __init__(self, *args: Any, credit_choices: list[Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Any credits")), *((str(c), credits_text(c)) for c in credit_choices)]
        self.set_choices("credits", choices)
