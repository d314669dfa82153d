from celery import shared_task

# WeasyPrint takes a second or two for an order. The soft limit raises SoftTimeLimitExceeded in the task;
# the hard limit kills the process running it. Either way the message is acknowledged and the order waits
# for the sweep (services.requeue_unfinished_orders), which waits longer than this before queueing it again.
# The broker's visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS) is comfortably longer than the hard limit.
RENDER_SOFT_TIME_LIMIT = 60
RENDER_TIME_LIMIT = 90


@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT
)
def render_purchase_order(order_id: int) -> bool:
    """Render and keep the order's PDF, then tell the provider and the social worker. True if this run
    did either.

    Idempotent, and safe to kill at any point: a second run (a message redelivered after its worker was
    lost, or queued again by the sweep) makes the PDF only if there is none and sends the e-mails only if
    they were not sent, so there is still one order, one PDF and one round of e-mails.
    """
    from .services import announce_purchase_order, render_pdf

    stored = render_pdf(order_id)
    announced = announce_purchase_order(order_id)
    return stored or announced


@shared_task(acks_late=True)
def requeue_unfinished_purchase_orders() -> int:
    """Beat runs this every minute (CELERY_BEAT_SCHEDULE). Safe to run twice, or on two workers at once."""
    from .services import requeue_unfinished_orders

    return len(requeue_unfinished_orders())
