from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.workflow.models import Decision


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DelegationForm(forms.Form):
    to_username = forms.CharField(label=_("Delegate's username"), max_length=64)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    @staticmethod
    def unknown_user_message() -> str:
        return str(_("No colleague you can see has this username."))
