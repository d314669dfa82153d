"""Numbering and issuing purchase orders. The PDF and the e-mails are made after commit, by a task;
a sweep queues the task again for an order a lost worker left without them."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import record_change
from catalogue.practitioners import practitioner_told
from core.exceptions import ActionRefused
from core.tasks import enqueue

from .models import PurchaseOrder, PurchaseOrderNumber
from .tasks import render_purchase_order

logger = logging.getLogger(__name__)

# An order still without its PDF or its e-mails this long after its task was last queued is queued again.
# Longer than a render may run (tasks.RENDER_TIME_LIMIT), so an order whose render is under way is not queued
# twice; much shorter than the broker's visibility timeout, after which Redis would give back a message
# that a worker killed outright had taken.
REQUEUE_AFTER = timedelta(minutes=5)
REQUEUE_BATCH = 100  # a sweep after an outage queues the rest a minute later


def _next_sequence(year: int) -> int:
    """The next number in the year, gapless: the counter row is locked until this transaction ends."""
    PurchaseOrderNumber.objects.bulk_create([PurchaseOrderNumber(year=year)], ignore_conflicts=True)
    counter = PurchaseOrderNumber.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@dataclass(frozen=True)
class OrderTerms:
    """What an order is for: the period, the hours at a rate, the weekly cost paid and, when the caller has them,
    the visits (a list of {day, time, minutes, carers}, as an agreement's visit_schedule)."""

    period_start: date
    period_end: date | None
    weekly_hours: Decimal | None
    hourly_rate: Decimal | None
    weekly_cost: Decimal
    visits: list | None = None
    # A suspension the order shows: the service is not delivered, nor paid, from `suspended_from` until it
    # recommences (`recommences_on`, when known).
    suspended_from: date | None = None
    recommences_on: date | None = None


def terms_of(agreement) -> OrderTerms:
    """The agreement's own terms, as it stands."""
    return OrderTerms(
        period_start=agreement.start_date,
        period_end=agreement.end_date,
        weekly_hours=agreement.weekly_hours,
        hourly_rate=agreement.hourly_rate,
        weekly_cost=agreement.weekly_cost,
    )


def _order_fields(agreement, terms: OrderTerms) -> dict:
    return {
        "agreement": agreement,
        "provider": agreement.provider,
        "service_type": agreement.service_type_id,
        "period_start": terms.period_start,
        "period_end": terms.period_end,
        "weekly_hours": terms.weekly_hours,
        "hourly_rate": terms.hourly_rate,
        "weekly_cost": terms.weekly_cost,
        "visits": terms.visits,
        "suspended_from": terms.suspended_from,
        "recommences_on": terms.recommences_on,
    }


def _create(care_package_id, **fields) -> PurchaseOrder:
    """The order's row, refused in words (inside a savepoint, so the caller's transaction can go on to roll back
    cleanly) when its care package already has an order in force: another was issued at the same moment."""
    try:
        with transaction.atomic():
            return PurchaseOrder.objects.create(care_package_id=care_package_id, **fields)
    except IntegrityError as error:
        if "one_current_po_per_package" not in str(error):
            raise
        other = PurchaseOrder.objects.filter(
            care_package_id=care_package_id, status=PurchaseOrder.Status.ISSUED
        ).first()
        in_force = f" ({other.display_number}, {other.provider})" if other else ""
        raise ActionRefused(
            f"This care package already has a purchase order in force{in_force}: someone issued it at the same "
            "time. Reload the package to see it."
        ) from error


def issue_purchase_order(
    agreement, *, acting_user, terms: OrderTerms | None = None, care_package_id: int | None = None
) -> PurchaseOrder:
    """A new numbered order for an agreement, on the terms given (a care package's version) or else the
    agreement's own, for the care package `care_package_id` when it serves one. Refused if that package has an
    order in force. Call inside the caller's transaction."""
    year = timezone.localdate().year
    order = _create(
        care_package_id,
        year=year,
        sequence=_next_sequence(year),
        issued_by=acting_user,
        render_queued_at=timezone.now(),
        **_order_fields(agreement, terms or terms_of(agreement)),
    )
    record_change(
        actor=acting_user,
        obj=order,
        person=agreement.person,
        created=True,
        summary=f"Issued purchase order {order.number}",
        changes={"weekly_cost": order.weekly_cost},
    )
    enqueue(render_purchase_order, order.pk)
    return order


def _order_in_force(agreement) -> PurchaseOrder:
    current = PurchaseOrder.objects.select_for_update().filter(agreement=agreement, status=PurchaseOrder.Status.ISSUED)
    order = current.first()
    if order is None:
        raise ActionRefused(f"Service agreement {agreement.reference} has no purchase order in force.")
    return order


def revise_purchase_order(agreement, *, acting_user, reason: str, terms: OrderTerms | None = None) -> PurchaseOrder:
    """The service changed: a revision with the same number, on the new terms (or the agreement's own),
    supersedes the order in force. Call inside the caller's transaction."""
    current = _order_in_force(agreement)
    current.status = PurchaseOrder.Status.SUPERSEDED
    current.save(update_fields=["status"])
    order = _create(
        current.care_package_id,
        year=current.year,
        sequence=current.sequence,
        revision=current.revision + 1,
        supersedes=current,
        reason=reason,
        issued_by=acting_user,
        render_queued_at=timezone.now(),
        **_order_fields(agreement, terms or terms_of(agreement)),
    )
    record_change(
        actor=acting_user,
        obj=order,
        person=agreement.person,
        created=True,
        summary=f"Issued {order.display_number}, superseding {current.display_number}",
        changes={"reason": reason, "weekly_cost": [current.weekly_cost, order.weekly_cost]},
    )
    enqueue(render_purchase_order, order.pk)
    return order


def close_purchase_order(agreement, *, acting_user, last_day: date, reason: str) -> PurchaseOrder:
    """The agreement ends: its order in force is closed, paying for the service up to and including `last_day`
    and no further. The order stays as it was issued; no revision is made. Call inside the caller's transaction."""
    order = _order_in_force(agreement)
    if last_day < order.period_start - timedelta(days=1):
        raise ActionRefused(
            f"Purchase order {order.display_number} runs from {order.period_start:%-d %B %Y}: it cannot close before."
        )
    order.status = PurchaseOrder.Status.CLOSED
    order.last_day = last_day
    order.save(update_fields=["status", "last_day"])
    record_change(
        actor=acting_user,
        obj=order,
        person=agreement.person,
        summary=f"Closed purchase order {order.display_number}: its last day is {last_day:%-d %B %Y}",
        changes={"reason": reason, "status": ["issued", "closed"], "last_day": last_day},
    )
    return order


@transaction.atomic
def store_pdf(order_id: int, pdf_bytes: bytes) -> bool:
    """Keep the rendered PDF once. Returns False if another run already stored it."""
    from django.core.files.base import ContentFile

    order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
    if order.pdf:
        return False
    name = f"{order.number}-r{order.revision}.pdf"
    # A run killed after writing the file and before committing left it behind, and no order refers to it:
    # replace it, or the storage would save this one beside it under another name.
    order.pdf.storage.delete(order.pdf.field.generate_filename(order, name))
    order.pdf.save(name, ContentFile(pdf_bytes), save=False)
    order.pdf_rendered_at = timezone.now()
    order.save(update_fields=["pdf", "pdf_rendered_at"])
    return True


def render_pdf(order_id: int) -> bool:
    """Render and keep the order's PDF unless it has one. True if this call stored it. WeasyPrint runs
    outside any transaction: no lock is held while it works, and store_pdf keeps only the first PDF."""
    from .pdf import render_purchase_order_pdf  # WeasyPrint is loaded only where PDFs are made

    order = PurchaseOrder.objects.select_related(
        "agreement__person__allocated_worker", "agreement__referral", "provider"
    ).get(pk=order_id)
    if order.pdf:
        return False
    return store_pdf(order.pk, render_purchase_order_pdf(order))


@transaction.atomic
def announce_purchase_order(order_id: int) -> bool:
    """Tell the provider's users and the social worker that the order's PDF is ready, once. True if this
    call sent the e-mails; False if they were sent before or there is no PDF yet.

    The order's row stays locked while they are sent and announced_at is set in the same transaction: a
    second run waits for the lock, then finds announced_at set and sends nothing; a run that dies before
    committing leaves it empty, so the next run (a redelivery, the sweep) sends them.
    """
    order = (
        PurchaseOrder.objects.select_for_update(of=("self",))
        .select_related("provider", "agreement__person__allocated_worker", "agreement__referral")
        .get(pk=order_id)
    )
    if order.announced_at is not None or not order.pdf:
        return False
    provider_emails = list(
        get_user_model()
        .objects.filter(provider=order.provider, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    subject = f"Purchase order {order.display_number} issued"
    body = f"Purchase order {order.display_number} has been issued. Sign in to the provider portal to download it."
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [e]) for e in provider_emails]
    worker = practitioner_told(order.agreement.referral)
    if worker is not None and worker.email:
        staff_body = (
            f"Purchase order {order.display_number} has been issued. Sign in to Brokerage case management to see it."
        )
        messages.append((subject, staff_body, settings.DEFAULT_FROM_EMAIL, [worker.email]))
    send_mass_mail(messages)  # raises if the mail server refuses: the transaction rolls back, nothing is recorded
    order.announced_at = timezone.now()
    order.save(update_fields=["announced_at"])
    return True


def requeue_unfinished_orders() -> list[int]:
    """Queue the PDF task again for each order still without its PDF or its e-mails REQUEUE_AFTER after the
    task was last queued: a worker killed mid-task can lose it. Returns the ids queued, oldest first.

    The due rows are taken under lock, skipping any that another sweep or a running task holds, and
    stamped with the time they were queued before the transaction commits and the tasks are sent: a
    second sweep, at once or alongside, queues none of them again until REQUEUE_AFTER has passed.
    """
    now = timezone.now()
    cutoff = now - REQUEUE_AFTER
    with transaction.atomic():
        due = list(
            PurchaseOrder.objects.select_for_update(skip_locked=True)
            .filter(Q(pdf="") | Q(announced_at__isnull=True))
            .filter(Q(render_queued_at__lte=cutoff) | Q(render_queued_at__isnull=True, issued_at__lte=cutoff))
            .order_by("pk")
            .values_list("pk", flat=True)[:REQUEUE_BATCH]
        )
        PurchaseOrder.objects.filter(pk__in=due).update(render_queued_at=now)
        for order_id in due:
            enqueue(render_purchase_order, order_id)
    if due:
        logger.warning("Queued the PDF and e-mails again for purchase orders %s: their task was lost or failed", due)
    return due
