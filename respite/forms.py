from django import forms
from django.db.models import Exists, OuterRef

from core.forms import GovUKDateField, GovUKForm, free_text
from providers.models import Provider, ProviderService


class AllowanceForm(GovUKForm):
    """A form on the allowance's page: prefixed by its step, so two forms' fields never share an id."""

    def __init__(self, *args, allowance, **kwargs):
        self.allowance = allowance
        super().__init__(*args, **kwargs)


class LoadForm(AllowanceForm):
    year_start = GovUKDateField(
        label="The allowance year starts on", help_text="It runs for a year from this day. For example, 1 4 2027"
    )


class LetterForm(AllowanceForm):
    sent_to = forms.CharField(
        label="Who was the letter sent to?",
        max_length=200,
        help_text="The person, or their representative, and how: by post or by e-mail.",
        error_messages={"required": "Enter who the letter was sent to"},
    )


class BookingForm(AllowanceForm):
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=Provider.objects.none(),
        error_messages={"required": "Select the provider", "invalid_choice": "Select a provider from the list"},
    )
    start_date = GovUKDateField(label="First night", help_text="For example, 14 6 2027")
    end_date = GovUKDateField(label="Leaves on", help_text="The day the stay ends. For example, 21 6 2027")
    cost = forms.DecimalField(
        label="Cost of the stay (£)",
        max_digits=9,
        decimal_places=2,
        min_value=0.01,
        error_messages={"required": "Enter the cost of the stay"},
    )
    reason = free_text(
        "Why this provider, if it is not on the respite framework",
        required=False,
        help_text="Only for a provider off the framework: the DPS team is told, so it can invite it to enrol.",
    )

    def __init__(self, *args, allowance, **kwargs):
        super().__init__(*args, allowance=allowance, **kwargs)
        offers_respite = ProviderService.objects.filter(provider=OuterRef("pk"), service_type_id="respite")
        self.fields["provider"].queryset = Provider.objects.filter(Exists(offers_respite), active=True).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "The stay must end after its first night")
        return data


class CancelForm(GovUKForm):
    reason = free_text("Why is the booking cancelled?", missing="Enter why the booking is cancelled")
