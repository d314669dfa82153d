"""The allowance letter's PDF, queued when the transaction that loaded the allowance commits, and the nightly sweep
that ends allowances whose year is over. Each is safe to run again: the PDF is kept once, an allowance ends once."""

from celery import shared_task

from purchase_orders.tasks import RENDER_SOFT_TIME_LIMIT, RENDER_TIME_LIMIT


@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT
)
def render_respite_letter(allowance_id: int) -> bool:
    from .services import render_letter

    return render_letter(allowance_id)


@shared_task
def end_due_allowances() -> int:
    from .services import end_due_allowances as sweep

    return sweep()
