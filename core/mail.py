"""E-mail from the service: sent by a task after the transaction that asked for it commits (core.tasks.enqueue),
once, and tried again while the mail server cannot take it.

E-mail is not a secure channel: a message says what happened, with a reference and a link to the page, and
nothing about the person (no name, address, NHS number or care details). The page is behind a login.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction

from .models import SentEmail

# For a task that sends e-mail: a mail server that is down or refuses (SMTPException is an OSError) is tried
# again after 30 s, 1, 2, 4, 8 then every 10 minutes, for about an hour. Each wait is far shorter than the
# broker's visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS), and send_once makes every run after the
# first that succeeded send nothing.
RETRY_SENDING = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 10 * 60,
    "retry_jitter": True,
    "max_retries": 10,
}


def absolute_url(path: str) -> str:
    """A link for an e-mail: the service's address (settings.SITE_URL) and the page's path."""
    return settings.SITE_URL + path


def plain_message(*, subject: str, body: str, to: str) -> EmailMessage:
    """One plain-text e-mail to one address, so no recipient sees the others'."""
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])


def send_once(key: str, messages: Callable[[], list[EmailMessage]]) -> bool:
    """Send the e-mails `messages()` builds, unless e-mails under `key` have been sent. True if this call sent them.

    The key is claimed in the transaction that sends: a second run at the same moment waits on the first's claim
    (the key's unique index), then finds it and sends nothing. A mail server that refuses raises, the claim rolls
    back with it, and the next try sends them. Only a run that dies after the mail server took the e-mails and
    before its commit sends them again: twice, rather than never, for e-mails that people wait for.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = SentEmail.objects.create(key=key)
        except IntegrityError:
            return False
        batch = messages()
        if batch:
            get_connection(fail_silently=False).send_messages(batch)
        claim.messages = len(batch)
        claim.save(update_fields=["messages"])
    return True
