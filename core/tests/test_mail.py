"""core.mail.send_once: e-mails under one key go once, whoever sends them and however often."""

import threading
import time
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.db import connection, connections

from core.mail import absolute_url, plain_message, send_once
from core.models import SentEmail


def _two(subject="Something happened"):
    return [plain_message(subject=subject, body="Sign in to see it.", to=to) for to in ("a@x.gov.uk", "b@x.gov.uk")]


def test_the_same_key_sends_once(db):
    assert send_once("thing-1:done", _two) is True
    assert send_once("thing-1:done", _two) is False
    assert send_once("thing-2:done", _two) is True
    assert [m.to for m in mail.outbox] == [["a@x.gov.uk"], ["b@x.gov.uk"]] * 2
    assert SentEmail.objects.get(key="thing-1:done").messages == 2


def test_a_refused_sending_claims_nothing(db, monkeypatch):
    def refused(self, messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", refused)
    with pytest.raises(SMTPServerDisconnected):
        send_once("thing-1:done", _two)
    assert not SentEmail.objects.exists()
    monkeypatch.undo()
    assert send_once("thing-1:done", _two) is True


def test_nothing_to_send_is_recorded_as_sent(db):
    assert send_once("thing-1:done", list) is True
    assert send_once("thing-1:done", _two) is False
    assert mail.outbox == [] and SentEmail.objects.get().messages == 0


def test_links_are_absolute(settings):
    settings.SITE_URL = "https://brokerage.riverside.example.gov.uk"
    assert absolute_url("/referrals/7/") == "https://brokerage.riverside.example.gov.uk/referrals/7/"


def _waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_two_runs_at_once_send_once(transactional_db):
    """A task redelivered while its first run is still sending: the second waits for the first, then sends nothing."""
    sending, let_first_finish = threading.Event(), threading.Event()
    results = {}

    def first_messages():
        sending.set()
        let_first_finish.wait(timeout=20)  # hold the claim until the second run is waiting on it
        return _two()

    def run(key, messages):
        def target():
            try:
                results[key] = send_once("thing-1:done", messages)
            except BaseException as error:  # reported by the test, not lost in the thread
                results[key] = error
            finally:
                connections.close_all()

        return threading.Thread(target=target)

    first, second = run("first", first_messages), run("second", _two)
    first.start()
    assert sending.wait(timeout=20)
    second.start()
    deadline = time.monotonic() + 20
    while not _waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    blocked = _waiting_for_a_lock()
    let_first_finish.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert blocked == 1, "the second run should have waited for the first's claim"
    assert results == {"first": True, "second": False}
    assert len(mail.outbox) == 2
