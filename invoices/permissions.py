"""Who may reach the invoice pages (core.permissions): finance officers only. Which step now: the invoice's machine."""

from accounts.roles import Role
from core.permissions import register, roles

FINANCE = roles(Role.FINANCE_OFFICER, refusal="Checking providers' invoices is for finance officers.")

register(
    "invoices",
    {
        "waiting": FINANCE,
        "record": FINANCE,
        "detail": FINANCE,
        "step": FINANCE,
    },
)
