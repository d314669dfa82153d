import copy

from django import forms

from accounts.models import User
from approvals.workflows import DECISIONS
from approvals.workflows import State as Decision
from catalogue.codes import REFERRAL_ONLY_SERVICES
from catalogue.selectors import offered_service_types
from core.forms import FREE_TEXT_MAX_LENGTH, GovUKDateField, GovUKForm
from core.once import TOKEN, OneTimeForm
from people.models import CareAndSupportPlan

from .models import REFERRAL_ONLY_AS_A_NEW_PLAN, REFERRAL_TYPES, ReferralType


class ReferralKindForm(GovUKForm):
    """The first question of a referral; its answer chooses the form that follows (REFERRAL_TYPES)."""

    kind = forms.ChoiceField(
        label="What kind of referral is this?",
        choices=[(t.slug, t.label) for t in REFERRAL_TYPES.values()],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of referral this is",
            "invalid_choice": "Select what kind of referral this is",
        },
    )

    def options(self):
        """Each radio with the kind it stands for, for its hint."""
        return zip(self["kind"], REFERRAL_TYPES.values(), strict=True)


def services_to_choose() -> list[tuple[str, str]]:
    """The services offered now, as admin staff name them; those Brokerage turns away too, so the referrer is told
    where to go. Not referral-only ones: no kind that asks for a service says where those were referred."""
    services = offered_service_types(referral_only=False, not_brokered=True)
    return [("", "Choose a service"), *services.values_list("code", "name")]


class ReferralForm(OneTimeForm, GovUKForm):
    """A referral of one kind: only the fields its ReferralType asks, worded and required as it says. A field of
    another kind is not on the form, so whatever is sent for it is ignored."""

    plan = forms.ModelChoiceField(
        queryset=CareAndSupportPlan.objects.none(),
        empty_label="Choose a plan",
        error_messages={"invalid_choice": "Select a care and support plan from the list"},
    )
    service_type = forms.ChoiceField(
        choices=services_to_choose,
        error_messages={"invalid_choice": "Select a service from the list"},
    )
    effective_date = GovUKDateField()
    end_date = GovUKDateField()
    puts_person_at_risk = forms.BooleanField()
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    urgent = forms.BooleanField()
    referred_on_to = forms.CharField(
        max_length=200, error_messages={"max_length": "Where you referred the person must be 200 characters or fewer"}
    )

    def __init__(self, *args, person, referral_type: ReferralType, **kwargs):
        self.referral_type = referral_type
        # The fields this kind asks, in its order and words, in place of the class's: before the form is built,
        # so that GovUKFormMixin wires each hint and error to its field.
        declared = type(self).base_fields
        self.base_fields = {TOKEN: declared[TOKEN]}
        for question in referral_type.questions:
            field = copy.deepcopy(declared[question.field])
            field.label, field.help_text, field.required = question.label, question.hint, question.required
            if question.required:
                field.error_messages["required"] = question.missing
            if question.field == "details":
                field.error_messages["max_length"] = (
                    f"{question.label} must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer"
                )
            self.base_fields[question.field] = field
        super().__init__(*args, **kwargs)
        if "plan" in self.fields:
            self.fields["plan"].queryset = person.plans.select_related("service_type")
            self.fields["plan"].label_from_instance = lambda p: f"Version {p.version}: {p.service_type.name}"

    def clean(self):
        data = super().clean()
        referral_type = self.referral_type
        data["kind"], data["change"] = referral_type.kind, referral_type.change
        plan = data.get("plan")
        if referral_type.service_from_plan and plan is not None:
            data["service_type"] = plan.service_type_id
        service = data.get("service_type")
        if plan is not None and service and plan.service_type_id != service:
            self.add_error("plan", "Select a plan for the service chosen, or no plan")
        if service in REFERRAL_ONLY_SERVICES:
            if not referral_type.asks("referred_on_to"):
                self.add_error("plan" if "plan" in self.fields else None, REFERRAL_ONLY_AS_A_NEW_PLAN)
            elif not data.get("referred_on_to", "").strip():
                self.add_error("referred_on_to", "Enter where you referred the person")
        start, end = data.get("effective_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", referral_type.ends_before_it_starts)
        return data


class FundingDecisionForm(GovUKForm):
    decision = forms.ChoiceField(
        label="Decision", choices=[(d.value, d.label) for d in DECISIONS], widget=forms.RadioSelect
    )
    approved_weekly_amount = forms.DecimalField(
        label="Approved weekly amount (£)", max_digits=9, decimal_places=2, min_value=0.01, required=False
    )
    approved_annual_amount = forms.DecimalField(
        label="Approved annual respite allowance (£)",
        help_text="The sum for the year that respite bookings draw on.",
        max_digits=9,
        decimal_places=2,
        min_value=0.01,
        required=False,
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, annual: bool = False, **kwargs):
        """`annual`: the plan is funded as a sum for the year (a respite allowance), so the panel enters that and
        not a weekly amount."""
        super().__init__(*args, **kwargs)
        self.annual = annual
        del self.fields["approved_weekly_amount" if annual else "approved_annual_amount"]

    def clean(self):
        data = super().clean()
        amount = "approved_annual_amount" if self.annual else "approved_weekly_amount"
        if data.get("decision") == Decision.APPROVED and not data.get(amount):
            self.add_error(
                amount, "Enter the approved annual allowance" if self.annual else "Enter the approved weekly amount"
            )
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
