"""Forms of an internship's days; the services validate again (ADR 0015)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.industry.forms import DATE, StyledForm
from openvet.industry.models import IncidentSeverity, VisitKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class LeaveForm(StyledForm):
    first_day = forms.DateField(label=_("First day off"), widget=DATE)
    last_day = forms.DateField(label=_("Last day off"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeaveDecisionForm(StyledForm):
    note = forms.CharField(label=_("Note (needed to refuse)"), max_length=200, required=False)


class IncidentForm(StyledForm):
    happened_at = forms.DateTimeField(
        label=_("When it happened"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    severity = forms.ChoiceField(label=_("How serious"), choices=IncidentSeverity.choices)
    description = forms.CharField(
        label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class IncidentCloseForm(StyledForm):
    note = forms.CharField(
        label=_("How it was handled"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VisitForm(StyledForm):
    day = forms.DateField(label=_("Day of the visit"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices)
    notes = forms.CharField(
        label=_("What you saw and talked about"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MonthlyJournalForm(StyledForm):
    month = forms.DateField(label=_("Month"), widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"])
    text = forms.CharField(
        label=_("What I did, learned and found hard this month"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class EvidenceForm(StyledForm):
    journal = forms.ChoiceField(label=_("Journal"))
    task = forms.ChoiceField(label=_("Work task of my post"))
    note = forms.CharField(label=_("What I did"), max_length=300)
    file = forms.FileField(
        label=_("Photo or document"), help_text=_("A JPEG or PNG photo, or a PDF, up to 10 MB.")
    )

    def __init__(self, *args: Any, journals: list[Any], tasks: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["journal"]).choices = journals
        cast(forms.ChoiceField, self.fields["task"]).choices = [(t.pk, t.name) for t in tasks]
