"""Who may reach purchase orders (core.permissions). Which order: purchase_orders.access (its person, or finance)."""

from accounts.roles import Role
from core.permissions import COUNCIL_STAFF, register, roles

register(
    "purchase_orders",
    {
        "list": roles(Role.FINANCE_OFFICER, refusal="The list of purchase orders is for finance and admin officers."),
        "pdf": COUNCIL_STAFF,  # a provider downloads its orders in the portal
    },
)
