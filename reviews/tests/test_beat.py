"""The daily review sweep as beat schedules it, through a real Celery worker and broker (Redis when REDIS_URL is set,
as in CI; an in-memory broker otherwise): beat's own scheduler, built from CELERY_BEAT_SCHEDULE, finds the entry due
at six in the morning and sends it; the worker runs the sweep and then the digests it queued. Run on the reminder
day and the day after the due date, twice each: each person is told once."""

from datetime import date, timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core import mail

from config.celery import app
from core.tests.celery_worker import beat_sends, finished_tasks
from core.tests.celery_worker import real_worker as running_worker
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
    with finished_tasks() as runs:
        yield runs


@pytest.fixture
def real_worker(case, settings):
    with running_worker(settings):
        yield


def _digests_after(result):
    return "reviews.tasks.send_review_digests" if result["reminded"] or result["escalated"] else None


def beat_morning(day: date, finished) -> dict:
    """Beat sends the sweep at six on `day`; what it returned, once the worker has run it and the digests it
    queued."""
    return beat_sends(ENTRY, day, finished, then=_digests_after)


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
