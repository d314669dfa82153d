"""The daily review sweep as beat schedules it, through a real Celery worker and broker (Redis when REDIS_URL is set,
as in CI; an in-memory broker otherwise): beat's own scheduler, built from CELERY_BEAT_SCHEDULE, finds the entry due
at six in the morning and sends it; the worker runs the sweep and then the digests it queued. Run on the reminder
day and the day after the due date, twice each: each person is told once."""

import threading
import time
from datetime import date, datetime, timedelta

import pytest
import time_machine
from celery.beat import Scheduler
from celery.contrib.testing.worker import start_worker
from celery.schedules import crontab
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone

from config.celery import app
from reviews.models import Review
from reviews.workflows import REMIND_BEFORE, State

from .factories import active_package, six_week

ENTRY = "sweep-reviews"


def test_beat_runs_the_sweep_every_morning():
    entry = django_settings.CELERY_BEAT_SCHEDULE[ENTRY]
    assert entry["task"] == "reviews.tasks.sweep_reviews"
    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(hour=6, minute=0)
    # A run no worker took in time is dropped, well before the next morning's: that one catches up.
    assert 0 < entry["options"]["expires"] < 24 * 60 * 60
    assert app.conf.beat_schedule[ENTRY] == entry


@pytest.fixture
def case(transactional_db, person, cap_member, officer_east, social_worker, lead_east, settings, tmp_path):
    """A 6-week review of an active package, set up with tasks run inline (before the worker starts)."""
    settings.MEDIA_ROOT = tmp_path
    review = six_week(active_package(person, cap_member, officer_east), social_worker, due_in=10)
    mail.outbox.clear()
    return review


@pytest.fixture
def finished():
    """Ids and names of the tasks the worker has finished, with what each returned."""
    runs, lock = {}, threading.Lock()

    def record(sender=None, task_id=None, retval=None, **kwargs):
        with lock:
            runs[task_id] = (sender.name, retval)

    task_postrun.connect(record, weak=False)
    yield runs
    task_postrun.disconnect(record)


@pytest.fixture
def real_worker(case, settings):
    settings.TASKS_RUN_INLINE = False
    settings.REDIS_URL = settings.REDIS_URL or "memory://"
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True


def _wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def beat_morning(day: date, finished) -> dict:
    """Beat's scheduler, started before six on `day`, sends the sweep at six; returns what the sweep returned once
    the worker has run it and the digests it queued, if any."""
    with time_machine.travel(_at(day, 5, 59), tick=True):
        scheduler = Scheduler(app=app, lazy=False)
        entry = scheduler.schedule[ENTRY]
        assert not entry.is_due().is_due
    with time_machine.travel(_at(day, 6, 0), tick=True):
        assert entry.is_due().is_due
        scheduler.apply_entry(entry)  # as beat's tick does for a due entry: the message goes to the broker
        assert _wait_for(lambda: any(name == "reviews.tasks.sweep_reviews" for name, _ in finished.values()))
        [result] = [r for n, r in finished.values() if n == "reviews.tasks.sweep_reviews"]
        if result["reminded"] or result["escalated"]:
            assert _wait_for(lambda: any(n == "reviews.tasks.send_review_digests" for n, _ in finished.values()))
        time.sleep(0.2)  # anything else queued would have run by now
    finished.clear()
    return result


def test_beat_reminds_once_and_escalates_once_through_a_real_worker(
    case, real_worker, finished, social_worker, lead_east
):
    review = case

    first = beat_morning(review.due_on - REMIND_BEFORE, finished)
    again = beat_morning(review.due_on - REMIND_BEFORE + timedelta(days=1), finished)

    assert (first["reminded"], again["reminded"]) == (1, 0)
    assert Review.objects.get(pk=review.pk).state == State.DUE
    assert [(m.to, m.subject) for m in mail.outbox] == [([social_worker.email], "Reviews: 1 due within the week")]
    mail.outbox.clear()

    late = beat_morning(review.due_on + timedelta(days=1), finished)
    later = beat_morning(review.due_on + timedelta(days=2), finished)

    assert (late["escalated"], later["escalated"]) == (1, 0)
    assert Review.objects.get(pk=review.pk).state == State.OVERDUE
    assert [(m.to, m.subject) for m in mail.outbox] == [([lead_east.email], "Reviews: 1 overdue")]
