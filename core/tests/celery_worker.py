"""Scheduled work through beat's own scheduler and a real Celery worker, for tests that move time, not wait for it.

The broker is Redis when REDIS_URL is set (as in CI), an in-memory one otherwise. A test sets up its data first
(tasks run inline), then starts the worker (`real_worker`), records what it finishes (`finished_tasks`) and has
beat send an entry of CELERY_BEAT_SCHEDULE on a given day (`beat_sends`).
"""

import threading
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import time_machine
from celery.beat import Scheduler
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.utils import timezone

from config.celery import app


@contextmanager
def real_worker(settings):
    """A solo worker on the broker, tasks queued to it (not run inline) while it runs."""
    settings.TASKS_RUN_INLINE = False
    settings.REDIS_URL = settings.REDIS_URL or "memory://"
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True


@contextmanager
def finished_tasks():
    """The (task name, return value) of each task the worker finishes, as it finishes them."""
    runs, lock = [], threading.Lock()

    def record(sender=None, retval=None, **kwargs):
        with lock:
            runs.append((sender.name, retval))

    task_postrun.connect(record, weak=False)
    try:
        yield runs
    finally:
        task_postrun.disconnect(record)


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def beat_sends(name: str, day: date, finished: list, *, then=lambda result: None):
    """Beat's scheduler, started a minute before the entry's time on `day`, finds it due at its time and sends it
    to the broker, as beat's tick does; returns what the task returned once the worker has run it. `then(result)`
    names a task it queued to wait for too (or None). `finished` is emptied for the next."""
    entry = app.conf.beat_schedule[name]
    task, schedule = entry["task"], entry["schedule"]
    hour, minute = min(schedule.hour), min(schedule.minute)
    with time_machine.travel(_at(day, hour, minute) - timedelta(minutes=1), tick=True):
        scheduler = Scheduler(app=app, lazy=False)
        scheduled = scheduler.schedule[name]
        assert not scheduled.is_due().is_due
    with time_machine.travel(_at(day, hour, minute), tick=True):
        assert scheduled.is_due().is_due
        scheduler.apply_entry(scheduled)
        assert wait_for(lambda: any(ran == task for ran, _ in finished)), f"{task} did not run"
        [result] = [r for ran, r in finished if ran == task]
        if follower := then(result):
            assert wait_for(lambda: any(ran == follower for ran, _ in finished)), f"{follower} did not run"
        time.sleep(0.2)  # anything else queued would have run by now
    finished.clear()
    return result
