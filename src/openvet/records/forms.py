"""Forms: list filters and one application form per kind of status change."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.records import selectors
from openvet.records.codes import ChangeReason, ChangeType, PostType, StudentStatus
from openvet.records.models import Student


class StudentFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or student number"), required=False, max_length=64)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *StudentStatus.choices]
    )
    grade_year = forms.IntegerField(
        label=_("Grade year"), required=False, min_value=1990, max_value=2100
    )


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or staff number"), required=False, max_length=64)
    post_type = forms.ChoiceField(
        label=_("Post type"), required=False, choices=[("", _("Any post")), *PostType.choices]
    )
    dual = forms.BooleanField(label=_("Dual-qualified only"), required=False)


class ChangeForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=[("", _("Choose a reason")), *ChangeReason.choices],
    )
    note = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def details(self) -> dict[str, Any]:
        return {}


class SuspendForm(ChangeForm):
    planned_return_date = forms.DateField(
        label=_("Planned return date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def details(self) -> dict[str, Any]:
        return {"planned_return_date": self.cleaned_data["planned_return_date"].isoformat()}


class ChangeMajorForm(ChangeForm):
    target_major_id = forms.TypedChoiceField(label=_("New major"), coerce=int)
    target_class_id = forms.TypedChoiceField(
        label=_("New class"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, student: Student, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        majors = selectors.majors_of_school(school=student.school).exclude(pk=student.major_id)
        self.fields["target_major_id"].choices = [(m.pk, m.name) for m in majors]  # type: ignore[attr-defined]
        classes = selectors.classes_of_school(school=student.school)
        self.fields["target_class_id"].choices = [  # type: ignore[attr-defined]
            ("", _("Decide later")),
            *((c.pk, f"{c.parent} · {c.name}") for c in classes),
        ]

    def details(self) -> dict[str, Any]:
        return {
            "target_major_id": self.cleaned_data["target_major_id"],
            "target_class_id": self.cleaned_data.get("target_class_id"),
        }


class TransferForm(ChangeForm):
    target_school_id = forms.TypedChoiceField(label=_("Receiving school"), coerce=int)
    target_major_code = forms.CharField(label=_("Major code at the receiving school"), max_length=8)

    def __init__(self, *args: Any, student: Student, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schools = selectors.transfer_target_schools(exclude=student.school)
        self.fields["target_school_id"].choices = [(s.pk, s.name) for s in schools]  # type: ignore[attr-defined]

    def details(self) -> dict[str, Any]:
        return {
            "target_school_id": self.cleaned_data["target_school_id"],
            "target_major_code": self.cleaned_data["target_major_code"],
        }


class ExtendForm(ChangeForm):
    extra_years = forms.IntegerField(label=_("Extra years"), min_value=1, max_value=2)

    def details(self) -> dict[str, Any]:
        return {"extra_years": self.cleaned_data["extra_years"]}


_FORMS: dict[str, type[ChangeForm]] = {
    ChangeType.SUSPEND: SuspendForm,
    ChangeType.CHANGE_MAJOR: ChangeMajorForm,
    ChangeType.TRANSFER_OUT: TransferForm,
    ChangeType.EXTEND: ExtendForm,
}


def change_form(
    change_type: str, student: Student, data: Any = None, initial: dict[str, Any] | None = None
) -> ChangeForm:
    form_class = _FORMS.get(change_type, ChangeForm)
    if form_class in (ChangeMajorForm, TransferForm):
        return form_class(data, initial=initial, student=student)  # type: ignore[call-arg]
    return form_class(data, initial=initial)
