"""A Celery worker for test_worker_crash.py, on the test's database, media directory and broker.

    python -m purchase_orders.tests.crash_worker

It takes everything from the environment the test gives it:

- CRASH_WORKER_DATABASE: the test database's settings (JSON), put in DATABASES["default"] before
  django.setup(), so the worker reads and writes the rows the test committed;
- CRASH_WORKER_BROKER: the Redis URL (the test's own database number);
- CRASH_WORKER_MEDIA_ROOT: where the PDFs go;
- CRASH_WORKER_MAIL_DIR: where the file-based e-mail backend writes what is sent;
- CRASH_WORKER_RENDER_MARKER (optional): makes each PDF render append the pid of the process running it
  to this file and then wait until it is killed, so the test can kill the worker in the middle of one.
"""

import json
import os
import time

APPLICATION_NAME = "crash-test-worker"


def _slow_render(marker: str):
    def render_purchase_order_pdf(order) -> bytes:
        with open(marker, "a") as file:
            file.write(f"{os.getpid()}\n")
        while True:  # until the test kills this process (the task's time limits end it otherwise)
            time.sleep(0.1)

    return render_purchase_order_pdf


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    # Without DATABASE_URL the settings would start the embedded server; the test's database replaces it below.
    os.environ.setdefault("DATABASE_URL", "postgres://unused/unused")
    broker = os.environ["CRASH_WORKER_BROKER"]

    import django
    from django.conf import settings

    database = json.loads(os.environ["CRASH_WORKER_DATABASE"])
    database.setdefault("OPTIONS", {})["application_name"] = APPLICATION_NAME  # the test waits for these to go
    settings.DATABASES["default"] = database
    settings.MEDIA_ROOT = os.environ["CRASH_WORKER_MEDIA_ROOT"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = os.environ["CRASH_WORKER_MAIL_DIR"]
    settings.TASKS_RUN_INLINE = False
    settings.REDIS_URL = settings.CELERY_BROKER_URL = broker
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_WORKER_LOST_WAIT = 1.0  # how long the pool waits before it calls a killed child lost (10 s)
    settings.CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
    django.setup()

    if marker := os.environ.get("CRASH_WORKER_RENDER_MARKER"):
        from purchase_orders import pdf

        pdf.render_purchase_order_pdf = _slow_render(marker)  # services.render_pdf imports it when it runs

    from config.celery import app

    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=crash-test-{os.getpid()}@%h",
        ]
    )


if __name__ == "__main__":
    main()
