"""Who may reach commissioning's pages (core.permissions): the Brokerage team. Which referral: referrals.access and
the team working it; which step now, and by whom (the allocated officer): the commission's state machine."""

from core.permissions import BROKERAGE_STAFF, register

register(
    "commissioning",
    {
        name: BROKERAGE_STAFF
        for name in (
            "publish",
            "republish",
            "close_bidding",
            "spot_contract",
            "in_house",
            "award",
            "issue_purchase_order",
            "select",
            "challenge",
            "request_explanation",
            "attach_explanation",
            "explanation_document",
            "quality_alert",
            "confirm_change",
        )
    },
)
