"""Who may reach supported living's pages (core.permissions). Which placement: supported_living.access; which step
now, and by whom (the officer, the person's social worker, a panel member): the placement's state machine. The
provider's pages are the portal's (portal.permissions)."""

from core.permissions import BROKERAGE_STAFF, COUNCIL_STAFF, register

register(
    "supported_living",
    {
        "detail": COUNCIL_STAFF,
        "agreement": COUNCIL_STAFF,
        "publish": BROKERAGE_STAFF,
        "proposal": BROKERAGE_STAFF,  # the officer records a proposal for a provider
        "review": COUNCIL_STAFF,  # the officer's and the social worker's reviews
        "step": COUNCIL_STAFF,
    },
)
