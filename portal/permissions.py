"""The provider portal is for provider users only (core.permissions); which of their organisation's objects:
portal.access."""

from core.permissions import PROVIDER, register

register(
    "portal",
    {
        name: PROVIDER
        for name in (
            "home",
            "requirements",
            "bids",
            "agreements",
            "requirement",
            "requirement_export",
            "agreement",
            "purchase_order_pdf",
            "supported_living_assessment",
            "supported_living_agreement",
            "reconciliation",
            "statement_pdf",
            "invoices",
        )
    },
)
