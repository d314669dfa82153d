"""Who may reach concerns' pages (core.permissions). Anyone on the staff may raise one about a person they see; the
team it is routed to handles it (concerns.views)."""

from accounts.roles import Role
from core.permissions import COUNCIL_STAFF, register, roles

INBOX_ROLES = (Role.FIRST_RESPONSE, Role.MONITORING_OFFICER, Role.CONTRACT_MONITORING)

register(
    "concerns",
    {
        "inbox": roles(
            *INBOX_ROLES,
            refusal="This inbox is for the First Response team, the monitoring officer and contract monitoring.",
        ),
        "create": COUNCIL_STAFF,
        "detail": COUNCIL_STAFF,
        "acknowledge": COUNCIL_STAFF,
        "close": COUNCIL_STAFF,
    },
)
