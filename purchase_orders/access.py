"""Who may open a purchase order: council staff who may see its person, and finance and admin officers.
(A provider's users download their own orders in the portal.)"""

from django.http import Http404

from accounts.roles import Role
from people.access import can_view_person

from .models import PurchaseOrder


def can_open_orders_of(user, person) -> bool:
    """May this user open the purchase orders issued for this person's services?"""
    return user.has_role(Role.FINANCE_OFFICER) or can_view_person(user, person)


def access_order(user, order_id: int) -> PurchaseOrder:
    """An order this user may open, or not found."""
    order = PurchaseOrder.objects.select_related("agreement__person", "provider").filter(pk=order_id).first()
    if order is None or not can_open_orders_of(user, order.agreement.person):
        raise Http404("No such purchase order, or not one you can see")
    return order
