"""A purchase order survives its worker being killed in the middle of the PDF: a real Celery worker (prefork, one
child) on Redis, started in its own process group by crash_worker.py, with a render slow enough to kill.

1. Killing the child that renders: the message goes back on the queue (task_reject_on_worker_lost) and the
   worker's next child renders again.
2. Killing the whole worker: the message stays taken in Redis until the visibility timeout; the sweep queues the
   order again a few minutes on (time moved with time_machine) and a new worker makes the PDF and the e-mails.
3. When Redis at last gives back the killed worker's message, running it again makes and sends nothing.

One PDF and one round of e-mails in the end. The test has Redis database 14 to itself, emptied before and after.
"""

import email
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
import redis
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from accounts.models import User
from commissioning.services import issue_purchase_order
from config.celery import app
from dps.tests.factories import awarded, provider_staff
from purchase_orders.models import PurchaseOrder
from purchase_orders.services import REQUEUE_AFTER
from purchase_orders.tasks import requeue_unfinished_purchase_orders
from purchase_orders.tests.crash_worker import APPLICATION_NAME

REDIS_DB = 14
QUEUE = "celery"
VISIBILITY_TIMEOUT = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
RENDERED = re.compile(r"Task purchase_orders\.tasks\.render_purchase_order\[[\w-]+\] succeeded in [\d.]+s: (\w+)")


@pytest.fixture
def case(transactional_db, person, cap_member, officer_east):
    """Made before the broker is set up, so the award's own tasks run inline as usual. A second user at the
    provider: the order's e-mails go to both of them and to the social worker."""
    case = awarded(person, cap_member, officer_east)
    provider_staff(case.agreement.provider)
    return case


@pytest.fixture
def broker(case, settings):
    """Redis database 14, empty, with this process's tasks queued to it after commit, as in production."""
    configured = os.environ.get("REDIS_URL", "")
    url = urlsplit(configured or "redis://127.0.0.1:6379/0")._replace(path=f"/{REDIS_DB}").geturl()
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"This test runs a real worker and needs Redis at {url} (set REDIS_URL): {error}")
    client.flushdb()
    settings.TASKS_RUN_INLINE = False
    settings.REDIS_URL = url
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, False
    _forget_connections()
    try:
        yield client
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        _forget_connections()
        client.flushdb()
        client.close()


def _forget_connections():
    # The app keeps its connection and producer pools, made for the broker it first used.
    app._pool = None
    app.amqp._producer_pool = None


class Workers:
    """Worker processes, each the leader of its own process group, killed with their children at the end."""

    def __init__(self, tmp_path: Path, broker_url: str):
        self.tmp_path, self.broker_url = tmp_path, broker_url
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def start(self, render_marker: Path | None = None) -> subprocess.Popen:
        log = self.tmp_path / f"worker-{len(self.started) + 1}.log"
        env = os.environ | {
            "CRASH_WORKER_DATABASE": json.dumps(connection.settings_dict, default=str),
            "CRASH_WORKER_BROKER": self.broker_url,
            "CRASH_WORKER_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
            "CRASH_WORKER_MAIL_DIR": str(self.mail_dir),
        }
        env.pop("CRASH_WORKER_RENDER_MARKER", None)
        if render_marker is not None:
            env["CRASH_WORKER_RENDER_MARKER"] = str(render_marker)
        with open(log, "wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "purchase_orders.tests.crash_worker"],
                cwd=django_settings.BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                process_group=0,
            )
        self.started.append((process, log))
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its children (its process group, even if the worker itself has died): no warm
        shutdown, nothing given back to Redis."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)

    def log(self, process: subprocess.Popen) -> str:
        return next(log for p, log in self.started if p is process).read_text(errors="replace")

    def logs(self) -> str:
        return "\n".join(f"--- worker {p.pid}:\n{log.read_text(errors='replace')[-6000:]}" for p, log in self.started)

    def stop_all(self) -> None:
        """Kill every worker, then wait for PostgreSQL to see their connections close: the test database is
        flushed after this test and dropped after the run, neither of which can happen while they are open."""
        for process, _ in self.started:
            self.kill(process)
        deadline = time.monotonic() + 10
        while _worker_connections() and time.monotonic() < deadline:
            time.sleep(0.05)


def _worker_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [APPLICATION_NAME],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def workers(broker, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    started = Workers(tmp_path, settings.REDIS_URL)
    try:
        yield started
    finally:
        started.stop_all()


def _wait_for(condition, seconds: float, what: str, workers: Workers):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise AssertionError(f"Gave up after {seconds} s waiting for {what}\n{workers.logs()}")


def _renders(marker: Path) -> list[int]:
    """The pids of the processes that started rendering, in order."""
    if not marker.exists():
        return []
    return [int(line) for line in marker.read_text().splitlines(keepends=True) if line.endswith("\n")]


def _results(log: str) -> list[str]:
    """What each run of the PDF task the worker finished returned: "True" if it made or sent anything."""
    return RENDERED.findall(log)


def _parent(pid: int) -> int:
    return psutil.Process(pid).ppid()


def _sent_mail(mail_dir: Path) -> list[email.message.Message]:
    """What the file-based backend wrote: each message followed by a line of 79 dashes."""
    separator = b"\n" + b"-" * 79 + b"\n"
    return [
        email.message_from_bytes(chunk)
        for path in sorted(mail_dir.glob("*"))
        for chunk in path.read_bytes().split(separator)
        if chunk.strip()
    ]


def _pdfs(media: Path) -> list[str]:
    folder = media / "purchase_orders"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_killing_the_worker_mid_render_loses_nothing_and_doubles_nothing(case, broker, workers, tmp_path):
    marker = tmp_path / "renders"
    slow = workers.start(render_marker=marker)

    order = issue_purchase_order(case.commission, acting_user=case.officer).purchase_order  # queued to Redis on commit

    # 1. Kill the child process that is rendering: the message goes back on the queue and a new child renders.
    [first] = _wait_for(lambda: _renders(marker), 30, "the first render to start", workers)
    assert _parent(first) == slow.pid
    os.kill(first, signal.SIGKILL)
    [_, second] = _wait_for(
        lambda: _renders(marker)[1:] and _renders(marker),
        20,
        "the render to start again after its child was killed",
        workers,
    )
    assert second != first and _parent(second) == slow.pid, "the same worker's next child should render again"
    assert slow.poll() is None

    # 2. Kill the whole worker mid-render: the message stays taken ("unacked") in Redis, out of every worker's
    # reach until the visibility timeout, and the order has neither its PDF nor its e-mails.
    workers.kill(slow)
    assert (broker.llen(QUEUE), broker.hlen("unacked")) == (0, 1)
    order.refresh_from_db()
    assert not order.pdf and order.announced_at is None

    ordinary = workers.start()
    with time_machine.travel(timezone.now() + REQUEUE_AFTER + timedelta(seconds=1)):
        assert requeue_unfinished_purchase_orders() == 1  # as beat would run it: the task goes to Redis
        assert requeue_unfinished_purchase_orders() == 0  # a minute later, say: it is pending, so not again
    _wait_for(lambda: _results(workers.log(ordinary)), 30, "the new worker to render", workers)
    assert _results(workers.log(ordinary)) == ["True"]

    order.refresh_from_db()
    assert order.pdf and order.pdf_rendered_at and order.announced_at
    assert _pdfs(workers.tmp_path / "media") == [f"{order.number}-r1.pdf"]
    assert (workers.tmp_path / "media" / order.pdf.name).read_bytes().startswith(b"%PDF-")

    # 3. Redis gives the killed worker's message back once the visibility timeout has passed (moved on here in
    # this process, which restores it as any worker's periodic check would): the new worker runs it for nothing.
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        assert channel.visibility_timeout == VISIBILITY_TIMEOUT  # CELERY_BROKER_TRANSPORT_OPTIONS reaches kombu
        [lost_tag] = broker.hkeys("unacked")
        with time_machine.travel(timezone.now() + timedelta(seconds=VISIBILITY_TIMEOUT + 1)):
            _wait_for(
                lambda: channel.qos.restore_visible(interval=1) or lost_tag not in broker.hkeys("unacked"),
                10,
                "Redis to give the lost message back",
                workers,
            )
    # Generous: on a loaded machine (CI beside a benchmark) the new worker can take a while to fetch it.
    _wait_for(lambda: len(_results(workers.log(ordinary))) == 2, 90, "the new worker to run the lost message", workers)

    # Nothing else arrives: wait a little for stragglers, then count. Redis delivers at least once: on a loaded
    # machine the new worker's own check may give the message back again before it is acknowledged, so it can
    # run more than once; every run after the first must find the work done and do nothing.
    time.sleep(1.5)
    first, *again = _results(workers.log(ordinary))
    assert first == "True" and again and set(again) == {"False"}
    assert (broker.llen(QUEUE), broker.hlen("unacked")) == (0, 0)
    assert len(_renders(marker)) == 2
    assert _pdfs(workers.tmp_path / "media") == [f"{order.number}-r1.pdf"]
    order_after = PurchaseOrder.objects.get(pk=order.pk)
    assert (order_after.pdf_rendered_at, order_after.announced_at) == (order.pdf_rendered_at, order.announced_at)

    sent = _sent_mail(workers.mail_dir)
    expected = sorted(
        [
            *User.objects.filter(provider=order.provider).values_list("email", flat=True),
            case.referral.person.allocated_worker.email,
        ]
    )
    assert len(expected) == 3
    assert sorted(m["To"] for m in sent) == expected
    assert {m["Subject"] for m in sent} == {f"Purchase order {order.number} issued"}
