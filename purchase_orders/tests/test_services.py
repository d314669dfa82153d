"""Purchase order numbers: PO-<year>-<six digits>, gapless within a year, given back by a rollback,
and distinct when two officers issue at once."""

import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from commissioning.services import issue_purchase_order
from commissioning.workflows import State as CommissionState
from core.exceptions import ActionRefused
from dps.tests.factories import awarded
from packages.selectors import package_for_agreement
from packages.services import change_terms
from people.tests.factories import make_person
from purchase_orders import services
from purchase_orders.models import PurchaseOrder, PurchaseOrderNumber
from purchase_orders.selectors import current_orders
from referrals.models import Referral
from referrals.workflows import State

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cases(social_worker, east_area, cap_member, officer_east):
    """Cases ready for their purchase order, each for its own person."""

    def make(count):
        return [awarded(make_person(social_worker, east_area), cap_member, officer_east) for _ in range(count)]

    return make


def _issue(case):
    return issue_purchase_order(case.commission, acting_user=case.officer).purchase_order


def test_numbers_run_on_without_gaps_within_a_year(cases):
    year = timezone.localdate().year
    orders = [_issue(case) for case in cases(3)]
    assert [o.number for o in orders] == [f"PO-{year}-000001", f"PO-{year}-000002", f"PO-{year}-000003"]
    assert [(o.year, o.sequence, o.revision) for o in orders] == [(year, n, 1) for n in (1, 2, 3)]
    assert PurchaseOrderNumber.objects.get(year=year).last_number == 3


def test_a_new_year_starts_again_at_1(cases):
    year = timezone.localdate().year
    first, second, third = cases(3)
    with time_machine.travel(datetime(year, 12, 31, 23, 59, tzinfo=LONDON), tick=False):
        assert _issue(first).number == f"PO-{year}-000001"
    with time_machine.travel(datetime(year + 1, 1, 1, 0, 1, tzinfo=LONDON), tick=False):
        assert _issue(second).number == f"PO-{year + 1}-000001"
        assert _issue(third).number == f"PO-{year + 1}-000002"
    assert dict(PurchaseOrderNumber.objects.values_list("year", "last_number")) == {year: 1, year + 1: 2}


def test_a_rolled_back_issue_gives_its_number_back(cases):
    year = timezone.localdate().year
    abandoned, kept = cases(2)

    with pytest.raises(RuntimeError), transaction.atomic():
        assert _issue(abandoned).sequence == 1
        raise RuntimeError("something after the number failed")

    assert not PurchaseOrder.objects.exists()
    assert abandoned.commission.state == CommissionState.DETAILS_SHARED
    assert Referral.objects.get(pk=abandoned.referral.pk).state == State.ALLOCATED
    order = _issue(kept)
    assert (order.number, order.sequence) == (f"PO-{year}-000001", 1)
    assert _issue(abandoned).sequence == 2


def test_revisions_keep_the_number_and_use_none_up(cases):
    first, second = cases(2)
    order = _issue(first)
    first.agreement.refresh_from_db()
    revision = change_terms(
        package_for_agreement(first.agreement),
        acting_user=first.officer,
        valid_from=first.agreement.start_date,
        hourly_rate=first.agreement.hourly_rate,
        reason="Start date confirmed",
    ).purchase_order
    assert (revision.number, revision.revision) == (order.number, 2)
    assert _issue(second).sequence == 2


def test_a_closed_order_pays_to_its_last_day_and_is_revised_no_more(cases, officer_east):
    case = cases(1)[0]
    order = _issue(case)
    last_day = order.period_start + timedelta(days=30)

    with transaction.atomic():
        closed = services.close_purchase_order(
            case.agreement, acting_user=officer_east, last_day=last_day, reason="Ended"
        )

    assert (closed, closed.status, closed.last_day, closed.revision) == (order, "closed", last_day, 1)
    assert list(current_orders()) == [closed]  # the agreement's latest order, closed
    with pytest.raises(ActionRefused, match="has no purchase order in force"), transaction.atomic():
        services.revise_purchase_order(case.agreement, acting_user=officer_east, reason="Too late")
    with pytest.raises(IntegrityError, match="one_current_po_per_agreement"), transaction.atomic():
        services.issue_purchase_order(case.agreement, acting_user=officer_east)  # a second latest order


def test_an_order_closes_no_earlier_than_the_day_before_it_began(cases, officer_east):
    case = cases(1)[0]
    order = _issue(case)
    with pytest.raises(ActionRefused, match="it cannot close before"), transaction.atomic():
        services.close_purchase_order(
            case.agreement, acting_user=officer_east, last_day=order.period_start - timedelta(days=2), reason="x"
        )
    assert PurchaseOrder.objects.get(pk=order.pk).status == "issued"


# Two officers at once ---------------------------------------------------------------------------
def _waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except BaseException as error:  # reported by the test, not lost in the thread
            results[key] = error
        finally:
            connections.close_all()  # this thread's own connection

    return threading.Thread(target=run)


def test_concurrent_issues_get_distinct_consecutive_numbers(transactional_db, cases, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda task, *args: None)  # numbers, not PDFs, are under test
    first, second = cases(2)
    year = timezone.localdate().year
    PurchaseOrderNumber.objects.create(year=year, last_number=0)
    first_issued, let_first_commit = threading.Event(), threading.Event()
    results = {}

    def issue_first():
        with transaction.atomic():
            order = services.issue_purchase_order(first.agreement, acting_user=first.officer)
            first_issued.set()
            let_first_commit.wait(timeout=20)  # hold the counter's lock until the second is waiting on it
        return order

    def issue_second():
        with transaction.atomic():
            return services.issue_purchase_order(second.agreement, acting_user=second.officer)

    a, b = _in_thread(issue_first, results, "first"), _in_thread(issue_second, results, "second")
    a.start()
    assert first_issued.wait(timeout=20)
    b.start()
    deadline = time.monotonic() + 20
    while not _waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    blocked = _waiting_for_a_lock()
    let_first_commit.set()
    a.join(timeout=30)
    b.join(timeout=30)

    assert blocked == 1, "the second issue should have waited for the first's lock"
    assert not isinstance(results["first"], BaseException), results["first"]
    assert not isinstance(results["second"], BaseException), results["second"]
    assert (results["first"].sequence, results["second"].sequence) == (1, 2)
    assert sorted(PurchaseOrder.objects.values_list("year", "sequence")) == [(year, 1), (year, 2)]
    assert PurchaseOrderNumber.objects.get(year=year).last_number == 2
