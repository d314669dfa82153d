"""Queueing background work after the transaction that asked for it commits.

With REDIS_URL the task goes to the broker and a Celery worker runs it. Without one the task
still runs in the background, on a thread of this process, so a web request never waits for
a PDF or an e-mail. Tests set TASKS_RUN_INLINE to run them at once, in order.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, transaction

logger = logging.getLogger(__name__)
_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="background-task")


def _run_in_thread(task, args) -> None:
    close_old_connections()
    try:
        task.apply(args=args, throw=True)
    except Exception:  # a background failure must be logged, never lost silently
        logger.exception("Background task %s%r failed", task.name, args)
    finally:
        close_old_connections()


def enqueue(task, *args) -> None:
    """Run `task(*args)` once the current transaction commits (at once if there is none)."""

    def send():
        if getattr(settings, "TASKS_RUN_INLINE", False):
            task.apply(args=args, throw=True)
        elif settings.REDIS_URL:
            task.delay(*args)
        else:
            _executor.submit(_run_in_thread, task, args)

    transaction.on_commit(send)


@shared_task
def forget_old_form_submissions() -> int:
    """Beat runs this daily (CELERY_BEAT_SCHEDULE): one-time form tokens are kept a week (core.once)."""
    from .once import forget_old_submissions

    return forget_old_submissions()
