"""Forms of the project and learning-path pages: parsing only; rules live in the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.resources.forms import ResourceForm
from openvet.resources.forms import StyledForm as BaseForm


class StyledForm(BaseForm):
    def _choices(self, name: str, choices: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 a programming error otherwise
        field.choices = choices


class ProjectForm(StyledForm):
    title = forms.CharField(label=_("Project name"), max_length=200)
    major_code = forms.ChoiceField(label=_("Major"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    member_ids = forms.TypedMultipleChoiceField(
        label=_("Member schools and enterprises"),
        coerce=int,
        required=False,
        help_text=_("Your school leads the project and is a member."),
    )

    def __init__(self, *args: Any, majors: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("major_code", [("", "—"), *majors])
        self._choices("member_ids", orgs)


class PackageForm(StyledForm):
    title = forms.CharField(label=_("Name of the work package"), max_length=200)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    planned_items = forms.IntegerField(label=_("Planned resources"), min_value=1, max_value=10000)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("owner", [("", "—"), *people])


class ContributeForm(StyledForm):
    package = forms.TypedChoiceField(label=_("Work package"), coerce=int)
    resource = forms.TypedChoiceField(
        label=_("My resource"),
        coerce=int,
        help_text=_("Add a new resource under “My resources” first if it is not listed."),
    )

    def __init__(self, *args: Any, packages: Any, resources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("package", [("", "—"), *packages])
        self._choices("resource", [("", "—"), *resources])


class MemberForm(StyledForm):
    org = forms.TypedChoiceField(
        label=_("School or enterprise"),
        coerce=int,
        help_text=_("Its people see the project at once and may contribute into its packages."),
    )

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("org", [("", "—"), *orgs])


class PackageUploadForm(ResourceForm):
    """A new resource uploaded straight into a work package (ADR 0538)."""

    package = forms.TypedChoiceField(label=_("Work package"), coerce=int)

    def __init__(self, *args: Any, packages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["package"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 a programming error otherwise
        field.choices = [("", "—"), *packages]
        field.widget.attrs.setdefault("class", "form-select")
        self.order_fields(["package"])
