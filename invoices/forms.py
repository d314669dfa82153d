from django import forms

from core.forms import GovUKDateField, GovUKForm, free_text
from providers.models import Provider

from .selectors import OrderNumberError, order_by_number

DATE_HINT = "For example, 27 3 2027"


def _amount(label: str, *, required=True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=9,
        decimal_places=2,
        min_value=0.01,
        error_messages={
            "required": "Enter the amount invoiced",
            "invalid": "The amount must be a number of pounds and pence, like 412.50",
            "min_value": "The amount must be more than £0",
            "max_digits": "The amount must be less than £10,000,000",
            "max_decimal_places": "The amount must have no more than 2 numbers after the decimal point",
            "max_whole_digits": "The amount must be less than £10,000,000",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )


class PeriodMixin:
    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after the day it starts")
        return data


class RecordForm(PeriodMixin, GovUKForm):
    purchase_order = forms.CharField(
        label="Purchase order number",
        max_length=60,
        help_text="As printed on the order, like PO-2026-000123. The invoice is held against the revision in force on "
        "its first day.",
        error_messages={"required": "Enter the purchase order number"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    number = forms.CharField(
        label="Provider's invoice number",
        max_length=50,
        help_text="The number the provider gave the invoice.",
        error_messages={"required": "Enter the provider's invoice number"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    period_start = GovUKDateField(label="Period from", help_text=f"The first day invoiced. {DATE_HINT}")
    period_end = GovUKDateField(label="Period to", help_text=f"The last day invoiced. {DATE_HINT}")
    amount = _amount("Amount invoiced (£)")
    received_on = GovUKDateField(label="Received on", help_text=DATE_HINT)

    def clean_purchase_order(self):
        try:
            return order_by_number(self.cleaned_data["purchase_order"])
        except OrderNumberError as wrong:
            raise forms.ValidationError(wrong.message) from None


class ApproveForm(GovUKForm):
    note = free_text(
        "Why is it approved?",
        required=False,
        help_text="Needed when the check flagged the invoice: say why it is paid all the same.",
    )


class QueryForm(GovUKForm):
    note = free_text(
        "What is the provider asked?",
        required=True,
        missing="Enter what the provider is asked about the invoice",
    )


class AnswerForm(PeriodMixin, GovUKForm):
    note = free_text("What did the provider answer?", required=False)
    amount = _amount("Corrected amount (£)", required=False)
    period_start = GovUKDateField(label="Corrected period from", required=False, help_text=DATE_HINT)
    period_end = GovUKDateField(label="Corrected period to", required=False, help_text=DATE_HINT)


class RejectForm(GovUKForm):
    note = free_text("Why is it rejected?", required=True, missing="Enter why the invoice is rejected")


class WaitingFilterForm(GovUKForm):
    provider = forms.ModelChoiceField(
        label="Provider",
        required=False,
        queryset=Provider.objects.none(),
        empty_label="All providers",
        error_messages={"invalid_choice": "Select a provider from the list"},
    )
    period_from = GovUKDateField(label="Invoices for days from", required=False, help_text=DATE_HINT)
    period_to = GovUKDateField(label="Invoices for days to", required=False, help_text=DATE_HINT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(invoices__isnull=False).distinct().order_by("name")

    def clean(self):
        data = super().clean()
        first, last = data.get("period_from"), data.get("period_to")
        if first and last and last < first:
            self.add_error("period_to", "The last day must be the same as or after the first day")
        return data
