from celery import shared_task


@shared_task
def apply_due_changes() -> int:
    """Beat runs this daily (CELERY_BEAT_SCHEDULE): suspensions begin and recommence, temporary increases revert."""
    from .services import apply_due_changes

    return apply_due_changes()
