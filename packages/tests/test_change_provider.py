"""A change of provider (packages.services.change_provider): the old agreement ends the day before the new one
starts and its order is closed on that day; the new agreement's first order is issued for the package's new
version. One package never has two live agreements or two orders in force: two officers moving it at once are
told which change won, and the database refuses the second even were the package's lock missed."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from brokerage.models import ServiceAgreement
from commissioning.services import issue_purchase_order
from commissioning.workflows import State as CommissionState
from core.exceptions import ActionRefused
from dps.tests.factories import active
from packages import services
from packages.models import CarePackage, PackageAgreement, PackageVersion
from packages.selectors import in_force_on
from packages.services import change_provider, end_package
from people.tests.factories import make_person
from purchase_orders import services as order_services
from purchase_orders.models import PurchaseOrder
from referrals.models import Referral
from referrals.workflows import State as ReferralState

from .factories import agreed, in_days, pending_package, two_changes_of_provider


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def first(person, cap_member, officer_east):
    """An active package with Provider A from 7 days' time, £22 an hour for 10 hours."""
    return active(person, cap_member, officer_east)


def _new(person, cap_member, officer_east, starts=21):
    """Provider B's agreement for the same person's home care, from `starts` days' time, £23 an hour."""
    return agreed(person, cap_member, officer_east, start_date=in_days(starts), change_of_provider=False).agreement


def test_the_old_agreement_ends_the_day_before_and_the_new_one_takes_over(first, person, cap_member, officer_east):
    new = _new(person, cap_member, officer_east)

    version = change_provider(first.package, new, starts_on=in_days(21), acting_user=officer_east)

    assert version.package == first.package and version.agreement == new
    assert (version.valid_from, version.valid_to, version.hourly_rate, version.weekly_cost) == (
        in_days(21),
        None,
        Decimal("23.00"),
        Decimal("230.00"),
    )
    assert version.reason == f"Change of provider from {first.agreement.provider} to {new.provider}"
    assert [v.get_day_display() for v in version.visits.all()] == ["Tuesday", "Saturday"]  # the new plan's
    old_version = PackageVersion.objects.get(pk=first.version.pk)
    assert (old_version.valid_to, old_version.last_day) == (in_days(21), in_days(20))
    assert ServiceAgreement.objects.get(pk=first.agreement.pk).end_date == in_days(20)
    assert list(
        PackageAgreement.objects.filter(package=first.package).values_list("agreement", "valid_from", "valid_to")
    ) == [
        (first.agreement.pk, in_days(7), in_days(21)),
        (new.pk, in_days(21), None),
    ]
    closed = PurchaseOrder.objects.get(pk=first.order.pk)
    assert (closed.status, closed.last_day) == (PurchaseOrder.Status.CLOSED, in_days(20))
    opened = version.purchase_order
    assert (opened.agreement, opened.provider, opened.status, opened.period_start, opened.revision) == (
        new,
        new.provider,
        PurchaseOrder.Status.ISSUED,
        in_days(21),
        1,
    )
    assert CarePackage.objects.get(pk=first.package.pk).state == "active"


def test_on_any_day_one_agreement_and_one_order_are_in_force(first, person, cap_member, officer_east):
    new = _new(person, cap_member, officer_east)
    change_provider(first.package, new, starts_on=in_days(21), acting_user=officer_east)

    on_last_old_day, on_first_new_day = in_force_on(first.package, in_days(20)), in_force_on(first.package, in_days(21))

    assert (on_last_old_day.agreement, on_last_old_day.purchase_order) == (first.agreement, first.order)
    assert on_first_new_day.agreement == new and on_first_new_day.purchase_order.agreement == new
    assert PurchaseOrder.objects.filter(agreement__person=first.agreement.person, status="issued").count() == 1


def _footprint():
    return (
        sorted(PackageAgreement.objects.values_list("pk", "agreement", "valid_from", "valid_to")),
        sorted(PackageVersion.objects.values_list("pk", "valid_from", "valid_to")),
        sorted(ServiceAgreement.objects.values_list("pk", "end_date")),
        sorted(PurchaseOrder.objects.values_list("pk", "status", "last_day")),
    )


def _refused(act, match):
    before = _footprint()
    with pytest.raises(ActionRefused, match=match):
        act()
    assert _footprint() == before


def test_a_new_provider_starts_after_the_current_terms_began(first, person, cap_member, officer_east):
    new = _new(person, cap_member, officer_east, starts=7)
    _refused(
        lambda: change_provider(first.package, new, starts_on=in_days(7), acting_user=officer_east),
        f"already has terms from {in_days(7):%-d %B %Y}.*a new provider can start from {in_days(8):%-d %B %Y}",
    )


def test_the_package_does_not_move_before_the_new_agreement_starts(first, person, cap_member, officer_east):
    new = _new(person, cap_member, officer_east, starts=21)
    _refused(
        lambda: change_provider(first.package, new, starts_on=in_days(14), acting_user=officer_east),
        f"starts on {in_days(21):%-d %B %Y}",
    )


def test_an_agreement_for_someone_else_is_refused(first, social_worker, east_area, cap_member, officer_east):
    someone_else = _new(make_person(social_worker, east_area), cap_member, officer_east)
    _refused(
        lambda: change_provider(first.package, someone_else, starts_on=in_days(21), acting_user=officer_east),
        "is not for",
    )


def test_an_agreement_already_delivering_a_package_is_refused(first, person, cap_member, officer_east):
    other = active(person, cap_member, officer_east, start_date=in_days(21))
    _refused(
        lambda: change_provider(first.package, other.agreement, starts_on=in_days(21), acting_user=officer_east),
        "already delivers a care package",
    )


def test_only_an_active_package_changes_provider(person, cap_member, officer_east):
    from dps.tests.factories import awarded

    pending = pending_package(awarded(person, cap_member, officer_east))
    new = _new(person, cap_member, officer_east)
    _refused(
        lambda: change_provider(pending, new, starts_on=in_days(21), acting_user=officer_east),
        "Only an active package can change provider: .* is pending start",
    )


def test_an_ended_package_does_not_change_provider(first, person, cap_member, officer_east):
    end_package(first.package, acting_user=officer_east, last_day=in_days(10), reason="Moved away")
    new = _new(person, cap_member, officer_east)
    _refused(
        lambda: change_provider(first.package, new, starts_on=in_days(21), acting_user=officer_east),
        "is ended",
    )


@pytest.mark.parametrize("who", ["officer_west", "social_worker"])
def test_only_its_team_changes_its_provider(request, first, person, cap_member, officer_east, who):
    new = _new(person, cap_member, officer_east)
    user = request.getfixturevalue(who)
    _refused(
        lambda: change_provider(first.package, new, starts_on=in_days(21), acting_user=user),
        "Only the Brokerage team working this case",
    )


# Two at once ----------------------------------------------------------------------------------------------
def _waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _race(first_attempt, second_attempt) -> tuple[dict, int]:
    """Two officers at once. The first holds its transaction open until the second is waiting on a lock the first
    holds; then the first commits. Returns each one's result (or the exception) and how many were waiting."""
    first_done, let_first_commit = threading.Event(), threading.Event()
    results = {}

    def attempt(key, act, hold):
        try:
            with transaction.atomic():
                results[key] = act()
                if hold:
                    first_done.set()
                    let_first_commit.wait(timeout=20)
        except BaseException as error:  # reported by the test, not lost in the thread
            results[key] = error
        finally:
            first_done.set()
            connections.close_all()  # this thread's own connection

    a = threading.Thread(target=attempt, args=("first", first_attempt, True))
    b = threading.Thread(target=attempt, args=("second", second_attempt, False))
    a.start()
    assert first_done.wait(timeout=30)
    b.start()
    deadline = time.monotonic() + 20
    while not _waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    waiting = _waiting_for_a_lock()
    let_first_commit.set()
    a.join(timeout=30)
    b.join(timeout=30)
    return results, waiting


def _moves(package, agreements, officer):
    """Each officer moves the package to their own new agreement, from the same day."""
    return [
        lambda agreement=agreement: change_provider(package, agreement, starts_on=in_days(21), acting_user=officer)
        for agreement in agreements
    ]


@pytest.fixture
def two_new_agreements(transactional_db, first, person, cap_member, officer_east, monkeypatch):
    monkeypatch.setattr(order_services, "enqueue", lambda task, *args: None)  # agreements, not PDFs, are under test
    return [_new(person, cap_member, officer_east), _new(person, cap_member, officer_east)]


def _one_won(first, results) -> None:
    won, lost = results["first"], results["second"]
    assert isinstance(won, PackageVersion), won
    assert isinstance(lost, ActionRefused), lost
    links = PackageAgreement.objects.filter(package=first.package).order_by("valid_from")
    assert [(link.agreement_id, link.valid_to) for link in links] == [
        (first.agreement.pk, in_days(21)),
        (won.agreement_id, None),
    ]
    in_force = PurchaseOrder.objects.filter(agreement__person=first.agreement.person, status="issued")
    assert list(in_force) == [won.purchase_order]


def test_two_officers_moving_one_package_at_once_one_wins_the_other_is_told(two_new_agreements, first, officer_east):
    results, waiting = _race(*_moves(first.package, two_new_agreements, officer_east))

    assert waiting == 1, "the second should have waited for the package's lock"
    _one_won(first, results)
    assert results["second"].message == (
        f"{first.package.reference} already has terms from {in_days(21):%-d %B %Y}, with "
        f"{two_new_agreements[0].provider}: a new provider can start from {in_days(22):%-d %B %Y}."
    )


def test_were_the_lock_missed_the_database_refuses_the_second(two_new_agreements, first, officer_east, monkeypatch):
    """Without the package's row lock both read the package as it was; the exclusion constraint on its agreements'
    days still lets only one through, and the second is told so in words."""
    monkeypatch.setattr(
        services,
        "_locked",
        lambda package: CarePackage.objects.select_related("person", "service_type").get(pk=package.pk),
    )

    results, waiting = _race(*_moves(first.package, two_new_agreements, officer_east))

    assert waiting == 1, "the second should have waited on the first's agreement rows"
    _one_won(first, results)
    assert "is already delivered under another agreement from" in results["second"].message
    assert "someone changed its provider at the same time" in results["second"].message


def test_two_changes_of_provider_commissioned_at_once_move_the_package_once(
    transactional_db, first, person, cap_member, officer_east, monkeypatch
):
    """The bug this fixes, end to end: two change-of-provider referrals for one person reach their purchase orders
    at the same moment. One moves the package; the other is refused, its referral and agreement left waiting."""
    monkeypatch.setattr(order_services, "enqueue", lambda task, *args: None)
    changes = two_changes_of_provider(person, cap_member, officer_east, start_date=in_days(21))

    results, waiting = _race(
        *[lambda case=case: issue_purchase_order(case.commission, acting_user=officer_east) for case in changes]
    )

    assert waiting == 1, "the second should have waited for the package's lock"
    _one_won(first, results)
    assert "a new provider can start from" in results["second"].message
    assert Referral.objects.get(pk=changes[0].referral.pk).state == ReferralState.ACTIVE
    assert changes[1].commission.state == CommissionState.DETAILS_SHARED
    assert Referral.objects.get(pk=changes[1].referral.pk).state == ReferralState.ALLOCATED
    assert not PurchaseOrder.objects.filter(agreement=changes[1].agreement).exists()
    assert CarePackage.objects.filter(person=person).count() == 1
