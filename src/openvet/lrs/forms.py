"""The forms of the xAPI clients page and of a school's forwarding."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.lrs.models import UpstreamVersion, WarningKind


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
        if isinstance(widget, forms.Select):
            css = "form-select"
        widget.attrs["class"] = css


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    school = forms.TypedChoiceField(label=_("School"), coerce=int)
    can_read = forms.BooleanField(label=_("May read learning records"), required=False)
    can_write = forms.BooleanField(label=_("May send learning records"), required=False)
    xapi_version = forms.ChoiceField(
        label=_("xAPI version of its content"),
        choices=[("2.0.0", "xAPI 2.0"), ("1.0.3", "xAPI 1.0.3")],
        initial="2.0.0",
        help_text=_(
            "The version the content or app that uses this client was made for: a request that "
            "names no version is refused under it."
        ),
    )

    def __init__(self, *args: Any, schools: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = schools  # type: ignore[attr-defined]
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("can_read") and not data.get("can_write"):
            raise forms.ValidationError(_("Allow the client to read, to send, or both."))
        return data


class UpstreamForm(forms.Form):
    endpoint = forms.URLField(
        label=_("Address of the upstream LRS"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The xAPI address the province gave, ending in /xapi/ or similar."),
    )
    key = forms.CharField(label=_("Key"), max_length=200)
    secret = forms.CharField(
        label=_("Secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the secret already saved."),
    )
    version = forms.ChoiceField(label=_("xAPI version"), choices=UpstreamVersion.choices)
    is_active = forms.BooleanField(label=_("Forward new learning records"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class WarningCloseForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


# What each rule's threshold means, shown as the field's label.
_THRESHOLD_LABELS = {
    WarningKind.INACTIVE: _("Fewer learning records than"),
    WarningKind.ABSENCES: _("Missed classes, at least"),
    WarningKind.LOW_GRADE: _("A grade below"),
    WarningKind.FALLING: _("Records fell by at least (%)"),
}


class WarningRulesForm(forms.Form):
    """Threshold, days and on/off of each early-warning rule of a school."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in WarningKind.choices:
            self.fields[f"{kind}_active"] = forms.BooleanField(label=label, required=False)
            self.fields[f"{kind}_threshold"] = forms.IntegerField(
                label=_THRESHOLD_LABELS[WarningKind(kind)], min_value=1, max_value=1000
            )
            self.fields[f"{kind}_days"] = forms.IntegerField(
                label=_("Over the last days"), min_value=1, max_value=366
            )
        _style(self)

    @staticmethod
    def groups(form: "WarningRulesForm") -> list[tuple[str, list[Any]]]:
        return [
            (
                str(label),
                [form[f"{kind}_active"], form[f"{kind}_threshold"], form[f"{kind}_days"]],
            )
            for kind, label in WarningKind.choices
        ]


class RetentionForm(forms.Form):
    """A school's retention period: the platform's, its own (a number of days or months; a
    month counts 30 days), or every record kept."""

    PLATFORM, OWN, FOREVER = "platform", "own", "forever"
    DAYS, MONTHS = "days", "months"

    period = forms.ChoiceField(
        label=_("Retention period"),
        choices=[
            (PLATFORM, _("Use the platform's period")),
            (OWN, _("Set this school's own period")),
            (FOREVER, _("Keep every record")),
        ],
        widget=forms.RadioSelect,
    )
    amount = forms.IntegerField(label=_("Keep for"), required=False, min_value=1, max_value=36_500)
    unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[(DAYS, _("days")), (MONTHS, _("months"))],
        initial=DAYS,
        help_text=_("A month counts as 30 days."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["period"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period = data.get("period")
        amount = data.get("amount")
        if period == self.OWN and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter how long this school keeps its records."))
        elif period == self.OWN and amount is not None:
            days = amount * 30 if data.get("unit") == self.MONTHS else amount
            if days > 36_500:
                self.add_error("amount", _("Enter a period of at most 100 years."))
        return data

    def days(self) -> int | None:
        """The period chosen, in days (None: the platform's; 0: every record kept)."""
        data = self.cleaned_data
        if data["period"] == self.PLATFORM:
            return None
        if data["period"] == self.FOREVER:
            return 0
        return int(data["amount"]) * (30 if data["unit"] == self.MONTHS else 1)
