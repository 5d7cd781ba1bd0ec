"""The forms of the xAPI clients page and of a school's forwarding."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.lrs.models import UpstreamVersion


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
