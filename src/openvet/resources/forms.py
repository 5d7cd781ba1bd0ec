"""Forms of the resource pages: parsing and field checks only; rules live in the services."""

from datetime import datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openvet.resources.models import Audience, Difficulty, Licence, OfferScope, ResourceType

if TYPE_CHECKING:
    from openvet.resources.services import OfferIn

CONTRIBUTOR_ROWS = 3


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


class ResourceForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    resource_type = forms.ChoiceField(label=_("Type"), choices=ResourceType.choices)
    major_code = forms.ChoiceField(label=_("Major"))
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=300,
        required=False,
        help_text=_("Separate keywords with commas."),
    )
    knowledge_points = forms.CharField(label=_("Knowledge points"), max_length=500, required=False)
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"), choices=Difficulty.choices, coerce=int, initial=Difficulty.MEDIUM
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    upload_keys = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, majors: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["major_code"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 a programming error otherwise
        field.choices = [("", "—"), *majors]
        for row in range(CONTRIBUTOR_ROWS):
            first = row == 0
            self.fields[f"contributor_{row}_name"] = forms.CharField(
                label=_("Contributor %(number)s") % {"number": row + 1},
                max_length=100,
                required=first,
            )
            self.fields[f"contributor_{row}_share"] = forms.DecimalField(
                label=_("Share of contributor %(number)s (%%)") % {"number": row + 1},
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
                required=first,
                initial=Decimal(100) if first else None,
            )
            for name in (f"contributor_{row}_name", f"contributor_{row}_share"):
                self.fields[name].widget.attrs.setdefault("class", "form-control")

    def metadata(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = (
            "title",
            "description",
            "resource_type",
            "major_code",
            "keywords",
            "knowledge_points",
            "difficulty",
            "audience",
            "licence",
        )
        return {name: data[name] for name in names}

    def contributors(self) -> list[tuple[str, Decimal]]:
        rows = []
        for row in range(CONTRIBUTOR_ROWS):
            name = (self.cleaned_data.get(f"contributor_{row}_name") or "").strip()
            share = self.cleaned_data.get(f"contributor_{row}_share")
            if name or share is not None:
                rows.append((name, share if share is not None else Decimal(0)))
        return rows

    def keys(self) -> list[str]:
        return [k for k in str(self.cleaned_data.get("upload_keys", "")).split(",") if k]


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ReviewForm(StyledForm):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, criteria: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scores = {}
        for key, label in criteria:
            scores[f"score_{key}"] = forms.TypedChoiceField(
                label=label,
                choices=[("", "—"), *SCORE_CHOICES],
                coerce=int,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        self.fields = {**scores, "comment": self.fields["comment"]}
        self.criteria = [key for key, _label in criteria]

    def scores(self) -> dict[str, int]:
        return {key: int(self.cleaned_data[f"score_{key}"]) for key in self.criteria}


TERM_CHOICES = (("365", _("One year")), ("", _("Without end")))


class OfferForm(StyledForm):
    scope = forms.ChoiceField(label=_("Licensee"), choices=OfferScope.choices)
    price = forms.DecimalField(
        label=_("Price (yuan)"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        help_text=_("In yuan, to the fen, e.g. 1200.00."),
    )
    term = forms.ChoiceField(label=_("Licence term"), choices=TERM_CHOICES, required=False)
    valid_until = forms.DateField(
        label=_("On sale until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def offer(self, now: datetime) -> "OfferIn":
        from openvet.resources.services import OfferIn

        data = self.cleaned_data
        until = datetime.combine(
            data["valid_until"], time.max, tzinfo=timezone.get_current_timezone()
        )
        return OfferIn(
            scope=data["scope"],
            price_fen=int(data["price"] * 100),
            term_days=int(data["term"]) if data["term"] else None,
            valid_from=now,
            valid_until=until,
        )


class PaymentConfirmForm(StyledForm):
    reference = forms.CharField(
        label=_("Bank reference of the transfer"),
        max_length=64,
        help_text=_("As printed on the bank statement."),
    )


class RefundForm(StyledForm):
    reason = forms.CharField(label=_("Reason for the refund"), max_length=200)


class PeriodForm(StyledForm):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period must end on or after its first day."))
        return data


class HarvestSourceForm(StyledForm):
    name = forms.CharField(
        label=_("Library name"), max_length=120, help_text=_("As readers will see it.")
    )
    base_url = forms.URLField(
        label=_("OAI-PMH address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The harvesting address the school gives, ending in /oai/."),
    )
    set_spec = forms.CharField(
        label=_("Set (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only this part of the library, e.g. level:school; empty for all of it."),
    )


class PackageImportForm(StyledForm):
    title = forms.CharField(
        label=_("Title (optional)"),
        max_length=200,
        required=False,
        help_text=_("Empty: the title given in the package."),
    )
    major_code = forms.ChoiceField(label=_("Major"))
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    upload_keys = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, majors: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["major_code"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 a programming error otherwise
        field.choices = [("", "—"), *majors]

    def upload_key(self) -> str:
        keys = [k for k in str(self.cleaned_data.get("upload_keys", "")).split(",") if k]
        return keys[-1] if keys else ""
