from decimal import Decimal

from django import forms

from core.forms import GovUKDateField, GovUKForm, free_text
from core.once import OneTimeForm
from people.models import CareAndSupportPlan
from providers.models import Provider

from .models import Visit
from .services import schemes

MONEY = {"max_digits": 9, "decimal_places": 2, "min_value": Decimal("0.01")}


class ReferForm(OneTimeForm, GovUKForm):
    plan = forms.ModelChoiceField(
        label="Care and support plan",
        queryset=CareAndSupportPlan.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the care and support plan"},
    )
    scheme = forms.ModelChoiceField(
        label="Shared lives scheme",
        queryset=Provider.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the shared lives scheme"},
    )
    details = free_text(
        "What the scheme should know",
        required=False,
        rows=5,
        help_text="The referral form's answers: the person's interests, routines and what they want from shared lives.",
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = CareAndSupportPlan.objects.filter(
            person=person, service_type_id="shared_lives"
        ).order_by("-id")
        self.fields["plan"].label_from_instance = lambda plan: f"Plan {plan.pk}, {plan.created_at:%-d %B %Y}"
        self.fields["scheme"].queryset = schemes().order_by("name")


class ArrangementForm(GovUKForm):
    """A form on the arrangement's page: prefixed by its step, so two forms' fields never share an id."""

    def __init__(self, *args, arrangement, **kwargs):
        self.arrangement = arrangement
        super().__init__(*args, **kwargs)


class MatchForm(ArrangementForm):
    carer_name = forms.CharField(
        label="Matched carer's name", max_length=200, error_messages={"required": "Enter the matched carer's name"}
    )
    carer_reference = forms.CharField(label="Carer's reference at the scheme (optional)", max_length=50, required=False)
    notes = free_text("About the match", required=False)


class NoMatchForm(ArrangementForm):
    reason = free_text("Why can no carer be matched?", missing="Enter why no carer can be matched")


class VisitForm(ArrangementForm):
    kind = None  # each subclass's Visit.Kind
    on = GovUKDateField(label="Date", help_text="For example, 27 3 2027")
    outcome = forms.ChoiceField(
        label="How did it go?",
        choices=Visit.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how it went"},
    )
    notes = free_text("Notes", required=False)

    def clean(self):
        data = super().clean()
        data["kind"] = self.kind
        return data


class TasterForm(VisitForm):
    kind = Visit.Kind.TASTER


class TrialStayForm(VisitForm):
    kind = Visit.Kind.TRIAL_STAY


class DecideFundingForm(ArrangementForm):
    decision = forms.ChoiceField(
        label="The panel's decision",
        choices=[("approved", "Approve funding"), ("declined", "Decline"), ("deferred", "Defer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's decision"},
    )
    approved_weekly_amount = forms.DecimalField(
        label="Approved weekly amount (£)", required=False, help_text="If funding is approved.", **MONEY
    )
    notes = free_text("Notes", required=False, help_text="Say why, if funding is declined.")


class SendToBrokerageForm(ArrangementForm):
    details = free_text("What Brokerage should know (optional)", required=False)


class CommissionForm(ArrangementForm):
    weekly_cost = forms.DecimalField(label="Weekly cost (£)", **MONEY)
    start_date = GovUKDateField(label="Start date", help_text="For example, 27 3 2027")


class EndForm(ArrangementForm):
    reason = free_text("Why does the arrangement end?", missing="Enter why the arrangement ends")
