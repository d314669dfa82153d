"""Who may reach the changes' pages (core.permissions). Which referral: referrals.access; which step now, and by
whom: the change's state machine (the allocated officer arranges; the team recommences) and, for telling the
person, the social worker holding their case."""

from core.permissions import BROKERAGE_STAFF, PRACTITIONER, register

register(
    "changes",
    {
        "arrange": BROKERAGE_STAFF,
        "recommence": BROKERAGE_STAFF,
        "person_told": PRACTITIONER,
    },
)
