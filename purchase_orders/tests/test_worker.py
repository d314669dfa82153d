"""The purchase order task through a real Celery worker and broker (Redis when REDIS_URL is set, as in
CI; an in-memory broker otherwise), including the same message delivered twice."""

import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail

from commissioning.services import issue_purchase_order
from config.celery import app
from dps.tests.factories import awarded
from purchase_orders.models import PurchaseOrder
from purchase_orders.tasks import render_purchase_order


@pytest.fixture
def case(transactional_db, person, cap_member, officer_east, settings, tmp_path):
    """A case ready for its purchase order, set up with tasks run inline (before the worker starts)."""
    settings.MEDIA_ROOT = tmp_path
    case = awarded(person, cap_member, officer_east)
    mail.outbox.clear()
    return case


@pytest.fixture
def finished():
    """Ids and return values of the tasks the worker has finished, as it finishes them."""
    runs, lock = {}, threading.Lock()

    def record(sender=None, task_id=None, retval=None, **kwargs):
        with lock:
            runs[task_id] = retval

    task_postrun.connect(record, weak=False)
    yield runs
    task_postrun.disconnect(record)


@pytest.fixture
def real_worker(case, settings):
    settings.TASKS_RUN_INLINE = False
    settings.REDIS_URL = settings.REDIS_URL or "memory://"  # Redis in CI; an in-memory broker elsewhere
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True


def _wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def _po_emails(order):
    return [m.to for m in mail.outbox if m.subject == f"Purchase order {order.number} issued"]


def test_the_po_task_survives_being_run_twice_by_a_real_worker(case, real_worker, finished, tmp_path):
    order = issue_purchase_order(case.commission, acting_user=case.officer).purchase_order

    assert _wait_for(lambda: PurchaseOrder.objects.get(pk=order.pk).pdf_rendered_at is not None, 30)
    assert _wait_for(lambda: True in finished.values(), 10)  # its e-mails are sent before the task returns
    order.refresh_from_db()
    first = (order.pdf.name, order.pdf_rendered_at, order.pdf.read())
    sent = _po_emails(order)
    assert sorted(sent) == sorted([[case.bidders[0].email], [case.referral.person.allocated_worker.email]])

    again = render_purchase_order.delay(order.pk)  # the same message, delivered again

    assert _wait_for(lambda: again.id in finished, 10), "the worker did not run the task again"
    assert finished[again.id] is False
    order.refresh_from_db()
    assert PurchaseOrder.objects.count() == 1
    assert (order.pdf.name, order.pdf_rendered_at, order.pdf.read()) == first
    assert [p.name for p in (tmp_path / "purchase_orders").iterdir()] == [f"{order.number}-r1.pdf"]
    assert _po_emails(order) == sent
