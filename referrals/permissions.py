"""Who may reach referrals' pages (core.permissions). Which referral, and whether this step now: referrals.access
and the referral's state machine."""

from accounts.roles import Role
from core.permissions import BROKERAGE_STAFF, COUNCIL_STAFF, PRACTITIONER, SIGNED_IN, register, roles

FUNDING = roles(
    Role.CAP_MEMBER,
    Role.HEAD_OF_SERVICE,
    refusal="Only the Care Authorisation Panel and heads of service record funding decisions.",
)

register(
    "referrals",
    {
        "create": COUNCIL_STAFF,  # a practitioner refers; anyone else who sees the person is told why not
        "create_for_kind": COUNCIL_STAFF,
        "funding_list": FUNDING,
        "funding": FUNDING,
        "workflow": SIGNED_IN,  # the picture of the machine: no one's details
        "detail": COUNCIL_STAFF,
        "take": BROKERAGE_STAFF,
        "allocate": BROKERAGE_STAFF,
        "options": BROKERAGE_STAFF,
        "risk": PRACTITIONER,
        "withdraw": PRACTITIONER,
    },
)
