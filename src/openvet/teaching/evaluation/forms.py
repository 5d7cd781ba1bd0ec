"""Forms of teaching evaluation pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.core.forms import NameField
from openvet.teaching.evaluation.models import QuestionKind
from openvet.teaching.forms import DATETIME, StyledForm


class QuestionnaireForm(StyledForm):
    name = NameField(label=_("Name"), max_length=100)
    ratings = forms.CharField(
        label=_("Rating questions, one per line"), widget=forms.Textarea(attrs={"rows": 4})
    )
    comments = forms.CharField(
        label=_("Comment questions, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def questions(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (line, QuestionKind.RATING) for line in data["ratings"].splitlines() if line.strip()
        ] + [(line, QuestionKind.TEXT) for line in data["comments"].splitlines() if line.strip()]


class WindowForm(StyledForm):
    term = forms.TypedChoiceField(label=_("Term"), coerce=int)
    questionnaire = forms.TypedChoiceField(label=_("Questionnaire"), coerce=int)
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME)
