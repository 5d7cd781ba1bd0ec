"""Forms of grade pages: parsing only; ranges and locking are checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openvet.teaching.forms import StyledForm
from openvet.teaching.grades.models import Attempt, ComponentKind, Scale


class WeightsForm(StyledForm):
    scale = forms.ChoiceField(label=_("Scale"), choices=Scale.choices)
    usual = forms.IntegerField(
        label=ComponentKind.USUAL.label, min_value=0, max_value=100, required=False
    )
    midterm = forms.IntegerField(
        label=ComponentKind.MIDTERM.label, min_value=0, max_value=100, required=False
    )
    final = forms.IntegerField(
        label=ComponentKind.FINAL.label, min_value=0, max_value=100, required=False
    )
    practical = forms.IntegerField(
        label=ComponentKind.PRACTICAL.label, min_value=0, max_value=100, required=False
    )


class UploadForm(StyledForm):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class AttemptForm(StyledForm):
    student = forms.IntegerField(widget=forms.HiddenInput)
    attempt = forms.ChoiceField(
        label=_("Attempt"),
        choices=[(Attempt.MAKEUP, Attempt.MAKEUP.label), (Attempt.RETAKE, Attempt.RETAKE.label)],
    )
    score = forms.CharField(label=_("Score"), max_length=10)


class ChangeForm(StyledForm):
    grade = forms.IntegerField(widget=forms.HiddenInput)
    component = forms.CharField(label=_("Component"), max_length=10)
    score = forms.CharField(label=_("New score"), max_length=10)
    reason = forms.CharField(label=pgettext_lazy("grade change", "Reason"), max_length=300)
