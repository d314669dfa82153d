from django import forms

from accounts.models import User
from core.forms import FREE_TEXT_MAX_LENGTH, GovUKDateField, GovUKForm
from core.once import OneTimeForm
from people.models import FundingDecision, ServiceType

from .models import Referral


class ReferralForm(OneTimeForm, GovUKForm):
    kind = forms.ChoiceField(
        label="What is this referral for?", choices=Referral.Kind.choices, widget=forms.RadioSelect
    )
    change = forms.ChoiceField(
        label="If a change, what kind?", choices=[("", "Not a change")] + Referral.Change.choices, required=False
    )
    service_type = forms.ChoiceField(
        label="Service",
        choices=[("", "Choose a service")] + ServiceType.choices,
        help_text="Telecare, minor works and OT equipment are not arranged by Brokerage.",
    )
    plan = forms.ModelChoiceField(
        label="Care and support plan",
        queryset=None,
        required=False,
        help_text="Needed for a new plan, a longer-term assessment, an increase, a reduction or a change of provider.",
    )
    details = forms.CharField(label="What Brokerage needs to know", widget=forms.Textarea(attrs={"rows": 5}))
    urgent = forms.BooleanField(label="This is urgent", required=False)
    effective_date = GovUKDateField(
        label="Date the change takes effect", required=False, help_text="For example, 27 3 2027"
    )
    end_date = GovUKDateField(
        label="End date of a temporary increase", required=False, help_text="For example, 27 3 2027"
    )
    puts_person_at_risk = forms.BooleanField(
        label="This reduction or suspension could put the person or their carer at risk", required=False
    )
    referred_on_to = forms.CharField(label="For extra care or carers' support: where it was referred", required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = person.plans.all()
        self.fields["plan"].label_from_instance = lambda p: f"Version {p.version}: {p.get_service_type_display()}"

    def clean(self):
        data = super().clean()
        if data.get("kind") == Referral.Kind.CHANGE and not data.get("change"):
            self.add_error("change", "Choose the kind of change")
        if data.get("kind") and data.get("kind") != Referral.Kind.CHANGE and data.get("change"):
            self.add_error("change", "Only a change to an existing service has a kind of change")
        if data.get("end_date") and not data.get("effective_date") and "effective_date" not in self.errors:
            self.add_error("effective_date", "Enter the date the change takes effect")
        if data.get("end_date") and data.get("effective_date") and data["end_date"] <= data["effective_date"]:
            self.add_error("end_date", "The end date must be after the date the change takes effect")
        return data


class FundingDecisionForm(GovUKForm):
    decision = forms.ChoiceField(label="Decision", choices=FundingDecision.Decision.choices, widget=forms.RadioSelect)
    approved_weekly_amount = forms.DecimalField(
        label="Approved weekly amount (£)", max_digits=9, decimal_places=2, min_value=0.01, required=False
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == FundingDecision.Decision.APPROVED and not data.get("approved_weekly_amount"):
            self.add_error("approved_weekly_amount", "Enter the approved weekly amount")
        return data


class AllocateForm(GovUKForm):
    officer = forms.ModelChoiceField(
        label="Officer",
        queryset=User.objects.none(),
        error_messages={
            "required": "Select the officer to give the task to",
            "invalid_choice": "Select an officer from the list",
        },
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class RiskStrategiesForm(GovUKForm):
    strategies = forms.CharField(
        label="Risk management strategies agreed",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the risk management strategies that were agreed",
            "max_length": f"Risk management strategies must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer",
        },
    )


class SourcingOptionsForm(GovUKForm):
    options = forms.CharField(
        label="Options found",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Providers, community catalogue entries and approved-list options, with contact details.",
        error_messages={
            "required": "Enter the options found",
            "max_length": f"Options found must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer",
        },
    )


class WithdrawForm(GovUKForm):
    reason = forms.CharField(
        label="Why is the referral being withdrawn?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the referral is being withdrawn",
            "max_length": f"The reason must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer",
        },
    )
