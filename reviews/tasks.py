"""The daily review sweep, run by beat (CELERY_BEAT_SCHEDULE), and the digest e-mails each run queues. Both are safe to
run again (a retry, a redelivered message, a worker killed part way): the sweep moves each review once, and each
digest goes once (core.mail.send_once)."""

from celery import shared_task

from core.mail import RETRY_SENDING


@shared_task
def sweep_reviews() -> dict:
    """Beat runs this every morning: reminders for reviews due within the week, escalations for overdue ones."""
    from .services import sweep_reviews

    sweep = sweep_reviews()
    return {"sweep": sweep.pk, "reminded": sweep.reminded, "escalated": sweep.escalated}


@shared_task(**RETRY_SENDING)
def send_review_digests(sweep_id: int) -> int:
    """One e-mail to each person a sweep reminded or escalated to, listing their reviews. Returns how many went."""
    from .notifications import send_digests

    return send_digests(sweep_id)
