"""E-mails on a reablement case, sent after the transaction that made them commits (queued by
reablement.services), once each (core.mail.send_once). E-mail is not a secure channel: each gives references and
a date, never the person's details."""

from celery import shared_task

from core.mail import RETRY_SENDING


@shared_task(**RETRY_SENDING)
def notify_provider(case_id: int, what: str) -> bool:
    """The provider delivering the package is told it changes, or ends (the procedure: Brokerage liaises with the
    provider)."""
    from .notifications import tell_provider

    return tell_provider(case_id, what)


@shared_task(**RETRY_SENDING)
def notify_spa(case_id: int, what: str) -> bool:
    """SPA (the reablement worker, and whoever asked) is told Brokerage has applied the change, or the ending."""
    from .notifications import tell_spa

    return tell_spa(case_id, what)
