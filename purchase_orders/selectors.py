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
    """Each agreement's latest revision, newest first: its order in force, or its last one once closed (not those
    it superseded)."""
    return PurchaseOrder.objects.exclude(status=PurchaseOrder.Status.SUPERSEDED).order_by(*ORDERS_NEWEST_FIRST)


def orders_for_agreements(agreement_ids) -> QuerySet[PurchaseOrder]:
    """Every order and revision issued for these agreements, with its provider, newest first."""
    return (
        PurchaseOrder.objects.filter(agreement_id__in=agreement_ids)
        .select_related("provider")
        .order_by(*ORDERS_NEWEST_FIRST)
    )


def order_in_force_for_package(care_package_id: int) -> PurchaseOrder | None:
    """The package's order in force (at most one: a database constraint), or None."""
    return PurchaseOrder.objects.filter(care_package_id=care_package_id, status=PurchaseOrder.Status.ISSUED).first()


def revisions_of(order) -> list[PurchaseOrder]:
    """Every revision issued under the order's number, first to latest, with its provider: one query."""
    return list(
        PurchaseOrder.objects.filter(year=order.year, sequence=order.sequence)
        .select_related("provider")
        .order_by("revision")
    )


def order_numbered(year: int, sequence: int, revision: int | None = None) -> PurchaseOrder | None:
    """The revision of order PO-<year>-<sequence> asked for, or its latest when none is, or None."""
    orders = PurchaseOrder.objects.filter(year=year, sequence=sequence).select_related("provider")
    if revision is not None:
        return orders.filter(revision=revision).first()
    return orders.order_by("-revision").first()
