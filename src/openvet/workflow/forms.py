import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from openvet.core.forms import NameField
from openvet.core.roles import Role
from openvet.workflow.contracts import StepSpec
from openvet.workflow.models import Decision, OrgLevel, StepMode
from openvet.workflow.services import MAX_DEADLINE_HOURS

NON_APPROVERS = frozenset({Role.STUDENT, Role.EVALUATOR})


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DelegationForm(forms.Form):
    to_username = forms.CharField(label=_("Delegate's username"), max_length=64)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    @staticmethod
    def unknown_user_message() -> str:
        return str(_("No colleague you can see has this username."))


# Process definitions -----------------------------------------------------------------------

# Who may be asked to approve: everyone but students and read-only evaluators.
APPROVER_ROLES = [(value, label) for value, label in Role.choices if value not in NON_APPROVERS]
MAX_STEPS = 20
# Commas as typed on a Chinese keyboard (full-width comma, enumeration comma) separate too.
VALUE_SEPARATORS = re.compile("[,\uff0c\u3001]")


class DeadlineUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


class ConditionOperator(models.TextChoices):
    IN = "in", _("is one of")
    NOT_IN = "not_in", _("is none of")


class StepForm(forms.Form):
    """One step of a new version. Its place comes from ``order``; the formset sorts by it."""

    order = forms.IntegerField(
        label=pgettext_lazy("position of a step", "Order"), min_value=1, max_value=MAX_STEPS
    )
    name = NameField(label=_("Step name"), max_length=80)
    # The stored name the field was filled from: a default's English msgid, kept when the
    # administrator leaves its translation unchanged so the step stays translated.
    name_msgid = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    roles = forms.MultipleChoiceField(
        label=_("Approver roles"),
        choices=APPROVER_ROLES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )
    org_level = forms.ChoiceField(
        label=_("Where the approvers are"), choices=OrgLevel.choices, initial=OrgLevel.SCHOOL
    )
    countersign = forms.BooleanField(
        label=_("Countersign: every chosen role must approve"), required=False
    )
    deadline = forms.IntegerField(
        label=_("Deadline"),
        required=False,
        min_value=1,
        max_value=MAX_DEADLINE_HOURS,
        help_text=_("Leave empty for no deadline."),
    )
    deadline_unit = forms.ChoiceField(
        label=_("Deadline unit"), choices=DeadlineUnit.choices, initial=DeadlineUnit.HOURS
    )
    condition_field = forms.RegexField(
        label=_("Only when the request's field"),
        required=False,
        max_length=64,
        regex=r"^[A-Za-z_][A-Za-z0-9_]*$",
        error_messages={"invalid": _("Use the field's code: letters, digits and underscores.")},
    )
    condition_operator = forms.ChoiceField(
        label=_("Comparison"), choices=ConditionOperator.choices, initial=ConditionOperator.IN
    )
    condition_values = forms.CharField(
        label=_("Values"),
        required=False,
        max_length=200,
        help_text=_("Separate values with commas."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = _widget_class(field.widget)

    def full_clean(self) -> None:
        super().full_clean()
        # Bootstrap marks a field invalid by class; Django adds only aria-invalid.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self._clean_name(data)
        self._clean_deadline(data)
        self._clean_condition(data)
        return data

    def _clean_name(self, data: dict[str, Any]) -> None:
        msgid = data.get("name_msgid") or ""
        if msgid and data.get("name") == gettext(msgid):
            data["name"] = msgid

    def _clean_deadline(self, data: dict[str, Any]) -> None:
        amount = data.get("deadline")
        in_days = data.get("deadline_unit") == DeadlineUnit.DAYS
        if amount and in_days and amount * 24 > MAX_DEADLINE_HOURS:
            self.add_error("deadline", _("A deadline is between one hour and one year."))

    def _clean_condition(self, data: dict[str, Any]) -> None:
        values = [v.strip() for v in VALUE_SEPARATORS.split(data.get("condition_values") or "")]
        values = [v for v in values if v]
        data["condition_values"] = values
        if data.get("condition_field") and not values:
            self.add_error("condition_values", _("List the values the condition checks."))
        if values and not data.get("condition_field"):
            self.add_error("condition_field", _("Name the field the values are compared with."))

    def step_spec(self) -> StepSpec:
        data = self.cleaned_data
        hours = data["deadline"]
        if hours and data["deadline_unit"] == DeadlineUnit.DAYS:
            hours *= 24
        condition: dict[str, Any] = {}
        if data["condition_field"]:
            condition = {
                "field": data["condition_field"],
                data["condition_operator"]: data["condition_values"],
            }
        return StepSpec(
            name=data["name"].strip(),
            roles=tuple(data["roles"]),
            org_level=data["org_level"],
            mode=StepMode.ALL if data["countersign"] else StepMode.ANY,
            condition=condition,
            deadline_hours=hours or None,
        )


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def step_initial(order: int, step: StepSpec) -> dict[str, Any]:
    """The form values that show ``step`` for editing (names in the reader's language)."""
    hours = step.deadline_hours
    in_days = bool(hours) and hours is not None and hours % 24 == 0
    operator = ConditionOperator.NOT_IN if "not_in" in step.condition else ConditionOperator.IN
    return {
        "order": order,
        "name": gettext(step.name),
        "name_msgid": step.name,
        "roles": list(step.roles),
        "org_level": step.org_level,
        "countersign": step.mode == StepMode.ALL,
        "deadline": hours // 24 if in_days and hours else hours,
        "deadline_unit": DeadlineUnit.DAYS if in_days else DeadlineUnit.HOURS,
        "condition_field": step.condition.get("field", ""),
        "condition_operator": operator,
        "condition_values": ", ".join(str(v) for v in step.condition.get(operator, [])),
    }


if TYPE_CHECKING:
    _StepFormSetBase = forms.BaseFormSet[StepForm]
else:  # generic only in the type stubs
    _StepFormSetBase = forms.BaseFormSet


class BaseStepFormSet(_StepFormSetBase):
    """The steps of a new version: at least one, each order number used once."""

    def __init__(self, *args: Any, require_steps: bool = True, **kwargs: Any) -> None:
        self.require_steps = require_steps
        super().__init__(*args, **kwargs)

    def add_fields(self, form: StepForm, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this step")
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # A blank row comes numbered after the rows above it, so "add a step" appends.
        if index is not None and index >= self.initial_form_count():
            return {"initial": {"order": index + 1}}
        return {}

    def kept_forms(self) -> list[StepForm]:
        """The filled, not removed rows, in their chosen order (after ``is_valid``)."""
        kept = [
            form
            for form in self.forms
            if form.has_changed() or self.forms.index(form) < self.initial_form_count()
        ]
        kept = [form for form in kept if not form.cleaned_data.get("DELETE")]
        return sorted(kept, key=lambda form: form.cleaned_data["order"])

    def clean(self) -> None:
        if any(self.errors):
            return
        kept = self.kept_forms()
        orders = [form.cleaned_data["order"] for form in kept]
        duplicates = sorted({order for order in orders if orders.count(order) > 1})
        if duplicates:
            # Marked on each clashing row too, so the reader sees where to look.
            for form in kept:
                if form.cleaned_data["order"] in duplicates:
                    form.add_error("order", _("Used by another step."))
                    form.fields["order"].widget.attrs["class"] += " is-invalid"
            raise forms.ValidationError(
                _("Two steps cannot share the order number %(order)s."),
                code="duplicate_order",
                params={"order": duplicates[0]},
            )
        if self.require_steps and not orders:
            raise forms.ValidationError(_("A process needs at least one step."), code="no_steps")

    def step_specs(self) -> list[StepSpec]:
        return [form.step_spec() for form in self.kept_forms()]


def step_formset(
    *,
    data: Any = None,
    initial: list[dict[str, Any]] | None = None,
    extra: int = 0,
    require_steps: bool = True,
) -> BaseStepFormSet:
    formset_class = forms.formset_factory(
        StepForm,
        formset=BaseStepFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_STEPS,
        validate_max=True,
    )
    # formset_factory is typed as returning the plain base class; it returns a subclass of ours.
    step_formset_class = cast(type[BaseStepFormSet], formset_class)
    return step_formset_class(
        data=data, initial=initial, prefix="steps", require_steps=require_steps
    )


class DefinitionVersionForm(forms.Form):
    """What the editor saw: the stored definition in force when the page was opened (empty
    while the registered default is not stored yet)."""

    based_on_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
