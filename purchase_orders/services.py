"""Numbering and issuing purchase orders. The PDF is made after commit, by a task."""

from django.db import transaction
from django.utils import timezone

from audit.services import record_change
from core.tasks import enqueue

from .models import PurchaseOrder, PurchaseOrderNumber
from .tasks import render_purchase_order


def _next_sequence(year: int) -> int:
    """The next number in the year, gapless: the counter row is locked until this transaction ends."""
    PurchaseOrderNumber.objects.bulk_create([PurchaseOrderNumber(year=year)], ignore_conflicts=True)
    counter = PurchaseOrderNumber.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _order_fields(agreement) -> dict:
    return {
        "agreement": agreement, "provider": agreement.provider, "service_type": agreement.service_type,
        "period_start": agreement.start_date, "period_end": agreement.end_date,
        "weekly_hours": agreement.weekly_hours, "hourly_rate": agreement.hourly_rate,
        "weekly_cost": agreement.weekly_cost,
    }


def issue_purchase_order(agreement, *, acting_user) -> PurchaseOrder:
    """A new numbered order for an agreement. Call inside the caller's transaction."""
    year = timezone.localdate().year
    order = PurchaseOrder.objects.create(year=year, sequence=_next_sequence(year), issued_by=acting_user,
                                         **_order_fields(agreement))
    record_change(actor=acting_user, obj=order, person=agreement.person, created=True,
                  summary=f"Issued purchase order {order.number}", changes={"weekly_cost": order.weekly_cost})
    enqueue(render_purchase_order, order.pk)
    return order


def revise_purchase_order(agreement, *, acting_user, reason: str) -> PurchaseOrder:
    """The agreement changed: a revision with the same number supersedes the current order."""
    current = PurchaseOrder.objects.select_for_update().get(agreement=agreement, status=PurchaseOrder.Status.ISSUED)
    current.status = PurchaseOrder.Status.SUPERSEDED
    current.save(update_fields=["status"])
    order = PurchaseOrder.objects.create(year=current.year, sequence=current.sequence, revision=current.revision + 1,
                                         supersedes=current, reason=reason, issued_by=acting_user,
                                         **_order_fields(agreement))
    record_change(actor=acting_user, obj=order, person=agreement.person, created=True,
                  summary=f"Issued {order.display_number}, superseding {current.display_number}",
                  changes={"reason": reason, "weekly_cost": [current.weekly_cost, order.weekly_cost]})
    enqueue(render_purchase_order, order.pk)
    return order


@transaction.atomic
def store_pdf(order_id: int, pdf_bytes: bytes) -> bool:
    """Keep the rendered PDF once. Returns False if another run already stored it."""
    from django.core.files.base import ContentFile

    order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
    if order.pdf:
        return False
    name = f"{order.number}-r{order.revision}.pdf"
    order.pdf.save(name, ContentFile(pdf_bytes), save=False)
    order.pdf_rendered_at = timezone.now()
    order.save(update_fields=["pdf", "pdf_rendered_at"])
    return True
