"""Home care as users know it: the officer issues the purchase order and the referral is active. That step now
starts the person's care package, its first version taken from the agreement, the schedule as rows; and for a
change of provider it moves the person's package instead of leaving two live agreements and two orders in force
(PO-2026-000001 and PO-2026-000003 for one person, before packages)."""

from datetime import time
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from brokerage.models import ServiceAgreement
from commissioning.services import issue_purchase_order
from core.exceptions import ActionRefused
from dps.tests.factories import active, awarded, footprint
from packages.models import CarePackage, PackageAgreement, PackageVersion, VisitSlot
from packages.selectors import in_force_on
from packages.workflows import State
from purchase_orders.models import PurchaseOrder
from referrals.models import Referral
from referrals.workflows import State as ReferralState

from .factories import agreed, in_days


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_issuing_the_purchase_order_starts_a_package_from_the_agreement(person, cap_member, officer_east):
    case = agreed(person, cap_member, officer_east, start_date=in_days(7), change_of_provider=False)
    agreement = case.agreement

    version = issue_purchase_order(case.commission, acting_user=officer_east)

    package = CarePackage.objects.get()
    assert (package.person, package.service_type_id, package.referral, package.team_id, package.state) == (
        person,
        "home_care",
        case.referral,
        "east",
        State.ACTIVE,
    )
    assert version.package == package and version.agreement == agreement
    assert (version.valid_from, version.valid_to, version.reverts_on) == (in_days(7), None, None)
    assert (version.weekly_hours, version.hourly_rate, version.weekly_cost) == (
        Decimal("10.00"),
        Decimal("23.00"),
        Decimal("230.00"),
    )
    assert (version.created_by, version.reason) == (
        officer_east,
        f"Commissioned from {agreement.provider} (SA-{agreement.pk:06d})",
    )
    assert [(v.get_day_display(), v.time, v.minutes, v.carers) for v in version.visits.all()] == [
        ("Tuesday", time(9, 30), 60, 2),
        ("Saturday", time(18, 0), 30, 1),
    ]
    link = PackageAgreement.objects.get(package=package)
    assert (link.agreement, link.valid_from, link.valid_to) == (agreement, in_days(7), None)
    order = version.purchase_order
    assert (order.agreement, order.status, order.period_start, order.weekly_cost, order.hourly_rate) == (
        agreement,
        PurchaseOrder.Status.ISSUED,
        in_days(7),
        Decimal("230.00"),
        Decimal("23.00"),
    )
    referral = Referral.objects.get(pk=case.referral.pk)
    assert referral.state == ReferralState.ACTIVE and referral.active_at is not None
    assert referral.transitions.last().note == f"Purchase order {order.number}"
    assert AuditEvent.objects.filter(
        object_id=str(package.pk), action=AuditEvent.Action.CREATED, summary__startswith="Made care package"
    ).exists()


def test_the_referral_is_active_with_its_agreement(person, cap_member, officer_east):
    case = active(person, cap_member, officer_east)
    referral = Referral.objects.get(pk=case.referral.pk)
    assert referral.state == ReferralState.ACTIVE and referral.active_agreement == case.agreement


def _refused(case, user, match):
    before = footprint(case.referral), CarePackage.objects.count(), PackageVersion.objects.count()
    with pytest.raises(ActionRefused, match=match):
        issue_purchase_order(case.commission, acting_user=user)
    assert (footprint(case.referral), CarePackage.objects.count(), PackageVersion.objects.count()) == before


def test_a_second_purchase_order_is_refused(person, cap_member, officer_east):
    case = active(person, cap_member, officer_east)
    _refused(case, officer_east, "A commission that is “commissioned: purchase order issued” cannot do this")


@pytest.mark.parametrize("who", ["other_officer_east", "lead_east", "officer_west", "social_worker"])
def test_only_the_allocated_officer_issues_it(request, person, cap_member, officer_east, who):
    case = awarded(person, cap_member, officer_east)
    _refused(case, request.getfixturevalue(who), "Only the officer this referral is allocated to")


# A change of provider moves the package -------------------------------------------------------------------
def test_a_change_of_provider_moves_the_package_to_the_new_agreement(person, cap_member, officer_east):
    first = active(person, cap_member, officer_east)  # from 7 days' time, £22 an hour
    change = agreed(person, cap_member, officer_east, start_date=in_days(21))

    version = issue_purchase_order(change.commission, acting_user=officer_east)

    assert CarePackage.objects.get() == first.package and version.package == first.package
    old = ServiceAgreement.objects.get(pk=first.agreement.pk)
    assert old.end_date == in_days(20)  # the day before the new one starts
    old_order = PurchaseOrder.objects.get(pk=first.order.pk)
    assert (old_order.status, old_order.last_day) == (PurchaseOrder.Status.CLOSED, in_days(20))
    new_order = version.purchase_order
    assert (new_order.agreement, new_order.status, new_order.revision) == (change.agreement, "issued", 1)
    assert new_order.number != old_order.number
    issued = PurchaseOrder.objects.filter(agreement__person=person, status=PurchaseOrder.Status.ISSUED)
    assert list(issued) == [new_order]  # not two orders in force for one service
    assert in_force_on(first.package, in_days(20)).agreement == first.agreement
    assert in_force_on(first.package, in_days(21)).agreement == change.agreement
    assert Referral.objects.get(pk=change.referral.pk).state == ReferralState.ACTIVE
    assert [v.get_day_display() for v in VisitSlot.objects.filter(version=version)] == ["Tuesday", "Saturday"]


def test_a_change_of_provider_with_no_package_to_move_is_refused_when_sent(person, cap_member, officer_east):
    """A service arranged outside this system has no package to move: it comes as a new plan."""
    with pytest.raises(
        ActionRefused, match=rf"{person} has no domiciliary care \(home care\) running that Brokerage arranged"
    ):
        agreed(person, cap_member, officer_east, start_date=in_days(7))
    assert not CarePackage.objects.exists()
    assert not Referral.objects.filter(kind=Referral.Kind.CHANGE).exists()


def test_a_change_of_provider_refused_leaves_both_agreements_as_they_were(person, cap_member, officer_east):
    first = active(person, cap_member, officer_east, start_date=in_days(14))
    change = agreed(person, cap_member, officer_east, start_date=in_days(14))  # the day the old one starts

    _refused(change, officer_east, "a new provider can start from")
    assert ServiceAgreement.objects.get(pk=first.agreement.pk).end_date is None


def test_a_change_of_provider_for_a_person_with_two_such_packages_says_it_cannot_tell(person, cap_member, officer_east):
    active(person, cap_member, officer_east)
    active(person, cap_member, officer_east)
    with pytest.raises(
        ActionRefused, match=r"more than one domiciliary care \(home care\) package: Brokerage cannot tell which"
    ):
        agreed(person, cap_member, officer_east, start_date=in_days(21))


def test_the_referral_page_button_issues_it(client, person, cap_member, officer_east):
    case = awarded(person, cap_member, officer_east)
    client.force_login(officer_east)

    page = client.get(case.referral.get_absolute_url()).content.decode()
    response = client.post(f"/commissioning/referrals/{case.referral.pk}/purchase-order/", follow=True)

    assert f'action="/commissioning/referrals/{case.referral.pk}/purchase-order/"' in page
    order = PurchaseOrder.objects.get()
    assert f"Purchase order {order.number} issued. The service is active" in response.content.decode()
    assert CarePackage.objects.get().state == State.ACTIVE


def test_the_button_refused_says_why_and_changes_nothing(client, person, cap_member, officer_east):
    case = active(person, cap_member, officer_east)
    client.force_login(officer_east)

    response = client.post(f"/commissioning/referrals/{case.referral.pk}/purchase-order/", follow=True)

    assert "A commission that is “commissioned: purchase order issued” cannot do this." in response.content.decode()
    assert PurchaseOrder.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, actor=officer_east).exists()


def test_the_west_team_cannot_use_the_east_teams_button(client, person, cap_member, officer_east, officer_west):
    case = awarded(person, cap_member, officer_east)
    client.force_login(officer_west)
    assert client.post(f"/commissioning/referrals/{case.referral.pk}/purchase-order/").status_code == 404
    assert not PurchaseOrder.objects.exists() and not CarePackage.objects.exists()


def test_a_weekly_bid_is_paid_to_the_penny_on_the_version_and_its_order(
    social_worker, east_area, cap_member, officer_east
):
    """£160.00 a week for 7 hours stays £160.00: the version keeps no hourly rate to round."""
    from dps.models import Bid
    from people.tests.factories import make_person, make_plan

    person = make_person(social_worker, east_area)
    plan = make_plan(social_worker, person, weekly_hours=Decimal("7.00"))
    case = active(
        person, cap_member, officer_east, plan=plan, prices=(Decimal("160.00"),), price_basis=Bid.Basis.WEEKLY
    )
    assert (case.version.hourly_rate, case.version.weekly_cost) == (None, Decimal("160.00"))
    assert (case.order.hourly_rate, case.order.weekly_cost) == (None, Decimal("160.00"))
    assert case.version.valid_from == case.agreement.start_date == case.order.period_start
