"""Brokerage's section of a person's page (people.sections): the services they receive."""

from purchase_orders.access import can_open_orders_of

from .selectors import PAST_SERVICES_SHOWN, agreements_for_person

TEMPLATE = "brokerage/_person_services.html"


def services_and_agreements(user, person) -> dict:
    """The person's current service agreements and, folded away, their past ones, each with its purchase order in
    force; the order's PDF linked only for those who may open it (purchase_orders.access)."""
    agreements = agreements_for_person(person)
    has_orders = any(a.current_orders for a in (*agreements.current, *agreements.past))
    return {
        "current": agreements.current,
        "past": agreements.past,
        "more_past": agreements.more_past,
        "past_shown": PAST_SERVICES_SHOWN,
        "may_open_orders": has_orders and can_open_orders_of(user, person),
    }
