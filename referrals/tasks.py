"""E-mails about referrals, sent after the transaction that made them commits (queued by referrals.services).
Each task is safe to run again (a retry, a redelivered message): the e-mails go once (core.mail.send_once)."""

from celery import shared_task

from core.mail import RETRY_SENDING


@shared_task(**RETRY_SENDING)
def notify_decision_awaited(referral_id: int) -> bool:
    from .notifications import announce_awaiting_decision

    return announce_awaiting_decision(referral_id)


@shared_task(**RETRY_SENDING)
def notify_urgent_arrival(referral_id: int) -> bool:
    from .notifications import announce_urgent_arrival

    return announce_urgent_arrival(referral_id)


@shared_task(**RETRY_SENDING)
def notify_funding_decision(referral_id: int, decision_id: int) -> bool:
    from .notifications import announce_funding_decision

    return announce_funding_decision(referral_id, decision_id)


@shared_task(**RETRY_SENDING)
def notify_options_returned(referral_id: int) -> bool:
    from .notifications import announce_options_returned

    return announce_options_returned(referral_id)
