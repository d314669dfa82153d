"""Providers' invoices for the demo (sign in as finance.officer, password as for every demo user), recorded against
the demo's orders for services other than home care (a placement, respite, supported living…):

- one clean, waiting to be approved: its amount is what the order pays for its week;
- one flagged: £45 more than the order pays for its week, waiting for a decision (approving it needs a note);
- one queried with its provider, waiting for the answer.
"""

from datetime import timedelta

from django.utils import timezone

from catalogue.codes import ServiceCode
from invoices import services
from invoices.checks import check_invoice
from invoices.models import Invoice
from purchase_orders.models import PurchaseOrder
from purchase_orders.selectors import current_orders

EXTRA = 45


def _week(order, finance, *, number: str, extra: int = 0) -> Invoice:
    """An invoice for the order's first week, for what it pays then plus `extra` pounds."""
    first = order.period_start
    last = first + timedelta(days=6)
    if order.period_end is not None:
        last = max(first, min(last, order.period_end))
    expected = check_invoice(order, period_start=first, period_end=last, amount=0).expected_amount
    return services.record_invoice(
        acting_user=finance,
        purchase_order=order,
        number=number,
        period_start=first,
        period_end=last,
        amount=max(expected, 1) + extra,
        received_on=timezone.localdate(),
    )


def seed(users) -> list[Invoice]:
    """Three invoices, once: a second run (or a demo without such orders) records nothing."""
    if Invoice.objects.exists():
        return []
    orders = list(
        current_orders()
        .filter(status=PurchaseOrder.Status.ISSUED)
        .exclude(service_type=ServiceCode.HOME_CARE)
        .select_related("provider")
        .order_by("id")
    )
    if not orders:
        return []
    finance = users["finance.officer"]
    clean = _week(orders[0], finance, number="INV-20418")
    flagged = _week(orders[1 % len(orders)], finance, number="INV-20419", extra=EXTRA)
    queried = _week(orders[2 % len(orders)], finance, number="INV-20420")
    services.query_invoice(
        queried,
        acting_user=finance,
        note="The invoice does not say which of the person's weeks it is for: please send a copy with the dates.",
    )
    return [clean, flagged, queried]
