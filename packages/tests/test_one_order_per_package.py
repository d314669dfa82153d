"""One purchase order in force per care package, held by the database (purchase_orders' one_current_po_per_package,
on the package id packages gives every order it issues): whoever issues a second order for a package, even at the
same moment, is refused in words and nothing is left half-done."""

import pytest
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from brokerage.models import ServiceAgreement
from commissioning.services import issue_purchase_order
from core.exceptions import ActionRefused
from dps.tests.factories import active
from packages.models import CarePackage, PackageAgreement, PackageVersion
from packages.services import change_provider, change_terms, order_terms
from purchase_orders import services as order_services
from purchase_orders.models import PurchaseOrder
from referrals.models import Referral, ReferralTransition
from referrals.workflows import State as ReferralState

from .factories import agreed, in_days, two_changes_of_provider
from .test_change_provider import _race


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def first(person, cap_member, officer_east):
    return active(person, cap_member, officer_east)


def test_every_order_of_a_package_names_it(first, person, cap_member, officer_east):
    revised = change_terms(
        first.package,
        acting_user=officer_east,
        valid_from=in_days(10),
        hourly_rate=first.version.hourly_rate,
        reason="Rate review",
    ).purchase_order
    new = agreed(person, cap_member, officer_east, start_date=in_days(21), change_of_provider=False).agreement
    moved = change_provider(first.package, new, starts_on=in_days(21), acting_user=officer_east).purchase_order

    orders = PurchaseOrder.objects.filter(pk__in=[first.order.pk, revised.pk, moved.pk])
    assert {o.care_package_id for o in orders} == {first.package.pk}
    assert list(PurchaseOrder.objects.filter(care_package_id=first.package.pk, status="issued")) == [moved]


def test_the_database_refuses_a_second_order_in_force_for_a_package(first, person, cap_member, officer_east):
    other = agreed(person, cap_member, officer_east, start_date=in_days(21), change_of_provider=False).agreement
    with pytest.raises(IntegrityError, match="one_current_po_per_package"), transaction.atomic():
        PurchaseOrder.objects.create(
            agreement=other,
            year=2026,
            sequence=999_999,
            provider=other.provider,
            service_type="home_care",
            period_start=other.start_date,
            weekly_cost=other.weekly_cost,
            issued_by=officer_east,
            care_package_id=first.package.pk,
        )


def test_issuing_a_second_order_for_a_package_is_refused_in_words_and_changes_nothing(
    first, person, cap_member, officer_east
):
    other = agreed(person, cap_member, officer_east, start_date=in_days(21), change_of_provider=False).agreement
    before = (PurchaseOrder.objects.count(), AuditEvent.objects.count())

    with pytest.raises(ActionRefused) as refusal, transaction.atomic():
        order_services.issue_purchase_order(
            other, acting_user=officer_east, terms=order_terms(first.version), care_package_id=first.package.pk
        )

    assert refusal.value.message == (
        f"This care package already has a purchase order in force ({first.order.display_number}, "
        f"{first.order.provider}): someone issued it at the same time. Reload the package to see it."
    )
    assert (PurchaseOrder.objects.count(), AuditEvent.objects.count()) == before


# Races, in two threads with their own connections ----------------------------------------------------------------
@pytest.fixture
def no_pdfs(monkeypatch):
    monkeypatch.setattr(order_services, "enqueue", lambda task, *args: None)  # orders, not PDFs, are under test


def test_two_orders_issued_for_one_package_at_once_one_is_refused(
    transactional_db, no_pdfs, first, person, cap_member, officer_east
):
    """Below packages' own lock: two orders issued for one package at the same moment by the purchase orders'
    service. The second waits on the first's unique index entry, then is refused; only one is in force."""
    others = [
        agreed(person, cap_member, officer_east, start_date=in_days(21), change_of_provider=False).agreement
        for _ in range(2)
    ]
    PurchaseOrder.objects.filter(pk=first.order.pk).update(status="closed", last_day=in_days(20))

    def issue(agreement):
        return lambda: order_services.issue_purchase_order(
            agreement, acting_user=officer_east, terms=order_terms(first.version), care_package_id=first.package.pk
        )

    results, waiting = _race(issue(others[0]), issue(others[1]))

    assert waiting == 1, "the second should have waited for the first's order"
    won, lost = results["first"], results["second"]
    assert isinstance(won, PurchaseOrder), won
    assert isinstance(lost, ActionRefused), lost
    assert lost.message.startswith(f"This care package already has a purchase order in force ({won.display_number}")
    assert list(PurchaseOrder.objects.filter(care_package_id=first.package.pk, status="issued")) == [won]
    assert not PurchaseOrder.objects.filter(agreement=others[1]).exists()


def _loser_footprint(case) -> dict:
    """What a change-of-provider commission would have written for its own referral and agreement."""
    agreement = ServiceAgreement.objects.get(pk=case.agreement.pk)
    return {
        "referral": Referral.objects.get(pk=case.referral.pk).state,
        "referral_steps": ReferralTransition.objects.filter(referral=case.referral).count(),
        "agreement": (agreement.status, agreement.end_date),
        "orders": PurchaseOrder.objects.filter(agreement=agreement).count(),
        "package_links": PackageAgreement.objects.filter(agreement=agreement).count(),
        "versions": PackageVersion.objects.filter(agreement=agreement).count(),
    }


def test_two_change_of_provider_commissions_race_one_wins_and_the_other_leaves_nothing_half_done(
    transactional_db, no_pdfs, first, person, cap_member, officer_east
):
    changes = two_changes_of_provider(person, cap_member, officer_east, start_date=in_days(21))
    before = [_loser_footprint(case) for case in changes]

    results, waiting = _race(
        *[lambda case=case: issue_purchase_order(case.commission, acting_user=officer_east) for case in changes]
    )

    assert waiting == 1, "the second should have waited for the package's lock"
    won, lost = results["first"], results["second"]
    assert isinstance(won, PackageVersion), won
    assert isinstance(lost, ActionRefused), lost
    assert lost.message == (
        f"{first.package.reference} already has terms from {in_days(21):%-d %B %Y}, with {changes[0].agreement.provider}"
        f": a new provider can start from {in_days(22):%-d %B %Y}."
    )
    # The winner moved the package: the old order closed the day before, its own issued, one order in force.
    old = PurchaseOrder.objects.get(pk=first.order.pk)
    assert (old.status, old.last_day) == ("closed", in_days(20))
    assert list(PurchaseOrder.objects.filter(care_package_id=first.package.pk, status="issued")) == [won.purchase_order]
    assert Referral.objects.get(pk=changes[0].referral.pk).state == ReferralState.ACTIVE
    # The loser: its referral, agreement and everything under them exactly as before.
    assert _loser_footprint(changes[1]) == before[1]
    assert CarePackage.objects.filter(person=person).count() == 1
