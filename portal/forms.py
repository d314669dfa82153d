from decimal import Decimal

from django import forms

from core.forms import GovUKForm
from dps.models import Bid

MAX_ANSWER_LENGTH = 5000


class PoundsField(forms.DecimalField):
    """An amount of money as people type it: "21.50", "£21.50", "1,250"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").strip()
        return super().to_python(value)


class BidForm(GovUKForm):
    """A provider's bid: a price per hour or per week, and an answer to each outcome statement."""

    price_basis = forms.ChoiceField(
        label="Is your price per hour or per week?",
        choices=Bid.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether your price is per hour or per week",
            "invalid_choice": "Select whether your price is per hour or per week",
        },
    )
    price = PoundsField(
        label="Your price in pounds",
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="For example, 21.50",
        widget=forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "spellcheck": "false",
                "autocomplete": "off",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={
            "required": "Enter your price",
            "invalid": "Enter your price as an amount of money, like 21.50",
            "min_value": "Enter a price above £0",
            "max_digits": "Enter a price below £10,000,000",
            "max_decimal_places": "Enter your price in pounds and pence, like 21.50",
            "max_whole_digits": "Enter a price below £10,000,000",
        },
    )

    def __init__(self, *args, outcomes, weekly_hours=None, bid: Bid | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        if not weekly_hours:
            # The package is not counted in hours, so only a weekly price can be compared.
            self.fields["price_basis"].choices = [(Bid.Basis.WEEKLY, Bid.Basis.WEEKLY.label)]
            self.fields["price_basis"].help_text = "This package is not counted in hours: give a price per week."
        for outcome in outcomes:
            self.fields[self.answer_field(outcome)] = forms.CharField(
                label=f"{outcome.position}. {outcome.text}",
                max_length=MAX_ANSWER_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
                error_messages={
                    "required": f"Answer outcome statement {outcome.position}",
                    "max_length": f"Your answer to outcome statement {outcome.position} must be "
                    f"{MAX_ANSWER_LENGTH} characters or fewer",
                },
            )
            # Added after GovUKFormMixin styled the declared fields, so styled here.
            self.fields[self.answer_field(outcome)].widget.attrs["class"] = "govuk-textarea"
        if bid is not None and not self.is_bound:
            self.initial.update({"price_basis": bid.price_basis, "price": bid.price})
            self.initial.update({f"answer_{a.outcome_id}": a.answer for a in bid.answers.all()})

    @staticmethod
    def answer_field(outcome) -> str:
        return f"answer_{outcome.pk}"

    def answer_fields(self):
        return [self[self.answer_field(o)] for o in self.outcomes]

    def bid_fields(self) -> dict:
        """What dps.services.submit_bid takes; a missing value stays missing, for the service to refuse."""
        data = getattr(self, "cleaned_data", {})
        return {
            "price_basis": data.get("price_basis", ""),
            "price": data.get("price"),
            "answers": {o.pk: data.get(self.answer_field(o), "") for o in self.outcomes},
        }
