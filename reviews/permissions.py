"""Who may reach reviews' pages (core.permissions). Which review, and whether this step now: reviews.access and the
review's state machine (the assigned worker, the review team for a 12-month review, the package's team to cancel)."""

from accounts.roles import BROKERAGE, PRACTITIONERS, Role
from core.permissions import COUNCIL_STAFF, register, roles

register(
    "reviews",
    {
        "detail": COUNCIL_STAFF,
        "record": roles(
            *PRACTITIONERS, Role.REVIEW_TEAM, refusal="Reviews are recorded by practitioners and the review team."
        ),
        "cancel": roles(
            *PRACTITIONERS, *BROKERAGE, refusal="A review is cancelled by its worker or the Brokerage team."
        ),
    },
)
