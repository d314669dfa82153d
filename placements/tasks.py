"""Placement e-mails and the contract PDF, queued when the transaction that asked for them commits. Each is safe to
run again: e-mails go once (core.mail.send_once), the PDF is kept once."""

from celery import shared_task

from core.mail import RETRY_SENDING
from purchase_orders.tasks import RENDER_SOFT_TIME_LIMIT, RENDER_TIME_LIMIT


@shared_task(**RETRY_SENDING)
def notify_viewings(placement_id: int) -> bool:
    from .notifications import announce_viewings

    return announce_viewings(placement_id)


@shared_task(**RETRY_SENDING)
def notify_fee_approval_requested(placement_id: int) -> bool:
    from .notifications import announce_fee_approval_requested

    return announce_fee_approval_requested(placement_id)


@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT
)
def render_placement_contract(placement_id: int) -> bool:
    from .services import render_contract

    return render_contract(placement_id)
