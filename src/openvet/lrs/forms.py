"""The form of the xAPI clients page."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    school = forms.TypedChoiceField(label=_("School"), coerce=int)
    can_read = forms.BooleanField(label=_("May read learning records"), required=False)
    can_write = forms.BooleanField(label=_("May send learning records"), required=False)

    def __init__(self, *args: Any, schools: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = schools  # type: ignore[attr-defined]
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            if isinstance(widget, forms.Select):
                css = "form-select"
            widget.attrs["class"] = css

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("can_read") and not data.get("can_write"):
            raise forms.ValidationError(_("Allow the client to read, to send, or both."))
        return data
