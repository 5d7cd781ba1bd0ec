"""Forms of core's pages: parsing and field-level checks only; the services hold the rules."""

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openvet.core import codes, validation
from openvet.core.models import AuditAction, OrgKind, SchoolType


class NameField(forms.CharField):
    """A free-text name (of a person, an org node, a title): refuses what
    ``codes.name_problem`` refuses, with a message naming the field; cleans to NFC, trimmed."""

    def __init__(self, **kwargs: Any) -> None:
        # Checked as typed: a name of only spaces is refused rather than silently emptied.
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        if value:
            message = validation.name_error(value, label=self.label or "", required=self.required)
            if message:
                raise forms.ValidationError(message, code="name")
        super().validate(value)

    def clean(self, value: Any) -> str:
        return codes.name_normalise(str(super().clean(value)))


class PhoneField(forms.CharField):
    """A mobile number or a landline with its area code (``codes.phone_problem``)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        message = validation.phone_error(str(value or ""), label=self.label or "")
        if message:
            raise forms.ValidationError(message, code="phone")


_CODE_HELP: dict[str, str | Promise] = {
    OrgKind.SCHOOL: _("The 10-digit school identification code of the Ministry of Education."),
    OrgKind.ENTERPRISE: _("The 18-character unified social credit code."),
    OrgKind.MAJOR: _("The six-digit code of the major in the 2021 catalogue."),
    OrgKind.PROVINCE: _("The six-digit administrative division code."),
    OrgKind.CITY: _("The six-digit administrative division code."),
    OrgKind.COUNTY: _("The six-digit administrative division code."),
}
_CODE_REQUIRED = (
    OrgKind.SCHOOL,
    OrgKind.ENTERPRISE,
    OrgKind.MAJOR,
    OrgKind.PROVINCE,
    OrgKind.CITY,
    OrgKind.COUNTY,
)


class OrgForm(forms.Form):
    """The fields of an org node; which are shown depends on its kind."""

    name = NameField(label=_("Name"), max_length=120)
    name_en = NameField(label=_("English name"), max_length=200, required=False)
    code = forms.CharField(label=_("Code"), max_length=32, required=False)
    school_type = forms.ChoiceField(
        label=_("School type"), choices=SchoolType.choices, required=False
    )
    grade_year = forms.IntegerField(
        label=_("Grade year"), min_value=1990, max_value=2100, required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, kind: str, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != OrgKind.SCHOOL:
            del self.fields["school_type"]
        else:
            self.fields["school_type"].required = True
        if kind != OrgKind.CLASS:
            del self.fields["grade_year"]
        else:
            self.fields["grade_year"].required = True
        if not editing:
            del self.fields["is_active"]
        code = self.fields["code"]
        code.required = kind in _CODE_REQUIRED
        code.help_text = _CODE_HELP.get(kind, "")  # type: ignore[assignment]  # lazy text is fine here
        if kind == OrgKind.MAJOR:
            code.widget.attrs["list"] = "major-catalogue"
        if kind in (OrgKind.SCHOOL, OrgKind.MAJOR):
            code.widget.attrs["inputmode"] = "numeric"
        code.widget.attrs["autocomplete"] = "off"

    def values(self) -> dict[str, Any]:
        """The cleaned values, as the keyword arguments of ``org_create``/``org_update``."""
        return {key: value for key, value in self.cleaned_data.items() if key in self.fields}


class SearchInput(forms.TextInput):
    input_type = "search"


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=SearchInput(
            attrs={"class": "form-control", "placeholder": _("Person, object or IP address")}
        ),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
