"""Forms of attendance pages: parsing only."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openvet.teaching.attendance.models import AttendanceStatus
from openvet.teaching.forms import DATE, StyledForm


class SessionOpenForm(StyledForm):
    task = forms.TypedChoiceField(label=_("Course"), coerce=int)
    day = forms.DateField(label=_("Date"), widget=DATE)
    period_start = forms.IntegerField(label=_("First period"), min_value=1, max_value=20)
    require_location = forms.BooleanField(label=_("Require the phone's location"), required=False)

    def __init__(self, *args: Any, tasks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = tasks  # type: ignore[attr-defined]


class SignInForm(StyledForm):
    code = forms.CharField(
        label=_("Code shown by the teacher"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(label=_("Longitude"), required=False, widget=forms.HiddenInput)


class MarkForm(StyledForm):
    student = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=AttendanceStatus.choices)


class LeaveForm(StyledForm):
    date_from = forms.DateField(label=_("From"), widget=DATE)
    date_to = forms.DateField(label=_("To"), widget=DATE)
    reason = forms.CharField(
        label=pgettext_lazy("leave request", "Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
