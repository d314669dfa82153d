"""The sourcing transitions of the referral state machine, each allowed and each refused, through the
services that make them. A refusal changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brokerage.services import award_agreement
from catalogue.codes import ServiceCode
from core.exceptions import ActionRefused
from dps import services
from dps.tests.factories import (
    PurchasingArrangementFactory,
    Sourcing,
    after_closing,
    allocated,
    awarded,
    closed,
    footprint,
    published,
    requirement_fields,
    score_all,
    selected,
)
from packages.services import commission_package
from providers.tests.factories import ProviderFactory
from referrals.models import Referral, ReferralTransition
from referrals.services import take_referral
from referrals.tests.factories import sourcing_support_referral
from referrals.workflows import State


# Each new transition: the case just before it, the call that makes it (as `user`), and where it leads.
def _scored(person, funder, officer):
    case = closed(person, funder, officer)
    score_all(case.requirement, officer)
    return case


def _publish(case, user):
    services.publish_requirement(case.referral, acting_user=user, **requirement_fields(case.arrangement))


def _close(case, user):
    with after_closing(case.requirement):
        services.close_bidding(case.referral, acting_user=user)


def _republish(case, user):
    services.republish_requirement(
        case.referral,
        acting_user=user,
        reason="Both bids were over the usual rate",
        **requirement_fields(case.arrangement),
    )


def _select(case, user):
    services.select_bid(case.referral, acting_user=user, bid=case.bids[0], reason="Best overall score")


def _spot(case, user):
    services.commission_spot_contract(
        case.referral,
        acting_user=user,
        provider=ProviderFactory(),
        reason="No framework provider covers double-handed night calls",
    )


def _award(case, user):
    award_agreement(case.referral, acting_user=user, start_date=timezone.localdate() + timedelta(days=7))


def _issue(case, user):
    commission_package(case.referral, acting_user=user)


TRANSITIONS = {  # name: (build the case, act, target state)
    "publish_requirement": (allocated, _publish, State.REQUIREMENT_PUBLISHED),
    "close_bidding": (published, _close, State.BIDDING_CLOSED),
    "republish": (closed, _republish, State.REQUIREMENT_PUBLISHED),
    "select_provider": (_scored, _select, State.PROVIDER_SELECTED),
    "commission_spot_contract": (allocated, _spot, State.PROVIDER_SELECTED),
    "award": (selected, _award, State.DETAILS_SHARED),
    "issue_purchase_order": (awarded, _issue, State.ACTIVE),
}
NOT_ALLOWED = ["other_officer_east", "officer_west", "lead_east", "social_worker"]


def _refused_and_unchanged(case, act, user, match=None):
    before = footprint(case.referral)
    with pytest.raises(ActionRefused, match=match):
        act(case, user)
    assert footprint(case.referral) == before


@pytest.mark.parametrize("name", TRANSITIONS)
def test_allocated_officer_makes_the_transition(name, person, cap_member, officer_east):
    build, act, target = TRANSITIONS[name]
    case = build(person, cap_member, officer_east)
    source = case.referral.state
    transitions = ReferralTransition.objects.filter(referral=case.referral).count()

    act(case, officer_east)

    referral = Referral.objects.get(pk=case.referral.pk)
    assert referral.state == target
    last = referral.transitions.last()
    assert (last.name, last.source, last.target, last.by) == (name, source, target, officer_east)
    assert referral.transitions.count() == transitions + 1


@pytest.mark.parametrize("actor", NOT_ALLOWED)
@pytest.mark.parametrize("name", TRANSITIONS)
def test_only_the_allocated_officer_makes_the_transition(name, actor, request, person, cap_member, officer_east):
    build, act, _ = TRANSITIONS[name]
    case = build(person, cap_member, officer_east)
    _refused_and_unchanged(case, act, request.getfixturevalue(actor))


def test_spot_contract_after_bidding_closes_is_allowed(person, cap_member, officer_east):
    case = closed(person, cap_member, officer_east)
    _spot(case, officer_east)
    assert case.refresh().referral.state == State.PROVIDER_SELECTED


def test_bidding_cannot_close_before_the_closing_time(person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    _refused_and_unchanged(
        case,
        lambda c, u: services.close_bidding(c.referral, acting_user=u),
        officer_east,
        match="wait for the closing time",
    )


def test_requirement_cannot_be_published_twice(person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    _refused_and_unchanged(case, _publish, officer_east)


def test_provider_cannot_be_selected_before_bidding_closes(person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    _refused_and_unchanged(case, _select, officer_east)


def test_requirement_cannot_be_republished_while_bidding_is_open(person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    _refused_and_unchanged(case, _republish, officer_east)


def test_spot_contract_cannot_be_commissioned_while_bidding_is_open(person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    _refused_and_unchanged(case, _spot, officer_east)


def test_agreement_cannot_be_made_before_a_provider_is_selected(person, cap_member, officer_east):
    case = _scored(person, cap_member, officer_east)
    _refused_and_unchanged(case, _award, officer_east, match="Choose the provider")


def test_agreement_cannot_be_made_twice(person, cap_member, officer_east):
    case = awarded(person, cap_member, officer_east)
    _refused_and_unchanged(case, _award, officer_east)


def test_purchase_order_cannot_be_issued_before_the_award(person, cap_member, officer_east):
    case = selected(person, cap_member, officer_east)
    _refused_and_unchanged(case, _issue, officer_east, match="no agreement waiting")


def test_purchase_order_cannot_be_issued_twice(person, cap_member, officer_east):
    case = awarded(person, cap_member, officer_east)
    _issue(case, officer_east)
    _refused_and_unchanged(case, _issue, officer_east, match="no agreement waiting")


@pytest.fixture
def sourcing_support(person, officer_east):
    """An allocated sourcing support request, with an open arrangement for its service."""
    referral = take_referral(sourcing_support_referral(person.allocated_worker, person), acting_user=officer_east)
    arrangement = PurchasingArrangementFactory(service_type=ServiceCode.DAY_OPPORTUNITIES)
    return Sourcing(Referral.objects.get(pk=referral.pk), officer_east, arrangement)


def test_sourcing_support_cannot_be_published(sourcing_support, officer_east):
    _refused_and_unchanged(sourcing_support, _publish, officer_east, match="answered with options")


def test_sourcing_support_cannot_be_a_spot_contract(sourcing_support, officer_east):
    _refused_and_unchanged(sourcing_support, _spot, officer_east, match="answered with options")


def test_timeline_runs_in_order_to_active(person, cap_member, officer_east):
    case = awarded(person, cap_member, officer_east)
    _issue(case, officer_east)

    referral = Referral.objects.get(pk=case.referral.pk)
    steps = list(referral.transitions.values_list("name", "source", "target"))
    assert steps == [
        ("send_for_funding", State.DRAFT, State.AWAITING_FUNDING),
        ("authorise", State.AWAITING_FUNDING, State.QUEUED),
        ("take", State.QUEUED, State.ALLOCATED),
        ("publish_requirement", State.ALLOCATED, State.REQUIREMENT_PUBLISHED),
        ("close_bidding", State.REQUIREMENT_PUBLISHED, State.BIDDING_CLOSED),
        ("select_provider", State.BIDDING_CLOSED, State.PROVIDER_SELECTED),
        ("award", State.PROVIDER_SELECTED, State.DETAILS_SHARED),
        ("issue_purchase_order", State.DETAILS_SHARED, State.ACTIVE),
    ]
    assert referral.state == State.ACTIVE
    assert referral.active_at is not None
    assert referral.sourcing_time == referral.active_at - referral.queued_at
    assert referral.sourcing_time > timedelta(0)
