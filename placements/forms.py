from django import forms

from core.forms import GovUKDateField, GovUKForm, free_text
from dps.forms import RequirementForm
from providers.models import Provider

from .models import FeeOffer, PlacementHome

MONEY = {"max_digits": 9, "decimal_places": 2, "min_value": 0.01}


class PlacementForm(GovUKForm):
    """A form on the placement's page: prefixed by its step, so two forms' fields never share an id."""

    def __init__(self, *args, placement, **kwargs):
        self.placement = placement
        super().__init__(*args, **kwargs)


class PublishForm(RequirementForm):
    preferred_location = forms.CharField(
        label="Where the person asked to live",
        required=False,
        max_length=200,
        help_text="An area or town. Homes see it, so no address or other personal detail.",
    )
    field_order = ["arrangement", "preferred_location", *RequirementForm.field_order[1:]]

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, referral=placement.referral, **kwargs)
        self.fields["start_date"].label = "Placement needed from"
        self.fields["summary"].label = "About the placement"
        if not self.is_bound:
            self.initial.setdefault("preferred_location", placement.requested_location)


class OffFrameworkForm(PlacementForm):
    provider = forms.ModelChoiceField(
        label="Care home", queryset=Provider.objects.none(), error_messages={"required": "Select the care home"}
    )
    reason = free_text("Why can no framework home deliver?", missing="Enter why no framework home can deliver")

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, placement=placement, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(active=True).order_by("name")


class ViewingForm(PlacementForm):
    outcome = forms.ChoiceField(
        label="How did the viewing go?",
        choices=[c for c in PlacementHome.Outcome.choices if c[0] != PlacementHome.Outcome.TO_VIEW],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the viewing went"},
    )
    viewed_on = GovUKDateField(label="Date of the viewing", help_text="For example, 27 3 2027")
    notes = free_text("Notes", required=False)


class AssessmentForm(PlacementForm):
    home = forms.ModelChoiceField(
        label="Home to assess the person",
        queryset=PlacementHome.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the home that will assess the person"},
    )
    arranged_for = GovUKDateField(label="Assessment date", help_text="For example, 27 3 2027")

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, placement=placement, **kwargs)
        self.fields["home"].queryset = placement.homes.filter(outcome=PlacementHome.Outcome.SUITABLE).select_related(
            "provider"
        )


class AssessmentResultForm(PlacementForm):
    result = forms.ChoiceField(
        label="Can the home meet the person's needs?",
        choices=[("accepted", "Yes: the home accepts the person"), ("declined", "No: choose another home")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the home's answer"},
    )
    notes = free_text("Notes", required=False)

    def clean(self):
        data = super().clean()
        data["accepted"] = data.pop("result", None) == "accepted"
        return data


class CostForm(PlacementForm):
    weekly_amount = forms.DecimalField(label="The home's weekly cost (£)", **MONEY)
    note = free_text("Notes", required=False)


class OfferForm(PlacementForm):
    offered_by = forms.ChoiceField(
        label="Who made the offer?",
        choices=FeeOffer.By.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who made the offer"},
    )
    weekly_amount = forms.DecimalField(label="Weekly amount (£)", **MONEY)
    note = free_text("Notes", required=False)


class FeeForm(PlacementForm):
    weekly_fee = forms.DecimalField(label="Agreed weekly fee (£)", **MONEY)


class FeeApprovalForm(PlacementForm):
    weekly_fee = forms.DecimalField(label="Negotiated weekly fee (£)", **MONEY)
    note = free_text("Why this fee", required=False)


class DecideFeeForm(PlacementForm):
    decision = forms.ChoiceField(
        label="Your decision on the fee",
        choices=[("approved", "Approve the fee"), ("declined", "Decline: Brokerage negotiates again")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select your decision"},
    )
    notes = free_text("Notes", required=False)

    def clean(self):
        data = super().clean()
        data["approved"] = data.pop("decision", None) == "approved"
        return data


class AdmissionForm(PlacementForm):
    admission_date = GovUKDateField(label="Admission date", help_text="For example, 27 3 2027")


class WithdrawForm(PlacementForm):
    reason = free_text("Why is the person not being placed?", missing="Enter why the person is not being placed")
