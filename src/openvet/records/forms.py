"""Forms: list filters and one application form per kind of status change."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openvet.core.forms import NameField, PhoneField
from openvet.core.models import OrgUnit
from openvet.records import selectors
from openvet.records.codes import (
    ChangeReason,
    ChangeType,
    EnrolmentSource,
    Gender,
    IdType,
    PostType,
    StudentStatus,
    StudyForm,
    ethnicity_names,
    political_status_names,
    reasons_for,
)
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
    """The class list follows the chosen major: the page asks for it again (htmx) when the
    major changes; without a script, a class of another major is refused on sending."""

    target_major_id = forms.TypedChoiceField(label=_("New major"), coerce=int)
    target_class_id = forms.TypedChoiceField(
        label=_("New class"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, student: Student, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        majors = list(
            selectors.majors_of_school(school=student.school).exclude(pk=student.major_id)
        )
        self.fields["target_major_id"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a major")),
            *((m.pk, m.name) for m in majors),
        ]
        chosen = self._chosen_major({m.pk for m in majors})
        classes = selectors.classes_of_school(school=student.school)
        self.fields["target_class_id"].choices = [  # type: ignore[attr-defined]
            ("", _("Decide later")),
            *(
                (c.pk, c.name if chosen else f"{c.parent} · {c.name}")
                for c in classes
                if chosen is None or c.parent_id == chosen
            ),
        ]
        self.fields["target_major_id"].widget.attrs.update(
            {
                "hx-get": reverse("records:change-apply", args=[student.pk]),
                "hx-vals": f'{{"type": "{ChangeType.CHANGE_MAJOR.value}"}}',
                "hx-target": "#id_target_class_id",
                "hx-select": "#id_target_class_id",
                "hx-swap": "outerHTML",
            }
        )

    def _chosen_major(self, allowed: set[int]) -> int | None:
        raw = self.data.get("target_major_id") if self.is_bound else None
        if raw is None:
            raw = self.initial.get("target_major_id")
        text = str(raw or "")
        return int(text) if text.isdigit() and int(text) in allowed else None

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
        form = form_class(data, initial=initial, student=student)  # type: ignore[call-arg]
    else:
        form = form_class(data, initial=initial)
    form.fields["reason"].choices = [("", _("Choose a reason")), *reasons_for(change_type)]  # type: ignore[attr-defined]
    return form


def change_detail_labels(change_type: str) -> dict[str, str]:
    """The labels of the details a kind of change records, as its form asks for them."""
    form_class = _FORMS.get(change_type, ChangeForm)
    return {name: str(field.label) for name, field in form_class.base_fields.items()}


def _coded(table: dict[str, str]) -> list[tuple[str, Any]]:
    return [("", _("Not given")), *((code, f"{code} {name}") for code, name in table.items())]


class StudentForm(forms.Form):
    """Every field of a student's record; the services hold the rules (ID number, guardians of
    minors, placement), the form only parses. On an edit, the major is fixed (a change of major
    is a status change) and empty ID number or guardian phone fields keep the stored ones."""

    student_number = forms.CharField(label=_("Student number"), max_length=32)
    name = NameField(label=pgettext_lazy("person", "Name"), max_length=100)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    id_type = forms.ChoiceField(label=_("ID type"), choices=IdType.choices)
    id_number = forms.CharField(label=_("ID number"), max_length=32, required=False)
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        help_text=_("Taken from a resident ID number when left empty."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), required=False)
    political_status = forms.ChoiceField(label=_("Political status"), required=False)
    household_registration = NameField(
        label=_("Household registration"), max_length=200, required=False
    )
    enrolment_source = forms.ChoiceField(
        label=_("Source of enrolment"),
        required=False,
        choices=[("", _("Not given")), *EnrolmentSource.choices],
    )
    major = forms.TypedChoiceField(label=_("Major"), coerce=int)
    class_unit = forms.TypedChoiceField(
        label=_("Class"), coerce=int, required=False, empty_value=None
    )
    grade_year = forms.IntegerField(label=_("Grade year"))
    schooling_years = forms.IntegerField(label=_("Length of schooling (years)"), initial=3)
    study_form = forms.ChoiceField(label=_("Study form"), choices=StudyForm.choices)
    guardian_name = NameField(label=_("Guardian's name"), max_length=100, required=False)
    guardian_relation = NameField(label=_("Guardian's relation"), max_length=40, required=False)
    guardian_phone = PhoneField(label=_("Guardian's phone"), max_length=32, required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG or PNG, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, school: OrgUnit, student: Student | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.student = student
        self.fields["ethnicity"].choices = _coded(ethnicity_names())  # type: ignore[attr-defined]
        self.fields["political_status"].choices = _coded(political_status_names())  # type: ignore[attr-defined]
        majors = selectors.majors_of_school(school=school)
        self.fields["major"].choices = [(m.pk, f"{m.code} {m.name}") for m in majors]  # type: ignore[attr-defined]
        classes = selectors.classes_of_school(school=school)
        if student is not None:
            classes = classes.filter(parent_id=student.major_id)
            for fixed in ("student_number", "major"):
                self.fields[fixed].disabled = True
            for secret in ("id_number", "guardian_phone"):
                self.fields[secret].help_text = _("Leave empty to keep the number on record.")
        self.fields["class_unit"].choices = [  # type: ignore[attr-defined]
            ("", _("No class yet")),
            *((c.pk, f"{c.parent.name if c.parent else ''} · {c.name}") for c in classes),
        ]

    @classmethod
    def initial_of(cls, student: Student) -> dict[str, Any]:
        """The record as initial values, without the ID number and guardian phone."""
        keep = set(cls.base_fields) - {"id_number", "guardian_phone", "photo", "major"}
        values = {key: getattr(student, key) for key in keep if key != "class_unit"}
        return values | {"major": student.major_id, "class_unit": student.class_unit_id}

    def values(self) -> dict[str, Any]:
        """The cleaned fields as keyword arguments of ``student_create`` / ``student_update``."""
        data = dict(self.cleaned_data)
        data.pop("photo", None)
        if self.student is not None:
            for fixed in ("student_number", "major"):
                data.pop(fixed, None)
            for secret in ("id_number", "guardian_phone"):
                if not data.get(secret):
                    data.pop(secret, None)
        if not data.get("birth_date"):
            data.pop("birth_date", None)
        data["class_unit"] = data.get("class_unit") or ""
        return data
