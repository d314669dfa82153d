"""A service type sourced in its own app (catalogue.sourcing): taking the referral starts that work, the
referral has no sourcing steps of its own, and the work's end makes the referral active.

The route here is a test's own, registered for transport, standing in for an app such as placements; it keeps
its "work" in a list so the test can see exactly what was started and by whom.
"""

import pytest

from catalogue import sourcing
from catalogue.codes import NOT_BROKERED, REFERRAL_ONLY_SERVICES, ServiceCode
from referrals import services
from referrals.models import Referral
from referrals.tests.assertions import assert_refused
from referrals.tests.factories import allocated_referral, urgent_referral

S = Referral.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def route(monkeypatch):
    started, commissioned = [], set()
    route = sourcing.SourcingRoute(
        app="test",
        start=lambda referral, *, acting_user: started.append((referral.pk, acting_user.pk, referral.state)),
        is_commissioned=lambda referral: referral.pk in commissioned,
        work_of=lambda referral: f"work for {referral.pk}" if referral.pk in {s[0] for s in started} else None,
    )
    monkeypatch.setitem(sourcing._routes, ServiceCode.TRANSPORT.value, route)
    return started, commissioned


def test_taking_a_referral_starts_its_service_types_work(social_worker, person, officer_east, route):
    started, _ = route
    referral = allocated_referral(social_worker, person, officer_east, service_type=ServiceCode.TRANSPORT)
    assert started == [(referral.pk, officer_east.pk, S.ALLOCATED)]
    assert referral.own_work == f"work for {referral.pk}"


def test_allocating_starts_the_work_once_and_reallocating_does_not_start_it_again(
    social_worker, person, lead_east, officer_east, other_officer_east, route
):
    started, _ = route
    referral = urgent_referral(social_worker, person, service_type=ServiceCode.TRANSPORT)
    services.allocate_referral(referral, acting_user=lead_east, officer=officer_east)
    services.allocate_referral(Referral.objects.get(pk=referral.pk), acting_user=lead_east, officer=other_officer_east)
    assert started == [(referral.pk, lead_east.pk, S.ALLOCATED)]


def test_a_service_type_without_a_route_starts_nothing(social_worker, person, officer_east, route, monkeypatch):
    started, _ = route
    monkeypatch.delitem(sourcing._routes, ServiceCode.HOME_CARE.value)
    referral = allocated_referral(social_worker, person, officer_east)
    assert started == [] and referral.own_work is None


def test_every_brokered_service_type_is_sourced_by_an_app():
    """Home care and the simpler services by commissioning, residential and nursing by placements: none is left
    to the referral, which has no sourcing steps of its own."""
    brokered = set(ServiceCode) - set(NOT_BROKERED) - set(REFERRAL_ONLY_SERVICES)
    apps = {code: sourcing.route_for(code).app for code in brokered if sourcing.route_for(code) is not None}
    assert set(apps) == brokered
    assert apps[ServiceCode.HOME_CARE] == apps[ServiceCode.REABLEMENT] == "commissioning"
    assert apps[ServiceCode.RESIDENTIAL] == apps[ServiceCode.NURSING] == "placements"
    assert apps[ServiceCode.SHARED_LIVES] == "shared_lives"


def test_record_commissioned_makes_the_referral_active(social_worker, person, officer_east, route):
    _, commissioned = route
    referral = allocated_referral(social_worker, person, officer_east, service_type=ServiceCode.TRANSPORT)
    commissioned.add(referral.pk)
    referral = services.record_commissioned(referral, acting_user=officer_east, note="PL-000001 placed")
    assert referral.state == S.ACTIVE and referral.active_at is not None
    assert referral.transitions.latest("id").note == "PL-000001 placed"


def test_record_commissioned_refused_before_the_work_has_issued_the_order(social_worker, person, officer_east, route):
    referral = allocated_referral(social_worker, person, officer_east, service_type=ServiceCode.TRANSPORT)
    assert_refused(
        referral,
        lambda: services.record_commissioned(referral, acting_user=officer_east),
        "The service type's own workflow has not issued the purchase order yet.",
    )


def test_record_commissioned_refused_for_home_care(social_worker, person, officer_east):
    referral = allocated_referral(social_worker, person, officer_east)
    assert_refused(
        referral,
        lambda: services.record_commissioned(referral, acting_user=officer_east),
        "The service type's own workflow has not issued the purchase order yet.",
    )


def test_record_commissioned_refused_for_another_officer(
    social_worker, person, officer_east, other_officer_east, route
):
    _, commissioned = route
    referral = allocated_referral(social_worker, person, officer_east, service_type=ServiceCode.TRANSPORT)
    commissioned.add(referral.pk)
    assert_refused(
        referral,
        lambda: services.record_commissioned(referral, acting_user=other_officer_east),
        "You do not have permission to do this to this referral.",
    )


def test_the_referral_has_no_sourcing_steps_of_its_own():
    from referrals.models import REFERRAL_MACHINE

    steps = {step.name for step in REFERRAL_MACHINE.steps()}
    assert not steps & {"publish_requirement", "close_bidding", "select_provider", "award", "issue_purchase_order"}
    assert set(REFERRAL_MACHINE.labels()) == set(S.values)
    assert not set(S.values) & {"requirement_published", "bidding_closed", "provider_selected", "details_shared"}


def test_a_second_app_cannot_claim_a_routed_service_type(route):
    other = sourcing.SourcingRoute(app="other", start=None, is_commissioned=None, work_of=None)
    with pytest.raises(ValueError, match="already sourced by test"):
        sourcing.register_route([ServiceCode.TRANSPORT], other)
