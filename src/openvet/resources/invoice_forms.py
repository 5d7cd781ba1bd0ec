"""The buyer's request for an invoice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openvet.resources.forms import StyledForm
from openvet.resources.models import InvoiceKind


class InvoiceRequestForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Invoice type"), choices=InvoiceKind.choices, initial=InvoiceKind.NORMAL
    )
    title = forms.CharField(
        label=_("Invoice title"),
        max_length=100,
        help_text=_("The buyer's name as it must appear: your school's full name, or yours."),
    )
    taxpayer_id = forms.CharField(
        label=_("Taxpayer id (unified social credit code)"),
        max_length=18,
        required=False,
        help_text=_("18 characters; required for a special VAT invoice."),
    )
