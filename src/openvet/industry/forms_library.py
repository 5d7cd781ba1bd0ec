"""Forms of the enterprise library's completion and of the surveys; the services validate
again (ADR 0620–0623)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.industry.codes import SalaryBand
from openvet.industry.forms import DATE, StyledForm
from openvet.industry.models_library import DocumentKind
from openvet.industry.models_surveys import SurveyMilestone

SCORES = [(n, str(n)) for n in range(5, 0, -1)]


class ContactForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    role = forms.CharField(label=_("Role at the enterprise"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=20)


class DocumentForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File (PDF)"))
    expires_on = forms.DateField(label=_("Valid until"), required=False, widget=DATE)


class RatingForm(StyledForm):
    school = forms.TypedChoiceField(label=_("School"), coerce=int)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    placement_quality = forms.TypedChoiceField(
        label=_("Quality of the placements"), choices=SCORES, coerce=int
    )
    safety = forms.TypedChoiceField(label=_("Safety"), choices=SCORES, coerce=int)
    mentor_support = forms.TypedChoiceField(label=_("Mentor support"), choices=SCORES, coerce=int)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssessmentForm(StyledForm):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    report = forms.FileField(label=_("Written assessment report (PDF)"))
    decision_reference = forms.CharField(
        label=_("Reference of the meeting's decision"), max_length=60
    )
    published_on = forms.DateField(
        label=_("List of internship units published on"), required=False, widget=DATE
    )


class RoundForm(StyledForm):
    graduation_year = forms.IntegerField(label=_("Graduation year"), min_value=2000, max_value=2100)
    milestone = forms.ChoiceField(label=_("When"), choices=SurveyMilestone.choices)
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE)


class GraduateAnswerForm(StyledForm):
    job_satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with your job?"),
        choices=SCORES,
        coerce=int,
        help_text=_("5 very satisfied, 1 not at all."),
    )
    major_relevance = forms.TypedChoiceField(
        label=_("How close is your job to your major?"),
        choices=SCORES,
        coerce=int,
        help_text=_("5 the same field, 1 unrelated."),
    )
    salary_band = forms.ChoiceField(label=_("Your monthly salary"), choices=SalaryBand.choices)
    comment = forms.CharField(
        label=_("Anything to tell the school?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EmployerAnswerForm(StyledForm):
    skills_rating = forms.TypedChoiceField(
        label=_("How do you rate the graduate's professional skills?"),
        choices=SCORES,
        coerce=int,
        help_text=_("5 excellent, 1 poor."),
    )
    would_hire_again = forms.BooleanField(
        label=_("We would hire graduates of this school again"), required=False
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
