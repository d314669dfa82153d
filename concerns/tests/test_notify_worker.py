"""The inbox notification through a real Celery worker and broker (Redis when REDIS_URL is set,
as in CI), not in process."""

import time
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from accounts.roles import Role
from accounts.services import create_staff_user
from brokerage.models import Area
from concerns.services import raise_concern
from config.celery import app
from people.services import create_person


@pytest.fixture
def real_worker(transactional_db, settings):
    settings.TASKS_RUN_INLINE = False
    settings.REDIS_URL = settings.REDIS_URL or "memory://"  # Redis in CI; an in-memory broker elsewhere
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True


def test_safeguarding_concern_is_announced_by_a_worker(real_worker):
    social_worker = create_staff_user(username="sw", password="x-long-password", roles=[Role.SOCIAL_WORKER])
    create_staff_user(username="fr", password="x-long-password", roles=[Role.FIRST_RESPONSE], email="fr@example.gov.uk")
    area = Area.objects.create(name="Eastbrook", team_id="east")
    person = create_person(
        acting_user=social_worker,
        first_name="Ada",
        last_name="Thompson",
        date_of_birth=date(1941, 3, 2),
        address_line_1="1 Road",
        town="Riverside",
        postcode="E1 6AN",
        area=area,
    )

    concern = raise_concern(acting_user=social_worker, person=person, kind="safeguarding", details="Left without food")

    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["fr@example.gov.uk"]]
    assert f"C-{concern.pk}" in mail.outbox[0].subject
    assert "Ada" not in mail.outbox[0].body and "Thompson" not in mail.outbox[0].body
