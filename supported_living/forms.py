from decimal import Decimal

from django import forms

from core.forms import GovUKDateField, GovUKForm, free_text
from dps.forms import RequirementForm
from dps.models import Bid
from providers.models import Provider

from .models import ChosenProvider, CostLine

MONEY = {"max_digits": 9, "decimal_places": 2, "min_value": Decimal("0.01")}
HOURS = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal("0"), "max_value": Decimal("168")}


class PlacementForm(GovUKForm):
    """A form on the placement's page: prefixed by its step, so two forms' fields never share an id."""

    def __init__(self, *args, placement, **kwargs):
        self.placement = placement
        super().__init__(*args, **kwargs)


class PublishForm(RequirementForm):
    areas_to_avoid = forms.CharField(
        label="Areas to avoid",
        required=False,
        max_length=200,
        help_text="Areas or postcode districts only, for example N17 or Tottenham Hale. Providers see this: no "
        "reasons, history, addresses or other personal details.",
    )
    field_order = [*RequirementForm.field_order[:5], "areas_to_avoid", *RequirementForm.field_order[5:]]

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, referral=placement.referral, **kwargs)
        self.fields["start_date"].label = "Supported living needed from"
        self.fields["summary"].label = "About the person's support"
        self.fields["summary"].help_text += " The kind of provision and the 1:1 hours a week are added from the plan."


class ShareDetailsForm(PlacementForm):
    bids = forms.ModelMultipleChoiceField(
        label="Providers to assess the person",
        queryset=Bid.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The person's details and plan are shared with these providers only, in their portal.",
        error_messages={"required": "Select at least one provider to assess the person"},
    )

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, placement=placement, **kwargs)
        if placement.requirement_id:
            self.fields["bids"].queryset = placement.requirement.bids.select_related("provider").order_by(
                "weekly_price", "id"
            )
        self.fields["bids"].label_from_instance = lambda bid: f"{bid.provider.name}: £{bid.weekly_price:,.2f} a week"


class OffFrameworkForm(PlacementForm):
    provider = forms.ModelChoiceField(
        label="Provider", queryset=Provider.objects.none(), error_messages={"required": "Select the provider"}
    )
    reason = free_text("Why can no DPS provider deliver?", missing="Enter why no DPS provider can deliver")

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, placement=placement, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(active=True).order_by("name")


class ProposalForm(GovUKForm):
    """A proposal: the 1:1 hours and the weekly cost broken down, line by line (blank lines are left out)."""

    one_to_one_hours = forms.DecimalField(label="1:1 hours a week", **HOURS)
    core = forms.DecimalField(label="Core (shared) support, £ a week", required=False, **MONEY)
    one_to_one = forms.DecimalField(label="1:1 support, £ a week", required=False, **MONEY)
    sleep_in = forms.DecimalField(label="Sleep-in or waking nights, £ a week", required=False, **MONEY)
    other = forms.DecimalField(label="Other, £ a week", required=False, **MONEY)
    other_description = forms.CharField(label="What the other cost is for", required=False, max_length=200)
    notes = free_text("Notes on the assessment", required=False)

    def __init__(self, *args, chosen=None, **kwargs):
        self.chosen = chosen
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not any(data.get(kind) for kind in CostLine.Kind.values) and not self.errors:
            raise forms.ValidationError("Enter the weekly cost of at least one line of the breakdown")
        if data.get("other") and not data.get("other_description", "").strip():
            self.add_error("other_description", "Say what the other cost is for")
        return data

    def proposal_fields(self) -> dict:
        data = self.cleaned_data
        lines = {kind: data.get(kind) for kind in CostLine.Kind.values if data.get(kind)}
        if "other" in lines:
            lines["other"] = (lines["other"], data.get("other_description", ""))
        return {"one_to_one_hours": data["one_to_one_hours"], "lines": lines, "notes": data.get("notes", "")}


class OfficerProposalForm(ProposalForm):
    chosen = forms.ModelChoiceField(
        label="Provider",
        queryset=ChosenProvider.objects.none(),
        error_messages={"required": "Select the provider whose proposal this is"},
    )
    field_order = ["chosen"]

    def __init__(self, *args, placement, **kwargs):
        self.placement = placement
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = placement.chosen.select_related("provider")


class ReviewForm(PlacementForm):
    preferred = forms.ModelChoiceField(
        label="Which proposal do you prefer?",
        queryset=ChosenProvider.objects.none(),
        required=False,
        widget=forms.RadioSelect,
    )
    notes = free_text("Your review of the proposals", missing="Enter your review of the proposals")

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, placement=placement, **kwargs)
        self.fields["preferred"].queryset = placement.chosen.filter(proposal__isnull=False).select_related("provider")


class AgreeTermsForm(PlacementForm):
    chosen = forms.ModelChoiceField(
        label="Provider the terms are agreed with",
        queryset=ChosenProvider.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the provider the terms are agreed with"},
    )
    one_to_one_hours = forms.DecimalField(label="Agreed 1:1 hours a week", **HOURS)
    weekly_cost = forms.DecimalField(label="Agreed weekly cost (£)", **MONEY)
    note = free_text("Notes on the negotiation", required=False)

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, placement=placement, **kwargs)
        self.fields["chosen"].queryset = (
            placement.chosen.filter(proposal__isnull=False)
            .exclude(outcome=ChosenProvider.Outcome.NOT_SUITABLE)
            .select_related("provider")
        )


class ViewingForm(PlacementForm):
    result = forms.ChoiceField(
        label="Did the provision suit the person?",
        choices=[
            ("suitable", "Yes: present the case to the panel"),
            ("not_suitable", "No: Brokerage negotiates again"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the provision suited the person"},
    )
    viewed_on = GovUKDateField(label="Date of the viewing", help_text="For example, 27 3 2027")
    notes = free_text("Notes", required=False)

    def clean(self):
        data = super().clean()
        data["suitable"] = data.pop("result", None) == "suitable"
        return data


class FundingForm(PlacementForm):
    decision = forms.ChoiceField(
        label="The panel's decision",
        choices=[("approved", "Approve funding"), ("declined", "Decline funding"), ("deferred", "Defer the decision")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's decision"},
    )
    approved_weekly_amount = forms.DecimalField(
        label="Approved weekly amount (£)", required=False, help_text="When approving.", **MONEY
    )
    notes = free_text("Notes", required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approved" and data.get("approved_weekly_amount") is None:
            self.add_error("approved_weekly_amount", "Enter the approved weekly amount")
        return data


class CommissionForm(PlacementForm):
    start_date = GovUKDateField(label="Start date", help_text="Agreed with the provider. For example, 27 3 2027")
    provision_address = free_text("Address of the provision", required=False, rows=3)


class WithdrawForm(PlacementForm):
    reason = free_text("Why is the person not being placed?", missing="Enter why the person is not being placed")
