from celery import shared_task


@shared_task
def run_import(import_id: int) -> None:
    """Check and load a call monitoring file (finance.importing.run), in the background: core.tasks.enqueue."""
    from .importing import run

    run(import_id)
