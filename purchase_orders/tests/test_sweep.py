"""The sweep that queues the PDF task again for an order a lost worker left without its PDF or its e-mails,
and the Celery settings it relies on. Time is moved with time_machine; the queue is recorded, not run."""

import threading
from datetime import datetime, timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.conf import settings as django_settings
from django.core import mail
from django.db import connections, transaction
from django.utils import timezone

from config.celery import app
from dps.tests.factories import active
from people.tests.factories import make_person
from purchase_orders import services
from purchase_orders.models import PurchaseOrder
from purchase_orders.services import REQUEUE_AFTER, announce_purchase_order, requeue_unfinished_orders, store_pdf
from purchase_orders.tasks import RENDER_SOFT_TIME_LIMIT, RENDER_TIME_LIMIT, render_purchase_order

ISSUED = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class Sweeps:
    """Runs the sweep at a given time, recording the ids it queues the PDF task for (the task does not run)."""

    def __init__(self, monkeypatch):
        self.monkeypatch, self.queued = monkeypatch, []

    def _record(self, task, *args):
        assert task is render_purchase_order
        self.queued.extend(args)

    def __call__(self, at) -> list[int]:
        with self.monkeypatch.context() as patch, time_machine.travel(at, tick=False):
            patch.setattr(services, "enqueue", self._record)
            return requeue_unfinished_orders()


@pytest.fixture
def sweep(monkeypatch):
    return Sweeps(monkeypatch)


@pytest.fixture
def issue(social_worker, east_area, cap_member, officer_east):
    """An order issued at `at` whose task has not run (on_commit never fires inside a test's transaction)."""

    def make(at=ISSUED):
        with time_machine.travel(at, tick=False):
            return active(make_person(social_worker, east_area), cap_member, officer_east).order

    return make


def test_the_sweep_takes_only_orders_without_their_pdf_or_emails_once_they_are_due(issue, sweep):
    lost = issue()  # neither PDF nor e-mails
    unannounced = issue()  # the worker died between the PDF and the e-mails
    store_pdf(unannounced.pk, b"%PDF-stored")
    done = issue()
    store_pdf(done.pk, b"%PDF-stored")
    assert announce_purchase_order(done.pk) is True
    recent = issue(ISSUED + REQUEUE_AFTER - timedelta(minutes=1))  # its task may still be on its way

    assert sweep(ISSUED + REQUEUE_AFTER - timedelta(seconds=1)) == []
    assert sweep(ISSUED + REQUEUE_AFTER) == [lost.pk, unannounced.pk]
    assert sweep.queued == [lost.pk, unannounced.pk]
    assert PurchaseOrder.objects.get(pk=lost.pk).render_queued_at == ISSUED + REQUEUE_AFTER
    assert PurchaseOrder.objects.get(pk=done.pk).render_queued_at == ISSUED
    assert PurchaseOrder.objects.get(pk=recent.pk).render_queued_at == ISSUED + REQUEUE_AFTER - timedelta(minutes=1)


def test_an_order_from_before_the_queue_time_was_kept_is_due_by_when_it_was_issued(issue, sweep):
    order = issue()
    PurchaseOrder.objects.filter(pk=order.pk).update(render_queued_at=None)
    assert sweep(ISSUED + REQUEUE_AFTER - timedelta(seconds=1)) == []
    assert sweep(ISSUED + REQUEUE_AFTER) == [order.pk]


def test_orders_from_before_announced_at_was_kept_are_not_emailed_again(issue, sweep):
    """The migration that adds announced_at counts an order with a PDF as announced: the old task sent the
    e-mails straight after storing it. Without that the first sweep would e-mail every order again."""
    migration = import_module("purchase_orders.migrations.0002_order_render_queued_and_announced")
    with_pdf, without_pdf = issue(), issue()
    store_pdf(with_pdf.pk, b"%PDF-stored")
    PurchaseOrder.objects.update(render_queued_at=None, announced_at=None)  # as they stood before the migration

    migration.orders_with_a_pdf_were_announced(apps, schema_editor=None)

    with_pdf.refresh_from_db()
    assert with_pdf.announced_at == with_pdf.pdf_rendered_at is not None
    assert PurchaseOrder.objects.get(pk=without_pdf.pk).announced_at is None
    assert sweep(ISSUED + REQUEUE_AFTER) == [without_pdf.pk]


def test_a_second_sweep_queues_nothing_again_while_the_first_is_pending(issue, sweep):
    order = issue()
    first = ISSUED + REQUEUE_AFTER

    assert sweep(first) == [order.pk]
    assert sweep(first) == []  # at once (two beats, two workers)
    for minute in range(1, 5):  # beat runs it every minute
        assert sweep(first + timedelta(minutes=minute)) == []
    assert sweep.queued == [order.pk]

    assert sweep(first + REQUEUE_AFTER) == [order.pk]  # still nothing: that one was lost too
    assert sweep.queued == [order.pk, order.pk]


def test_a_swept_order_gets_its_pdf_and_emails_once(issue, django_capture_on_commit_callbacks):
    order = issue()
    for minutes in (5, 6, 10, 11):  # tasks run inline in tests, once the sweep's transaction commits
        with time_machine.travel(ISSUED + timedelta(minutes=minutes), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                requeue_unfinished_orders()

    order.refresh_from_db()
    assert order.pdf and order.pdf_rendered_at and order.announced_at == ISSUED + timedelta(minutes=5)
    assert sum(m.subject == f"Purchase order {order.number} issued" for m in mail.outbox) == 2


def test_an_order_another_transaction_holds_is_skipped_not_waited_for(transactional_db, issue, sweep):
    """The row lock is held while an order's PDF is stored or its e-mails are sent, and by another sweep."""
    held, other = issue(), issue()
    # Committed here, so the issue ran the task inline: take back what it made, as if the task was lost.
    PurchaseOrder.objects.update(pdf="", pdf_rendered_at=None, announced_at=None)
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                PurchaseOrder.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(timeout=20)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=20)
        assert sweep(ISSUED + REQUEUE_AFTER) == [other.pk]
    finally:
        release.set()
        holder.join(timeout=20)
    assert sweep(ISSUED + REQUEUE_AFTER) == [held.pk]


# The Celery settings the sweep and the task rely on --------------------------------------------------------
def test_a_killed_render_goes_back_on_the_queue():
    assert render_purchase_order.acks_late and render_purchase_order.reject_on_worker_lost
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost


def test_the_visibility_timeout_is_comfortably_longer_than_any_task_may_run():
    visibility_timeout = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert RENDER_SOFT_TIME_LIMIT < RENDER_TIME_LIMIT <= app.conf.task_time_limit
    assert render_purchase_order.soft_time_limit == RENDER_SOFT_TIME_LIMIT
    assert render_purchase_order.time_limit == RENDER_TIME_LIMIT
    assert visibility_timeout >= 5 * app.conf.task_time_limit
    assert app.conf.broker_transport_options["visibility_timeout"] == visibility_timeout
    # The sweep waits longer than a render may run, and much less than Redis would.
    assert RENDER_TIME_LIMIT < REQUEUE_AFTER.total_seconds() < visibility_timeout / 3


def test_beat_runs_the_sweep_every_minute():
    [entry] = [
        e
        for e in django_settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "purchase_orders.tasks.requeue_unfinished_purchase_orders"
    ]
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 60
    assert entry["options"]["expires"] < entry["schedule"]
