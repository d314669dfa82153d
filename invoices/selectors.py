"""Reading invoices: the list waiting for finance, the approved ones the payment run pays, one invoice's page, and
finding an order by its number as typed."""

import re
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from purchase_orders.models import PurchaseOrder
from purchase_orders.selectors import order_numbered

from .models import Invoice, InvoiceTransition
from .workflows import WAITING_STATES, State

ORDER_NUMBER = re.compile(r"PO-(?P<year>[0-9]{4})-(?P<sequence>[0-9]{6})(?: REVISION (?P<revision>[0-9]{1,4}))?")
ORDER_NUMBER_SHAPE = (
    "Enter the purchase order number as it is printed on the order, like PO-2026-000123 or PO-2026-000123 revision 2"
)


def waiting(*, provider=None, period_from: date | None = None, period_to: date | None = None) -> QuerySet[Invoice]:
    """Invoices received or queried, oldest received first; only `provider`'s, and only those whose period touches
    `period_from` to `period_to`, when asked. One query."""
    invoices = Invoice.objects.filter(state__in=WAITING_STATES)
    if provider is not None:
        invoices = invoices.filter(provider=provider)
    if period_from is not None:
        invoices = invoices.filter(period_end__gte=period_from)
    if period_to is not None:
        invoices = invoices.filter(period_start__lte=period_to)
    return invoices.select_related("provider", "purchase_order").order_by("received_on", "id")


def approved_for_payment() -> QuerySet[Invoice]:
    """Every approved invoice, with its provider and order, earliest approved first. The payment run (finance) pays
    each at most once, on its own side: an invoice has no "paid" state."""
    return (
        Invoice.objects.filter(state=State.APPROVED)
        .select_related("provider", "purchase_order")
        .order_by("decided_at", "id")
    )


def for_provider(provider, limit: int = 50) -> QuerySet[Invoice]:
    """A provider's own invoices, newest received first, each with what the council last said to it (`council_note`:
    the note of the latest query or rejection), for its portal. One query."""
    said = InvoiceTransition.objects.filter(
        invoice=OuterRef("pk"), target__in=[State.QUERIED, State.REJECTED]
    ).order_by("-at", "-id")
    return (
        Invoice.objects.filter(provider=provider)
        .select_related("purchase_order")
        .annotate(council_note=Subquery(said.values("note")[:1]))
        .order_by("-received_on", "-id")[:limit]
    )


def get_invoice(pk: int) -> Invoice:
    """The invoice with what its page shows, or not found."""
    return get_object_or_404(
        Invoice.objects.select_related("provider", "purchase_order__agreement__person", "recorded_by", "decided_by"),
        pk=pk,
    )


def transitions_of(invoice) -> list[InvoiceTransition]:
    return list(invoice.transitions.select_related("by"))


class OrderNumberError(Exception):
    """An order number typed in a shape orders do not have, or of no order: the message says which, for the form."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def order_by_number(typed: str) -> PurchaseOrder:
    """The order numbered as typed ("PO-2026-000123", or with " revision 2"; any case, spaces around forgiven): the
    revision asked for, or the latest. Raises OrderNumberError, saying what is wrong, for another shape or an order
    that does not exist."""
    text = " ".join((typed or "").split()).upper()
    match = ORDER_NUMBER.fullmatch(text) if len(text) <= 40 else None
    if match is None:
        raise OrderNumberError(ORDER_NUMBER_SHAPE)
    year, sequence = int(match["year"]), int(match["sequence"])
    revision = int(match["revision"]) if match["revision"] else None
    order = order_numbered(year, sequence, revision)
    if order is None:
        number = f"PO-{year}-{sequence:06d}"
        if revision is not None and order_numbered(year, sequence) is not None:
            raise OrderNumberError(f"Purchase order {number} has no revision {revision}")
        raise OrderNumberError(f"There is no purchase order {number}")
    return order
