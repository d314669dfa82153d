from functools import partial

from django import forms
from django.utils import timezone

from catalogue.selectors import service_type_choices
from catalogue.sourcing import stage_choices
from core.forms import FREE_TEXT_MAX_LENGTH, DateTimeInput, GovUKDateField, GovUKForm
from core.once import OneTimeForm
from referrals.workflows import BROKERAGE_STATES, State

from .models import ContactLogEntry


class ContactLogForm(OneTimeForm, GovUKForm):
    contact_with = forms.ChoiceField(
        label="Who was the contact with?",
        choices=ContactLogEntry.With.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who the contact was with",
            "invalid_choice": "Select who the contact was with",
        },
    )
    contact_name = forms.CharField(
        label="Their name",
        required=False,
        max_length=200,
        error_messages={"max_length": "Their name must be 200 characters or fewer"},
    )
    method = forms.ChoiceField(
        label="How?",
        choices=ContactLogEntry.Method.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the contact was made",
            "invalid_choice": "Select how the contact was made",
        },
    )
    occurred_at = forms.DateTimeField(
        label="When?",
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
        error_messages={
            "required": "Enter when the contact happened",
            "invalid": "Enter when the contact happened as a real date and time",
        },
    )
    summary = forms.CharField(
        label="What was said or agreed",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter what was said or agreed",
            "max_length": f"What was said or agreed must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["occurred_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def clean_occurred_at(self):
        when = self.cleaned_data["occurred_at"]
        if when > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError("When the contact happened must be now or in the past")
        return when


class QueueFilterForm(GovUKForm):
    service_type = forms.ChoiceField(
        label="Service",
        required=False,
        choices=partial(service_type_choices, "All services"),
    )
    state = forms.ChoiceField(label="State", required=False)
    officer = forms.TypedChoiceField(label="Officer", required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label="Only overdue", required=False)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", "All officers")] + [(o.pk, str(o)) for o in officers]
        # The referral's own states, then where each service type's sourcing is (catalogue.sourcing).
        referral_states = [(s, State(s).label) for s in BROKERAGE_STATES]
        self.fields["state"].choices = [("", "All states"), ("Referral", referral_states), *stage_choices()]


class PriceForm(GovUKForm):
    """An agreement's price, asked on its basis (brokerage.services.agreement_pricing): "hourly" asks for the
    hourly rate, "weekly" for the weekly cost, which is paid as entered even when the hours are counted."""

    hourly_rate = forms.DecimalField(
        label="Hourly rate (£)", max_digits=7, decimal_places=2, min_value=0.01, required=False
    )
    weekly_cost = forms.DecimalField(
        label="Weekly cost (£)",
        max_digits=9,
        decimal_places=2,
        min_value=0.01,
        required=False,
        help_text="For a service not counted in hours.",
    )

    def __init__(self, *args, basis, hours=None, **kwargs):
        super().__init__(*args, **kwargs)
        if basis == "hourly":
            del self.fields["weekly_cost"]
            self.fields["hourly_rate"].required = True
            self.fields["hourly_rate"].help_text = f"The weekly cost is this times {hours} hours, to the penny."
        else:
            del self.fields["hourly_rate"]
            self.fields["weekly_cost"].required = True
            if hours:
                weekly_cost = self.fields["weekly_cost"]
                weekly_cost.help_text = f"Priced by the week: this is paid each week for the {hours} hours, as entered."


class AgreementForm(PriceForm):
    start_date = GovUKDateField(label="Start date", help_text="For example, 27 3 2027")

    field_order = ["start_date", "hourly_rate", "weekly_cost"]
