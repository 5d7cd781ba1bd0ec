"""Forms of self-enrolment; the services validate again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.learning.catalogue.models import EnrolScope
from openvet.learning.forms import StyledForm

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EnrolmentSettingsForm(StyledForm):
    scope = forms.ChoiceField(label=_("Who may enrol"), choices=EnrolScope.choices)
    opens_at = forms.DateTimeField(
        label=_("Enrolment opens"),
        required=False,
        widget=WHEN,
        help_text=_("Leave empty to open at once."),
    )
    closes_at = forms.DateTimeField(
        label=_("Enrolment closes"),
        required=False,
        widget=WHEN,
        help_text=_("Leave empty to keep it open."),
    )
    key = forms.CharField(
        label=_("Enrolment key"),
        required=False,
        max_length=40,
        help_text=_("Optional: learners must type it to enrol."),
    )
    capacity = forms.IntegerField(
        label=_("Number of seats"),
        min_value=0,
        max_value=100_000,
        initial=0,
        help_text=_("0 means no limit."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Enrolment must close after it opens."))
        return data


class EnrolForm(StyledForm):
    key = forms.CharField(label=_("Enrolment key"), required=False, max_length=40)


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by title"), required=False, max_length=100)
    place = forms.TypedChoiceField(
        label=_("School or major"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: object, places: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form takes data, files
        self.fields["place"].choices = [("", _("All schools and majors")), *places]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["q"].widget.attrs.update({"class": "form-control", "type": "search"})
        self.fields["place"].widget.attrs.update({"class": "form-select"})
