from datetime import date, datetime, time
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openvet.core import codes
from openvet.core.forms import NameField
from openvet.core.models import OrgUnit
from openvet.core.roles import Role


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username, student/staff number or mobile"),
        max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("The account or password is wrong. Please check and try again."),
        "inactive": _("This account is disabled."),
    }


class TotpForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )


_INDENT = "\u00a0\u00a0"  # two no-break spaces per level of the tree


class OrgChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # stubs lack generics
    """An org node, indented by its depth so that the tree shows in a plain select."""

    base_depth = 0

    def label_from_instance(self, obj: Any) -> str:
        return f"{_INDENT * (obj.depth - self.base_depth)}{obj.name}"


def _set_orgs(field: Any, orgs: QuerySet[OrgUnit]) -> None:
    field.queryset = orgs
    # Indent relative to the highest node offered (a school admin's school is flush left).
    field.base_depth = min((org.depth for org in orgs), default=0)


def clean_id_number(value: str) -> str:
    """A citizen ID number (GB 11643-1999), upper-cased; a lower-case x is accepted."""
    value = value.strip().upper()
    if not value:
        return ""
    problem = codes.id_number_problem(value)
    if problem == "check_digit":
        raise forms.ValidationError(_("The check digit of this ID number is wrong."))
    if problem == "birth_date":
        raise forms.ValidationError(_("The birth date in this ID number is not a real date."))
    if problem:
        raise forms.ValidationError(_("This is not a valid 18-character citizen ID number."))
    return value


def clean_mobile(value: str) -> str:
    value = value.strip()
    if value and codes.mobile_problem(value):
        raise forms.ValidationError(_("Enter an 11-digit mainland mobile number."))
    return value


class _PersonalDataForm(forms.Form):
    full_name = NameField(label=_("Full name"), max_length=100)
    person_number = forms.CharField(
        label=_("Student or staff number"), max_length=32, required=False
    )
    email = forms.EmailField(label=_("Email"), required=False)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    id_number = forms.CharField(
        label=_("Citizen ID number"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_id_number(self) -> str:
        return clean_id_number(self.cleaned_data.get("id_number", ""))

    def clean_mobile(self) -> str:
        return clean_mobile(self.cleaned_data.get("mobile", ""))


class UserCreateForm(_PersonalDataForm):
    field_order = (
        "username",
        "full_name",
        "person_number",
        "home_org",
        "mobile",
        "id_number",
        "email",
        "password",
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    home_org = OrgChoiceField(label=_("Organisation"), queryset=OrgUnit.objects.none())
    password = forms.CharField(
        label=_("Initial password"),
        help_text=_("The user must change it at the first sign-in."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, orgs: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_orgs(self.fields["home_org"], orgs)


class UserEditForm(_PersonalDataForm):
    """Leaving mobile or ID number blank keeps the stored value (it is never shown here)."""

    def __init__(self, *args: Any, masked: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("mobile", "id_number"):
            if masked.get(name):
                self.fields[name].help_text = _("Now %(value)s. Leave blank to keep it.") % {
                    "value": masked[name]
                }


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    org = OrgChoiceField(label=_("Organisation"), queryset=OrgUnit.objects.none())
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        help_text=_("Required for evaluators: the role stops working after this day."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self, *args: Any, roles: list[tuple[str, str]], orgs: QuerySet[OrgUnit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        _set_orgs(self.fields["org"], orgs)

    def expires_at(self) -> datetime | None:
        """The end of the chosen day in the local time zone."""
        day: date | None = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time.max))


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=64)
    role = forms.ChoiceField(label=_("Role"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles")), *Role.choices]  # type: ignore[attr-defined]


class AdminPasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("New initial password"),
        help_text=_("The user must change it at the next sign-in."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
