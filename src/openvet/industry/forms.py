"""Forms of the industry pages; the services validate again (ADR 0015)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.industry.codes import Destination, EnterpriseSize, Industry, SalaryBand
from openvet.industry.models import InternshipKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INTENSITY = [(1, _("Grade I")), (2, _("Grade II")), (3, _("Grade III")), (4, _("Grade IV"))]


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates render fields generically."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class ProfileForm(StyledForm):
    industry = forms.ChoiceField(label=_("Industry"), choices=Industry.choices)
    size = forms.ChoiceField(label=_("Size"), choices=EnterpriseSize.choices)
    region_code = forms.CharField(
        label=_("Region code"), max_length=6, help_text=_("6 digits of the county or district.")
    )
    address = forms.CharField(label=_("Address"), max_length=200)
    contact_name = forms.CharField(label=_("Contact person"), max_length=100)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20)
    staff_count = forms.IntegerField(label=_("Staff on the payroll"), min_value=1)
    is_entertainment_venue = forms.BooleanField(label=_("Entertainment venue"), required=False)
    is_agency = forms.BooleanField(label=_("Staffing or placement agency"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PostForm(StyledForm):
    school = forms.TypedChoiceField(
        label=_("School"),
        coerce=int,
        help_text=_("The post appears under this school's name once the school approves it."),
    )
    title = forms.CharField(label=_("Post"), max_length=100)
    description = forms.CharField(
        label=_("Tasks of the post"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    location = forms.CharField(label=_("Workplace"), max_length=200)
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6)
    openings = forms.IntegerField(label=_("Openings"), min_value=1)
    same_post_staff = forms.IntegerField(label=_("Staff in the same post"), min_value=1)
    staff_wage = forms.IntegerField(
        label=_("Monthly wage of staff in this post (yuan)"), min_value=1
    )
    physical_intensity = forms.TypedChoiceField(
        label=_("Physical labour intensity"), choices=INTENSITY, coerce=int
    )
    minor_forbidden = forms.BooleanField(label=_("Forbidden work for minors"), required=False)
    female_forbidden = forms.BooleanField(label=_("Forbidden work for women"), required=False)
    high_risk = forms.BooleanField(label=_("High-risk work"), required=False)
    night_shifts = forms.BooleanField(label=_("Night shifts"), required=False)
    intern_pay = forms.IntegerField(label=_("Monthly pay offered to interns (yuan)"), min_value=0)
    shifts = forms.CharField(
        label=_("Working hours and shifts"),
        max_length=200,
        required=False,
        help_text=_("For example: weekdays 8:30–17:30, one day shift."),
    )
    skills = forms.CharField(
        label=_("Skills practised"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanForm(StyledForm):
    class_unit = forms.TypedChoiceField(label=_("Class"), coerce=int)
    name = forms.CharField(label=_("Plan name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind of internship"), choices=InternshipKind.choices)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE)
    objectives = forms.CharField(
        label=_("Learning objectives"), widget=forms.Textarea(attrs={"rows": 3})
    )
    longer_allowed = forms.BooleanField(
        label=_("Longer internship allowed (medicine and health majors)"), required=False
    )
    filing_reference = forms.CharField(
        label=_("Filing number with the education authority"),
        max_length=60,
        required=False,
        help_text=_("Post internships are filed with the education authority before they start."),
    )
    out_of_province_approval = forms.CharField(
        label=_("Authority's approval of internships outside the province"),
        max_length=60,
        required=False,
    )
    safety_training_on = forms.DateField(
        label=_("Safety training held on"), widget=DATE, required=False
    )
    emergency_plan = forms.CharField(
        label=_("Emergency plan for incidents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlacementForm(StyledForm):
    student = forms.TypedChoiceField(label=_("Student"), coerce=int)
    post = forms.TypedChoiceField(label=_("Post"), coerce=int)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE)
    school_mentor = forms.TypedChoiceField(label=_("School mentor"), coerce=int)
    enterprise_mentor = forms.TypedChoiceField(
        label=_("Enterprise mentor"), coerce=int, required=False, empty_value=None
    )
    monthly_pay = forms.IntegerField(label=_("Monthly pay (yuan)"), min_value=0)
    fees_charged = forms.IntegerField(
        label=_("Fees charged to the student (yuan)"), min_value=0, initial=0
    )
    agreement = forms.FileField(
        label=_("Three-party agreement (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    consent = forms.FileField(
        label=_("Informed consent of the student and guardian (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    insurance_policy = forms.CharField(
        label=_("Liability insurance policy number"), max_length=40, required=False
    )
    insurance_start = forms.DateField(label=_("Insurance from"), widget=DATE, required=False)
    insurance_end = forms.DateField(label=_("Insurance until"), widget=DATE, required=False)


class CheckInForm(StyledForm):
    latitude = forms.FloatField(widget=forms.HiddenInput)
    longitude = forms.FloatField(widget=forms.HiddenInput)
    device = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class JournalForm(StyledForm):
    week_start = forms.DateField(label=_("Week starting"), widget=DATE)
    text = forms.CharField(
        label=_("What I did and learned this week"), widget=forms.Textarea(attrs={"rows": 5})
    )


class EvaluationForm(StyledForm):
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    comment = forms.CharField(
        label=_("Comment on the internship"), widget=forms.Textarea(attrs={"rows": 3})
    )


# Destinations whose employer has a business licence: typed by name, its code is asked for.
EMPLOYED_BY_NAME = frozenset(
    {
        Destination.AGREEMENT,
        Destination.CONTRACT,
        Destination.OTHER_HIRE,
        Destination.SELF_EMPLOYED,
    }
)


class DestinationForm(StyledForm):
    """A graduate's destination (ADR 0627): the employer is chosen from the library, or typed
    with its 统一社会信用代码; the service checks the code's check character."""

    destination = forms.ChoiceField(label=_("Destination"), choices=Destination.choices)
    employer_unit = forms.TypedChoiceField(
        label=_("Employer from the enterprise library"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    employer = forms.CharField(
        label=_("Or employer's name (or school of further study)"),
        max_length=200,
        required=False,
    )
    employer_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        required=False,
        help_text=_("18 characters, from the employer's business licence."),
    )
    region_code = forms.CharField(
        label=_("Region code of the workplace"),
        max_length=6,
        required=False,
        help_text=_("6 digits of the city or county, e.g. 330106."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    industry = forms.ChoiceField(
        label=_("Industry of the employer"), choices=[("", "—"), *Industry.choices], required=False
    )
    salary_band = forms.ChoiceField(
        label=_("Salary band"), choices=[("", "—"), *SalaryBand.choices], required=False
    )
    related_to_major = forms.TypedChoiceField(
        label=_("Is the job related to the major?"),
        choices=[("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        required=False,
        empty_value=None,
    )
    placed_on = forms.DateField(label=_("Placed on"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Reason for the correction"),
        max_length=200,
        required=False,
        help_text=_("Kept in the history when a recorded destination is changed."),
    )

    def __init__(self, *args: Any, enterprises: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer_unit"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 declared above
        field.choices = [("", "—"), *((e.pk, e.name) for e in enterprises or [])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("destination") in EMPLOYED_BY_NAME
            and data.get("employer_unit") is None
            and data.get("employer")
            and not data.get("employer_code")
        ):
            self.add_error(
                "employer_code",
                _("Give the unified social credit code of an employer typed by name."),
            )
        return data


class DestinationImportForm(StyledForm):
    file = forms.FileField(
        label=_("Class sheet (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ChangeRequestForm(StyledForm):
    action = forms.ChoiceField(
        label=_("I ask for"),
        choices=[("change", _("A change of post")), ("end", _("An early end of the internship"))],
    )
    last_day = forms.DateField(label=_("Last day at this post"), widget=DATE)
    reason = forms.CharField(label=_("Why you ask"), widget=forms.Textarea(attrs={"rows": 3}))


class StandardForm(StyledForm):
    school = forms.TypedChoiceField(label=_("School"), coerce=int)
    name = forms.CharField(label=_("Job"), max_length=100)
    occupation_code = forms.CharField(
        label=_("Occupation code"),
        max_length=12,
        required=False,
        help_text=_("Code of the occupation in the national classification, e.g. 6-18-01-01."),
    )
    enterprise = forms.TypedChoiceField(
        label=_("Co-built with"), coerce=int, required=False, empty_value=None
    )
    majors = forms.TypedMultipleChoiceField(
        label=_("Majors that prepare for the job"), coerce=int, required=False
    )
    certificates = forms.CharField(
        label=_("Required certificates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One certificate a line."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskForm(StyledForm):
    name = forms.CharField(label=_("Work task"), max_length=200)


class SkillForm(StyledForm):
    name = forms.CharField(label=_("Skill"), max_length=200)
    task = forms.TypedChoiceField(
        label=_("Work task"), coerce=int, required=False, empty_value=None
    )
    courses = forms.TypedMultipleChoiceField(
        label=_("Courses that teach it"), coerce=int, required=False
    )
