from celery import shared_task

from purchase_orders.tasks import RENDER_SOFT_TIME_LIMIT, RENDER_TIME_LIMIT


@shared_task
def run_import(import_id: int) -> None:
    """Check and load a call monitoring file (finance.importing.run), in the background: core.tasks.enqueue."""
    from .importing import run

    run(import_id)


@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT
)
def render_statement(statement_id: int) -> bool:
    from .payments import render_statement as render

    return render(statement_id)


@shared_task
def fail_stalled_imports() -> int:
    """Beat runs this every five minutes (CELERY_BEAT_SCHEDULE): imports a stopped worker left half done say so."""
    from .importing import fail_stalled_imports as sweep

    return sweep()
