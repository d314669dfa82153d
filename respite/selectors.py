"""Reading respite: the allowance page's rows. Each list is one query."""

from dataclasses import dataclass

from .models import AllowanceTransition, RespiteAllowance, RespiteBooking


def allowance_for_referral(referral) -> RespiteAllowance | None:
    return RespiteAllowance.objects.filter(referral=referral).first()


@dataclass(frozen=True)
class AllowancePage:
    bookings: list[RespiteBooking]
    transitions: list[AllowanceTransition]


def allowance_page(allowance) -> AllowancePage:
    """Everything an allowance's page lists: two queries."""
    return AllowancePage(
        bookings=list(allowance.bookings.select_related("provider", "purchase_order").order_by("start_date", "id")),
        transitions=list(allowance.transitions.select_related("by")),
    )
