"""Reading direct payments."""

from dataclasses import dataclass

from .models import DirectPayment, ScheduledPayment


@dataclass
class DirectPaymentPage:
    payments: list[ScheduledPayment]
    transitions: list


def direct_payment_page(direct_payment: DirectPayment) -> DirectPaymentPage:
    """Its payments by due date (cancelled ones too, marked) and its logged steps with who took them. Two queries."""
    return DirectPaymentPage(
        payments=list(direct_payment.payments.order_by("due_on")),
        transitions=list(direct_payment.transitions.select_related("by")),
    )
