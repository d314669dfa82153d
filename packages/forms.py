from django import forms

from brokerage.forms import PriceForm
from core.forms import GovUKDateField, GovUKForm

DATE_HINT = "For example, 27 3 2027"


class InForceOnForm(GovUKForm):
    """Asks "what was in force on this date?" on the package page (a GET form: nothing changes)."""

    on = GovUKDateField(label="Date", help_text=DATE_HINT)


class ChangeTermsForm(PriceForm):
    valid_from = GovUKDateField(label="Date the new terms start", help_text=DATE_HINT)
    reason = forms.CharField(label="Why are the terms changing?", widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["valid_from", "hourly_rate", "weekly_cost", "reason"]
