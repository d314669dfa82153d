"""Who may reach Brokerage's pages (core.permissions). Which team's work: brokerage.access and referrals.access."""

from core.permissions import BROKERAGE_STAFF, register

register(
    "brokerage",
    {"queue": BROKERAGE_STAFF, "contact_create": BROKERAGE_STAFF},
)
