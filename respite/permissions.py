"""Who may reach respite's pages (core.permissions). Which allowance: respite.access; which step now, and by whom
(the officer, the person's social worker): the allowance's and the booking's state machines."""

from core.permissions import BROKERAGE_STAFF, COUNCIL_STAFF, register

register(
    "respite",
    {
        "detail": COUNCIL_STAFF,
        "letter": COUNCIL_STAFF,
        "step": COUNCIL_STAFF,
        "book": BROKERAGE_STAFF,
        "cancel": BROKERAGE_STAFF,
    },
)
