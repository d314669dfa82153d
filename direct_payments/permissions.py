"""Who may reach direct payments' pages (core.permissions). Which direct payment: direct_payments.access (who may
see the person); which step now, and by whom (the allocated officer): the direct payment's state machine."""

from core.permissions import BROKERAGE_STAFF, COUNCIL_STAFF, register

register(
    "direct_payments",
    {
        "detail": COUNCIL_STAFF,
        "step": BROKERAGE_STAFF,
    },
)
