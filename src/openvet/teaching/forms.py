"""Forms of the teaching pages: parsing and field checks only; the services hold the rules."""

from datetime import time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openvet.core.forms import NameField
from openvet.teaching.models import (
    AdjustmentKind,
    Assessment,
    CalendarDayKind,
    CourseType,
    RoomType,
    TermNumber,
    WeekParity,
)

WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]
DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates render fields generically."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def set_choices(self, name: str, choices: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 a programming error otherwise
        field.choices = choices

    def add_domain_errors(self, details: Any) -> None:
        """Show a service's ``details`` {field: message} on the form."""
        for name, message in dict(details or {}).items():
            self.add_error(name if name in self.fields else None, str(message))


class TermForm(StyledForm):
    school = forms.TypedChoiceField(label=_("School"), coerce=int)
    academic_year = forms.IntegerField(
        label=_("Academic year (first year)"), min_value=2000, max_value=2100
    )
    number = forms.TypedChoiceField(label=_("Term"), choices=TermNumber.choices, coerce=int)
    start_date = forms.DateField(label=_("First Monday"), widget=DATE)
    weeks = forms.IntegerField(label=_("Teaching weeks"), min_value=1, max_value=30, initial=18)
    teaching_days = forms.IntegerField(
        label=_("Teaching days per week"), min_value=1, max_value=7, initial=5
    )
    max_daily_periods = forms.IntegerField(
        label=_("Most periods per class and day"), min_value=1, max_value=16, required=False
    )

    def __init__(self, *args: Any, schools: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("school", schools)


class CalendarDayForm(StyledForm):
    day = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDayKind.choices)
    follows_date = forms.DateField(
        label=_("Holds the lectures of (make-up days)"), widget=DATE, required=False
    )
    name = NameField(label=_("Name"), max_length=60, required=False)


class BellScheduleForm(StyledForm):
    periods = forms.CharField(
        label=_("Periods, one per line as HH:MM-HH:MM"), widget=forms.Textarea(attrs={"rows": 12})
    )

    def clean_periods(self) -> list[tuple[time, time]]:
        result = []
        for number, line in enumerate(self.cleaned_data["periods"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                start, end = (time.fromisoformat(part.strip()) for part in line.split("-"))
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(number)s is not HH:MM-HH:MM."), params={"number": number}
                ) from None
            result.append((start, end))
        return result


class RoomForm(StyledForm):
    building = NameField(label=_("Building"), max_length=60)
    number = forms.CharField(label=_("Room number"), max_length=20)
    name = NameField(label=_("Name"), max_length=80, required=False)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=2000)
    room_type = forms.ChoiceField(label=_("Room type"), choices=RoomType.choices)


class CourseForm(StyledForm):
    code = forms.CharField(label=_("Course code"), max_length=20)
    name = NameField(label=_("Course name"), max_length=100)
    theory_hours = forms.IntegerField(label=_("Theory hours"), min_value=0, max_value=999)
    practice_hours = forms.IntegerField(label=_("Practice hours"), min_value=0, max_value=999)
    credits = forms.DecimalField(label=_("Credits"), min_value=0, max_digits=4, decimal_places=1)
    course_type = forms.ChoiceField(label=_("Course type"), choices=CourseType.choices)
    assessment = forms.ChoiceField(label=_("Assessment"), choices=Assessment.choices)
    room_type = forms.ChoiceField(label=_("Usual room type"), choices=RoomType.choices)


class ProgrammeForm(StyledForm):
    major = forms.TypedChoiceField(label=_("Major"), coerce=int)
    intake_year = forms.IntegerField(label=_("Intake year"), min_value=2000, max_value=2100)
    name = NameField(label=_("Name"), max_length=120, required=False)

    def __init__(self, *args: Any, majors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("major", majors)


class NewVersionForm(StyledForm):
    intake_year = forms.IntegerField(label=_("Intake year"), min_value=2000, max_value=2100)


class ProgrammeCourseForm(StyledForm):
    course = forms.TypedChoiceField(label=_("Course"), coerce=int)
    semester = forms.IntegerField(label=_("Semester"), min_value=1, max_value=10)
    is_required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    weekly_hours = forms.IntegerField(label=_("Periods per week"), min_value=0, max_value=30)
    block = forms.IntegerField(label=_("Consecutive periods"), min_value=1, max_value=3, initial=1)
    training_weeks = forms.IntegerField(
        label=_("Whole training weeks"), min_value=0, max_value=20, initial=0
    )
    certificates = forms.CharField(label=_("1+X certificates"), max_length=200, required=False)

    def __init__(self, *args: Any, courses: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("course", courses)


class TaskForm(StyledForm):
    teachers = forms.TypedMultipleChoiceField(label=_("Teachers"), coerce=int, required=False)
    weekly_hours = forms.IntegerField(label=_("Periods per week"), min_value=0, max_value=30)
    week_start = forms.IntegerField(label=_("First week"), min_value=1, max_value=30)
    week_end = forms.IntegerField(label=_("Last week"), min_value=1, max_value=30)
    week_parity = forms.ChoiceField(label=_("Weeks"), choices=WeekParity.choices)
    room_type = forms.ChoiceField(label=_("Room type"), choices=RoomType.choices)
    room = forms.TypedChoiceField(
        label=_("Named room"), coerce=int, required=False, empty_value=None
    )
    block = forms.IntegerField(label=_("Consecutive periods"), min_value=1, max_value=3)
    student_count = forms.IntegerField(label=_("Students"), min_value=0, max_value=2000)

    def __init__(
        self,
        *args: Any,
        teachers: list[tuple[int, str]],
        rooms: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("teachers", teachers)
        self.set_choices("room", [("", "—"), *rooms])


class EntryForm(StyledForm):
    task = forms.TypedChoiceField(label=_("Teaching task"), coerce=int)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    period_start = forms.IntegerField(label=_("First period"), min_value=1, max_value=16)
    length = forms.IntegerField(label=_("Periods"), min_value=1, max_value=8, initial=2)
    room = forms.TypedChoiceField(label=_("Room"), coerce=int, required=False, empty_value=None)
    week_parity = forms.ChoiceField(label=_("Weeks"), choices=WeekParity.choices)

    def __init__(
        self, *args: Any, tasks: list[tuple[int, str]], rooms: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("task", tasks)
        self.set_choices("room", [("", "—"), *rooms])


class AdjustmentForm(StyledForm):
    task = forms.TypedChoiceField(label=_("Teaching task"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=AdjustmentKind.choices)
    original_date = forms.DateField(label=_("Date of the lecture"), widget=DATE, required=False)
    original_period_start = forms.IntegerField(
        label=_("Its first period"), min_value=1, max_value=16, required=False
    )
    new_date = forms.DateField(label=_("New date"), widget=DATE, required=False)
    new_period_start = forms.IntegerField(
        label=_("New first period"), min_value=1, max_value=16, required=False
    )
    new_length = forms.IntegerField(label=_("Periods"), min_value=1, max_value=8, required=False)
    new_room = forms.TypedChoiceField(
        label=_("New room"), coerce=int, required=False, empty_value=None
    )
    reason = forms.CharField(label=pgettext_lazy("timetable adjustment", "Reason"), max_length=300)

    def __init__(
        self, *args: Any, tasks: list[tuple[int, str]], rooms: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("task", tasks)
        self.set_choices("new_room", [("", "—"), *rooms])


class SolverForm(StyledForm):
    """Start a run. Once the term has a published timetable, keeping it is the default."""

    minimal_perturbation = forms.BooleanField(
        label=_("Keep the published timetable: move only the lessons that must move"),
        required=False,
    )
    time_limit = forms.IntegerField(
        label=_("How long to search (seconds)"), min_value=1, max_value=3600, initial=20
    )
    seed = forms.IntegerField(
        label=_("Random seed"),
        help_text=_("Another seed gives another timetable of similar quality."),
        min_value=0,
        max_value=2**31 - 1,
        initial=0,
    )

    def __init__(self, *args: Any, has_timetable: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["minimal_perturbation"].initial = has_timetable


class SolutionUploadForm(StyledForm):
    file = forms.FileField(label=_("ITC-2007 solution (.sol)"))
