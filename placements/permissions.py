"""Who may reach placements' pages (core.permissions). Which placement: placements.access; which step now, and by
whom (the officer, the person's social worker, a head of service): the placement's state machine."""

from core.permissions import BROKERAGE_STAFF, COUNCIL_STAFF, PRACTITIONER, register

register(
    "placements",
    {
        "detail": COUNCIL_STAFF,
        "contract": COUNCIL_STAFF,
        "publish": BROKERAGE_STAFF,
        "viewing": PRACTITIONER,  # the person's social worker records each viewing
        "step": COUNCIL_STAFF,
    },
)
