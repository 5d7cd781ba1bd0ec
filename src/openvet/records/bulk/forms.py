"""Forms of bulk import and export."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.records.bulk.models import ImportKind, ImportMode

ACCEPTED_TYPES = (
    ".xlsx",
    ".xls",
    ".ods",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/vnd.oasis.opendocument.spreadsheet",
)


class ImportForm(forms.Form):
    school = forms.TypedChoiceField(label=_("School"), coerce=int)
    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportKind.choices)
    mode = forms.ChoiceField(
        label=_("If some rows are bad"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .xls or .ods)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_TYPES)}),
    )

    def __init__(self, *args: Any, schools: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(s.pk, s.name) for s in schools]  # type: ignore[attr-defined]
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
