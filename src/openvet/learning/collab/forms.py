"""Forms of course groups and group documents (ADR 0756-0757)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.learning.forms import StyledForm

TEXT_HELP = _(
    "Type plain text (each line stays a line); bold text and lists are kept. "
    "Every save is kept as a version."
)


class GroupForm(StyledForm):
    name = forms.CharField(label=_("Name of the group"), max_length=60)
    learners = forms.TypedMultipleChoiceField(
        label=_("Learners not in a group yet"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["learners"].choices = choices  # type: ignore[attr-defined]  # a choice field


class DealForm(StyledForm):
    """Learners not in a group yet dealt into new groups (ADR 0762): by group size or by the
    number of groups, at random or in student-number order."""

    order = forms.ChoiceField(
        label=_("How to deal"),
        choices=[("random", _("At random")), ("number", _("In student-number order"))],
        initial="random",
        widget=forms.RadioSelect,
    )
    size = forms.IntegerField(
        label=_("Learners per group"),
        min_value=2,
        max_value=20,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    count = forms.IntegerField(
        label=_("Or: number of groups"),
        min_value=1,
        max_value=30,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_(
            "Fill in one of the two. Only learners who are not in a group yet are dealt; "
            "existing groups stay as they are."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        size, count = data.get("size"), data.get("count")
        if "size" in data and "count" in data:
            if size is None and count is None:
                self.add_error("size", _("Give the learners per group or the number of groups."))
            elif size is not None and count is not None:
                self.add_error("count", _("Fill in only one: learners per group or groups."))
        return data


class RenameForm(StyledForm):
    name = forms.CharField(label=_("New name"), max_length=60)


class DocumentForm(StyledForm):
    title = forms.CharField(label=_("Title of the document"), max_length=120)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), help_text=TEXT_HELP
    )


class EditForm(StyledForm):
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}), help_text=TEXT_HELP
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CommentForm(StyledForm):
    text = forms.CharField(
        label=_("Your comment"), max_length=2_000, widget=forms.Textarea(attrs={"rows": 3})
    )
