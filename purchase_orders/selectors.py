from django.db.models import QuerySet

from .models import PurchaseOrder

# Newest first, by key (core.pagination): the index po_newest_first serves every page, however deep.
ORDERS_NEWEST_FIRST = ["-issued_at", "-id"]


def orders_for_finance() -> QuerySet[PurchaseOrder]:
    """Every purchase order with what the finance list shows, and nothing more."""
    return PurchaseOrder.objects.select_related("provider", "agreement__person").only(
        "id",
        "year",
        "sequence",
        "revision",
        "status",
        "period_start",
        "weekly_cost",
        "issued_at",
        "provider__name",
        "agreement__id",
        "agreement__person__first_name",
        "agreement__person__last_name",
    )


def current_orders() -> QuerySet[PurchaseOrder]:
    """The orders in force, newest first: one per agreement, its latest revision (not those it superseded)."""
    return PurchaseOrder.objects.filter(status=PurchaseOrder.Status.ISSUED).order_by(*ORDERS_NEWEST_FIRST)
