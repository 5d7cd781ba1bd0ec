"""Forms of the talent-demand and cooperation-project pages; the services validate again."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.industry.codes import SalaryBand
from openvet.industry.forms import DATE, StyledForm
from openvet.industry.models_cooperation import (
    AwardLevel,
    CaseKind,
    FundSource,
    MilestoneStatus,
    ProjectKind,
    ProjectStatus,
)


class DemandForm(StyledForm):
    enterprise = forms.TypedChoiceField(label=_("Enterprise"), coerce=int)
    position = forms.CharField(label=_("Position"), max_length=100)
    major_code = forms.ChoiceField(
        label=_("Major"), help_text=_("The major of the 2021 catalogue the position recruits from.")
    )
    region_code = forms.ChoiceField(label=_("Region of the workplace"))
    headcount = forms.IntegerField(label=_("People needed"), min_value=1)
    year = forms.IntegerField(label=_("Year of hiring"), min_value=2000, max_value=2100)
    salary_band = forms.ChoiceField(label=_("Salary band"), choices=SalaryBand.choices)
    requirements = forms.CharField(
        label=_("Requirements"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProjectForm(StyledForm):
    school = forms.TypedChoiceField(label=_("School"), coerce=int)
    name = forms.CharField(label=_("Project name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind of cooperation"), choices=ProjectKind.choices)
    enterprise = forms.TypedChoiceField(label=_("Lead enterprise"), coerce=int)
    partners = forms.TypedMultipleChoiceField(
        label=_("Other partner enterprises"), coerce=int, required=False
    )
    major = forms.TypedChoiceField(label=_("Major"), coerce=int, required=False, empty_value=None)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    description = forms.CharField(
        label=_("Goals and content"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StatusForm(StyledForm):
    status = forms.ChoiceField(label=_("Status of the project"), choices=ProjectStatus.choices)


class AgreementForm(StyledForm):
    title = forms.CharField(label=_("Agreement"), max_length=120)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    file = forms.FileField(
        label=_("Signed agreement (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class MilestoneForm(StyledForm):
    title = forms.CharField(label=_("Milestone"), max_length=120)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class MilestoneUpdateForm(StyledForm):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=MilestoneStatus.choices)
    reached_on = forms.DateField(label=_("Reached on"), widget=DATE, required=False)


class DeliverableForm(StyledForm):
    title = forms.CharField(label=_("Deliverable"), max_length=120)
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE)
    file = forms.FileField(label=_("File"), required=False)


class FundForm(StyledForm):
    source = forms.ChoiceField(label=_("Source"), choices=FundSource.choices)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CaseForm(StyledForm):
    org = forms.TypedChoiceField(label=_("Kept by"), coerce=int)
    title = forms.CharField(label=_("Case"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=200,
        help_text=_("Separate tags with commas, e.g. smart manufacturing, student start-up."),
    )
    is_published = forms.BooleanField(label=_("Publish to every school's staff"), required=False)


class CaseFileForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    file = forms.FileField(label=_("File"))


class CaseAwardForm(StyledForm):
    name = forms.CharField(label=_("Award"), max_length=160)
    level = forms.ChoiceField(label=_("Level"), choices=AwardLevel.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
