"""Who may reach reablement's pages (core.permissions). Reablement comes only through the single point of access;
Brokerage applies SPA's re-assessments and endings. Which case, and which step now: reablement.access and the case's
state machine."""

from accounts.roles import BROKERAGE, Role
from core.permissions import COUNCIL_STAFF, register, roles

SPA = roles(Role.SPA_WORKER, refusal="Reablement cases are the single point of access team's.")

register(
    "reablement",
    {
        "list": SPA,
        "create": SPA,
        "detail": COUNCIL_STAFF,
        "step": roles(
            Role.SPA_WORKER, *BROKERAGE, refusal="Reablement is worked by the single point of access and Brokerage."
        ),
    },
)
