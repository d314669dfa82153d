"""The supported living agreement PDF, queued when the transaction that commissioned it commits. Safe to run again:
the PDF is kept once."""

from celery import shared_task

from purchase_orders.tasks import RENDER_SOFT_TIME_LIMIT, RENDER_TIME_LIMIT


@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT
)
def render_supported_living_agreement(placement_id: int) -> bool:
    from .services import render_agreement

    return render_agreement(placement_id)
