"""The sourcing steps of the referral's commission (commissioning.workflows), each allowed and each refused, through
the services that take them. A refusal changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.codes import ServiceCode
from commissioning import services as commissioning
from commissioning.models import COMMISSION_MACHINE, Commission, CommissionTransition
from commissioning.workflows import State
from core.exceptions import ActionRefused
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
from providers.tests.factories import ProviderFactory
from referrals.models import Referral
from referrals.services import take_referral
from referrals.tests.factories import sourcing_support_referral
from referrals.workflows import State as ReferralState


# Each new step: the case just before it, the call that takes it (as `user`), and where it leads.
def _scored(person, funder, officer):
    case = closed(person, funder, officer)
    score_all(case.requirement, officer)
    return case


def _commission(case):
    """The referral's commission, or the refusal a referral with none (sourcing support) gets."""
    return commissioning.commission_of(case.referral)


def _publish(case, user):
    commissioning.publish_requirement(_commission(case), acting_user=user, **requirement_fields(case.arrangement))


def _close(case, user):
    with after_closing(case.requirement):
        commissioning.close_bidding(_commission(case), acting_user=user)


def _republish(case, user):
    commissioning.republish_requirement(
        _commission(case),
        acting_user=user,
        reason="Both bids were over the usual rate",
        **requirement_fields(case.arrangement),
    )


def _select(case, user):
    commissioning.select_bid(_commission(case), acting_user=user, bid=case.bids[0], reason="Best overall score")


def _spot(case, user):
    commissioning.commission_spot_contract(
        _commission(case),
        acting_user=user,
        provider=ProviderFactory(),
        reason="No framework provider covers double-handed night calls",
    )


def _award(case, user):
    commissioning.award(_commission(case), acting_user=user, start_date=timezone.localdate() + timedelta(days=7))


def _issue(case, user):
    commissioning.issue_purchase_order(_commission(case), acting_user=user)


TRANSITIONS = {  # name: (build the case, act, target state of the commission)
    "publish_requirement": (allocated, _publish, State.REQUIREMENT_PUBLISHED),
    "close_bidding": (published, _close, State.BIDDING_CLOSED),
    "republish": (closed, _republish, State.REQUIREMENT_PUBLISHED),
    "select_provider": (_scored, _select, State.PROVIDER_SELECTED),
    "commission_spot_contract": (allocated, _spot, State.PROVIDER_SELECTED),
    "award": (selected, _award, State.DETAILS_SHARED),
    "issue_purchase_order": (awarded, _issue, State.COMMISSIONED),
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
    source = case.commission.state
    transitions = CommissionTransition.objects.filter(commission__referral=case.referral).count()

    act(case, officer_east)

    commission = Commission.objects.get(referral=case.referral)
    assert commission.state == target
    last = commission.transitions.last()
    assert (last.name, last.source, last.target, last.by) == (name, source, target, officer_east)
    assert commission.transitions.count() == transitions + 1
    # The referral stays with its officer until the purchase order makes it active.
    referral_state = ReferralState.ACTIVE if target == State.COMMISSIONED else ReferralState.ALLOCATED
    assert Referral.objects.get(pk=case.referral.pk).state == referral_state


@pytest.mark.parametrize("actor", NOT_ALLOWED)
@pytest.mark.parametrize("name", TRANSITIONS)
def test_only_the_allocated_officer_makes_the_transition(name, actor, request, person, cap_member, officer_east):
    build, act, _ = TRANSITIONS[name]
    case = build(person, cap_member, officer_east)
    _refused_and_unchanged(case, act, request.getfixturevalue(actor))


def test_spot_contract_after_bidding_closes_is_allowed(person, cap_member, officer_east):
    case = closed(person, cap_member, officer_east)
    _spot(case, officer_east)
    assert case.commission.state == State.PROVIDER_SELECTED


def test_bidding_cannot_close_before_the_closing_time(person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    _refused_and_unchanged(
        case,
        lambda c, u: commissioning.close_bidding(c.commission, acting_user=u),
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
    _refused_and_unchanged(case, _award, officer_east, match="bidding closed: reviewing bids” cannot do this")


def test_agreement_cannot_be_made_twice(person, cap_member, officer_east):
    case = awarded(person, cap_member, officer_east)
    _refused_and_unchanged(case, _award, officer_east)


def test_purchase_order_cannot_be_issued_before_the_award(person, cap_member, officer_east):
    case = selected(person, cap_member, officer_east)
    _refused_and_unchanged(case, _issue, officer_east, match="provider selected” cannot do this")


def test_purchase_order_cannot_be_issued_twice(person, cap_member, officer_east):
    case = awarded(person, cap_member, officer_east)
    _issue(case, officer_east)
    _refused_and_unchanged(case, _issue, officer_east, match="commissioned: purchase order issued” cannot do this")


@pytest.fixture
def sourcing_support(person, officer_east):
    """An allocated sourcing support request, with an open arrangement for its service."""
    referral = take_referral(sourcing_support_referral(person.allocated_worker, person), acting_user=officer_east)
    arrangement = PurchasingArrangementFactory(service_type=ServiceCode.DAY_OPPORTUNITIES)
    return Sourcing(Referral.objects.get(pk=referral.pk), officer_east, arrangement)


def test_sourcing_support_starts_no_commission(sourcing_support):
    """Sourcing support is answered with options, not commissioned: taking it starts nothing to source."""
    assert not Commission.objects.filter(referral=sourcing_support.referral).exists()


def test_sourcing_support_cannot_be_published(sourcing_support, officer_east):
    _refused_and_unchanged(sourcing_support, _publish, officer_east, match="not being sourced")


def test_sourcing_support_cannot_be_a_spot_contract(sourcing_support, officer_east):
    _refused_and_unchanged(sourcing_support, _spot, officer_east, match="not being sourced")


def test_timeline_runs_in_order_to_active(person, cap_member, officer_east):
    case = awarded(person, cap_member, officer_east)
    _issue(case, officer_east)

    referral = Referral.objects.get(pk=case.referral.pk)
    assert list(referral.transitions.values_list("name", "source", "target")) == [
        ("send_for_funding", ReferralState.DRAFT, ReferralState.AWAITING_FUNDING),
        ("authorise", ReferralState.AWAITING_FUNDING, ReferralState.QUEUED),
        ("take", ReferralState.QUEUED, ReferralState.ALLOCATED),
        ("record_commissioned", ReferralState.ALLOCATED, ReferralState.ACTIVE),
    ]
    commission = Commission.objects.get(referral=referral)
    assert list(commission.transitions.values_list("name", "source", "target")) == [
        ("publish_requirement", State.SOURCING, State.REQUIREMENT_PUBLISHED),
        ("close_bidding", State.REQUIREMENT_PUBLISHED, State.BIDDING_CLOSED),
        ("select_provider", State.BIDDING_CLOSED, State.PROVIDER_SELECTED),
        ("award", State.PROVIDER_SELECTED, State.DETAILS_SHARED),
        ("issue_purchase_order", State.DETAILS_SHARED, State.COMMISSIONED),
    ]
    assert referral.state == ReferralState.ACTIVE
    assert commission.state == State.COMMISSIONED
    assert referral.active_at is not None
    assert referral.sourcing_time == referral.active_at - referral.queued_at
    assert referral.sourcing_time > timedelta(0)


# Each step's tests, allowed and refused: core/tests/test_workflow.py fails if a step has neither.
TAKEN = "test_allocated_officer_makes_the_transition[{}]"
REFUSED = "test_only_the_allocated_officer_makes_the_transition[{}]"
MACHINE = COMMISSION_MACHINE
STEP_TESTS = {
    "confirm_change": (
        ["commissioning/tests/test_challenge.py::test_the_challenge_done_sourcing_starts"],
        [
            "commissioning/tests/test_challenge.py::test_the_change_is_not_confirmed_until_the_challenge_is_done",
            "commissioning/tests/test_challenge.py::test_only_the_allocated_officer_challenges",
        ],
    ),
    "publish_requirement": (
        [TAKEN.format("publish_requirement")],
        [
            REFUSED.format("publish_requirement"),
            "test_requirement_cannot_be_published_twice",
            "test_sourcing_support_cannot_be_published",
        ],
    ),
    "close_bidding": (
        [TAKEN.format("close_bidding")],
        [REFUSED.format("close_bidding"), "test_bidding_cannot_close_before_the_closing_time"],
    ),
    "republish": (
        [TAKEN.format("republish")],
        [REFUSED.format("republish"), "test_requirement_cannot_be_republished_while_bidding_is_open"],
    ),
    "select_provider": (
        [TAKEN.format("select_provider")],
        [REFUSED.format("select_provider"), "test_provider_cannot_be_selected_before_bidding_closes"],
    ),
    "commission_spot_contract": (
        [TAKEN.format("commission_spot_contract"), "test_spot_contract_after_bidding_closes_is_allowed"],
        [
            REFUSED.format("commission_spot_contract"),
            "test_spot_contract_cannot_be_commissioned_while_bidding_is_open",
            "test_sourcing_support_cannot_be_a_spot_contract",
        ],
    ),
    "choose_in_house": (
        [
            "commissioning/tests/test_simple_services.py::test_an_in_house_day_centre_place_from_referral_to_active_package"
        ],
        [
            "commissioning/tests/test_simple_services.py::test_only_the_allocated_officer_chooses_an_in_house_place",
            "commissioning/tests/test_simple_services.py::test_an_in_house_place_is_only_for_day_opportunities",
            "commissioning/tests/test_simple_services.py::test_an_external_day_centre_is_not_an_in_house_place",
            "commissioning/tests/test_simple_services.py::test_no_in_house_place_once_a_requirement_is_out",
        ],
    ),
    "award": (
        [TAKEN.format("award")],
        [
            REFUSED.format("award"),
            "test_agreement_cannot_be_made_before_a_provider_is_selected",
            "test_agreement_cannot_be_made_twice",
        ],
    ),
    "issue_purchase_order": (
        [TAKEN.format("issue_purchase_order"), "test_timeline_runs_in_order_to_active"],
        [
            REFUSED.format("issue_purchase_order"),
            "test_purchase_order_cannot_be_issued_before_the_award",
            "test_purchase_order_cannot_be_issued_twice",
        ],
    ),
    "stop": (
        [
            "commissioning/tests/test_commission.py::test_withdrawing_the_referral_stops_its_commission_and_requirement",
            "commissioning/tests/test_commission.py::test_withdrawing_before_anything_is_published_stops_the_commission",
        ],
        [
            "commissioning/tests/test_commission.py::test_stop_refused_while_the_referral_is_open",
            "commissioning/tests/test_commission.py::test_withdraw_refused_once_the_agreement_is_made",
        ],
    ),
}
