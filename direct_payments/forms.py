from decimal import Decimal

from django import forms

from core.forms import GovUKDateField, GovUKForm, free_text

from .models import DirectPayment

MONEY = {"max_digits": 9, "decimal_places": 2, "min_value": Decimal("0.01")}


class DirectPaymentForm(GovUKForm):
    """A form on the direct payment's page: prefixed by its step, so two forms' fields never share an id."""

    def __init__(self, *args, direct_payment, **kwargs):
        self.direct_payment = direct_payment
        super().__init__(*args, **kwargs)


class AgreementForm(DirectPaymentForm):
    recipient = forms.ChoiceField(
        label="Who receives the payments?",
        choices=DirectPayment.Recipient.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who receives the payments"},
    )
    purpose = free_text(
        "What does the budget pay for?",
        missing="Enter what the budget pays for",
        help_text="For example, a personal assistant three mornings a week, gym membership, or a computer.",
    )
    amount = forms.DecimalField(
        label="Amount of each payment (£)",
        error_messages={"required": "Enter the amount of each payment", "min_value": "Enter an amount above £0"},
        **MONEY,
    )
    period = forms.ChoiceField(
        label="How often is it paid?",
        choices=DirectPayment.Period.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often it is paid"},
    )
    first_payment_on = GovUKDateField(label="First payment date", help_text="For example, 27 3 2027")

    def __init__(self, *args, direct_payment, **kwargs):
        super().__init__(*args, direct_payment=direct_payment, **kwargs)
        person = direct_payment.person
        representative = person.representative_name.strip()
        self.fields["recipient"].choices = [
            (DirectPayment.Recipient.PERSON, f"The person, {person}"),
            (
                DirectPayment.Recipient.REPRESENTATIVE,
                f"Their representative, {representative}"
                if representative
                else "Their representative (none on record)",
            ),
        ]
        weekly = direct_payment.approved_weekly_amount
        if weekly is not None:
            self.fields[
                "amount"
            ].help_text = (
                f"Approved funding: £{weekly:,.2f} a week. A four-weekly payment may be up to four times that."
            )


class RedraftForm(DirectPaymentForm):
    reason = free_text("What did they ask to change?", missing="Enter what they asked to change")


class SignatureForm(DirectPaymentForm):
    signed_on = GovUKDateField(label="Date it was signed", help_text="For example, 27 3 2027")
    signed_by_name = forms.CharField(
        label="Signed by",
        max_length=200,
        error_messages={"required": "Enter who signed the agreement"},
    )

    def __init__(self, *args, direct_payment, **kwargs):
        super().__init__(*args, direct_payment=direct_payment, **kwargs)
        if not self.is_bound and direct_payment.recipient_name:
            self.initial.setdefault("signed_by_name", direct_payment.recipient_name)


class EndForm(DirectPaymentForm):
    ended_on = GovUKDateField(label="Last day of the direct payment", help_text="For example, 27 3 2027")
    reason = free_text("Why does it end?", missing="Enter why the direct payment ends")
