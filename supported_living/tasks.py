"""The supported living agreement PDF and e-mails, queued when the transaction that asked for them commits. Safe to
run again: the PDF is kept once, each e-mail sent once."""

from celery import shared_task

from core.mail import RETRY_SENDING
from purchase_orders.tasks import RENDER_SOFT_TIME_LIMIT, RENDER_TIME_LIMIT


@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT
)
def render_supported_living_agreement(placement_id: int) -> bool:
    from .services import render_agreement

    return render_agreement(placement_id)


@shared_task(**RETRY_SENDING)
def notify_assessment(chosen_id: int) -> bool:
    from .notifications import announce_assessment

    return announce_assessment(chosen_id)
