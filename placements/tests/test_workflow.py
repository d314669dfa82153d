"""The placement's state machine (placements.workflows): each step taken from its state by its role with its data,
and refused, with its reason and nothing changed, from any other state, by anyone else, or with data missing.
Every step is logged: who, when, from, to and why."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from approvals.models import Approval
from audit.models import AuditEvent
from brokerage.models import ServiceAgreement
from core.exceptions import ActionRefused
from dps.models import DPSRequirement, SpotContractNotice
from dps.tests.factories import requirement_fields
from packages.models import CarePackage
from people.access import can_view_person
from placements import services
from placements.models import (
    PLACEMENT_MACHINE,
    FeeOffer,
    Placement,
    PlacementAssessment,
    PlacementHome,
    PlacementTransition,
)
from placements.workflows import State
from providers.tests.factories import ProviderFactory
from purchase_orders.models import PurchaseOrder
from referrals.models import Referral
from referrals.services import withdraw_referral

from . import factories as f

MACHINE = PLACEMENT_MACHINE
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def footprint(placement) -> dict:
    """Everything a placement's step could change, to show a refusal changed nothing."""
    return {
        "placement": Placement.objects.filter(pk=placement.pk).values().get(),
        "referral": Referral.objects.filter(pk=placement.referral_id).values("state", "active_at").get(),
        "steps": PlacementTransition.objects.count(),
        "homes": list(PlacementHome.objects.order_by("id").values()),
        "assessments": list(PlacementAssessment.objects.order_by("id").values()),
        "offers": FeeOffer.objects.count(),
        "approvals": list(Approval.objects.order_by("id").values("id", "kind", "state", "approved_weekly_amount")),
        "requirements": list(DPSRequirement.objects.order_by("id").values("id", "status", "selected_bid")),
        "notices": SpotContractNotice.objects.count(),
        "agreements": ServiceAgreement.objects.count(),
        "packages": CarePackage.objects.count(),
        "orders": PurchaseOrder.objects.count(),
        "audit": AuditEvent.objects.exclude(action=AuditEvent.Action.REFUSED).count(),
    }


def refused(placement, act, match: str) -> None:
    before = footprint(placement)
    with pytest.raises(ActionRefused, match=match):
        act()
    assert footprint(placement) == before


def last_step(placement) -> tuple:
    step = PlacementTransition.objects.filter(placement=placement).latest("id")
    return step.name, step.source, step.target, step.by


# Started when the referral is taken --------------------------------------------------------------------------
def test_taking_a_residential_referral_starts_its_placement(person, head_of_service, officer_east):
    case = f.started(person, head_of_service, officer_east)
    placement = case.placement
    assert placement.state == State.SOURCING
    assert placement.requested_location == f.LOCATION
    assert case.referral.state == Referral.State.ALLOCATED
    assert case.referral.own_work == placement


@pytest.mark.parametrize("service_type", ["nursing"])
def test_a_nursing_referral_starts_a_placement_too(person, head_of_service, officer_east, service_type):
    case = f.started(person, head_of_service, officer_east, service_type=service_type)
    assert case.placement.service_type_id == service_type


# publish_requirement ------------------------------------------------------------------------------------------
def test_officer_publishes_the_requirement_with_the_location(person, head_of_service, officer_east):
    case = f.published(person, head_of_service, officer_east, prices=())
    requirement = case.placement.requirement
    assert case.placement.state == State.BIDDING
    assert requirement.preferred_location == f.LOCATION
    assert requirement.status == DPSRequirement.Status.OPEN
    assert case.referral.state == Referral.State.ALLOCATED  # the referral's own steps are not taken
    assert last_step(case.placement) == ("publish_requirement", State.SOURCING, State.BIDDING, officer_east)


def _publish(case, officer, **overrides):
    fields = requirement_fields(case.arrangement, summary=f.SUMMARY) | overrides
    return lambda: services.publish_requirement(case.placement, acting_user=officer, **fields)


def test_publish_refused_to_another_officer(person, head_of_service, officer_east, other_officer_east):
    case = f.started(person, head_of_service, officer_east)
    refused(case.placement, _publish(case, other_officer_east), "You do not have permission")


def test_publish_refused_with_personal_details_in_the_location(person, head_of_service, officer_east):
    case = f.started(person, head_of_service, officer_east)
    location = f"Near {person.first_name}'s daughter"
    refused(case.placement, _publish(case, officer_east, preferred_location=location), "personal details")


def test_publish_refused_once_published(person, head_of_service, officer_east):
    case = f.published(person, head_of_service, officer_east, prices=())
    refused(case.placement, _publish(case, officer_east), "“requirement published: taking bids” cannot do this")


# close_bidding ------------------------------------------------------------------------------------------------
def test_close_bidding_after_the_closing_time(person, head_of_service, officer_east):
    case = f.bids_in(person, head_of_service, officer_east)
    assert case.placement.state == State.BIDS_IN
    assert case.placement.requirement.status == DPSRequirement.Status.CLOSED
    assert case.referral.state == Referral.State.ALLOCATED


def test_close_bidding_refused_before_the_closing_time(person, head_of_service, officer_east):
    case = f.published(person, head_of_service, officer_east)
    act = lambda: services.close_bidding(case.placement, acting_user=officer_east)  # noqa: E731
    refused(case.placement, act, "Bidding is still open")


def test_close_bidding_refused_to_the_social_worker(person, head_of_service, officer_east, social_worker):
    case = f.published(person, head_of_service, officer_east)
    act = lambda: services.close_bidding(case.placement, acting_user=social_worker)  # noqa: E731
    refused(case.placement, act, "You do not have permission")


# send_for_viewings --------------------------------------------------------------------------------------------
def test_send_for_viewings_lists_every_bidder_and_tells_the_social_worker(
    person, head_of_service, officer_east, social_worker, django_capture_on_commit_callbacks
):
    case = f.bids_in(person, head_of_service, officer_east)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_for_viewings(case.placement, acting_user=officer_east)
    case.refresh()
    assert case.placement.state == State.VIEWINGS
    homes = list(case.placement.homes.order_by("bid__weekly_price"))
    assert [h.bid for h in homes] == sorted(case.bids, key=lambda b: b.weekly_price)
    assert [m.to for m in mail.outbox] == [[social_worker.email]]
    message = mail.outbox[0]
    assert case.placement.reference in message.subject
    for detail in (person.first_name, person.last_name, person.postcode, person.address_line_1):
        assert detail not in message.subject + message.body


def test_send_for_viewings_refused_without_bids(person, head_of_service, officer_east):
    case = f.bids_in(person, head_of_service, officer_east, prices=())
    act = lambda: services.send_for_viewings(case.placement, acting_user=officer_east)  # noqa: E731
    refused(case.placement, act, "No home bid")


def test_send_for_viewings_refused_to_the_head_of_service(person, head_of_service, officer_east):
    case = f.bids_in(person, head_of_service, officer_east)
    act = lambda: services.send_for_viewings(case.placement, acting_user=head_of_service)  # noqa: E731
    refused(case.placement, act, "You do not have permission")


# use_home_off_framework ---------------------------------------------------------------------------------------
def test_a_home_off_the_framework_joins_the_list_and_the_dps_team_is_told(person, head_of_service, officer_east):
    case = f.bids_in(person, head_of_service, officer_east, prices=())
    home = ProviderFactory(name="Riverside Lodge")
    services.use_home_off_framework(
        case.placement, acting_user=officer_east, provider=home, reason="No framework home has a dementia bed"
    )
    case.refresh()
    assert case.placement.state == State.VIEWINGS
    listed = case.placement.homes.get()
    assert (listed.provider, listed.bid, listed.off_framework_reason) == (
        home,
        None,
        "No framework home has a dementia bed",
    )
    assert case.placement.requirement.status == DPSRequirement.Status.NOT_AWARDED
    notice = SpotContractNotice.objects.get()
    assert (notice.provider, notice.referral_id, notice.reason) == (
        home,
        case.placement.referral_id,
        "No framework home has a dementia bed",
    )


def test_off_framework_refused_without_a_reason(person, head_of_service, officer_east):
    case = f.bids_in(person, head_of_service, officer_east, prices=())
    act = lambda: services.use_home_off_framework(  # noqa: E731
        case.placement, acting_user=officer_east, provider=ProviderFactory(), reason="  "
    )
    refused(case.placement, act, "Give the reason no framework home can deliver")


def test_off_framework_refused_while_bidding(person, head_of_service, officer_east):
    case = f.published(person, head_of_service, officer_east)
    act = lambda: services.use_home_off_framework(  # noqa: E731
        case.placement, acting_user=officer_east, provider=ProviderFactory(), reason="None can"
    )
    refused(case.placement, act, "cannot do this")


# Viewings (rows, not steps) -----------------------------------------------------------------------------------
def test_the_social_worker_records_each_viewing(person, head_of_service, officer_east, social_worker):
    case = f.viewed(person, head_of_service, officer_east)
    outcomes = list(case.placement.homes.order_by("id").values_list("outcome", "viewing_notes", "recorded_by"))
    assert outcomes == [("suitable", "Liked the garden", social_worker.pk), ("not_suitable", "", social_worker.pk)]


def test_only_the_persons_social_worker_records_a_viewing(person, head_of_service, officer_east, other_social_worker):
    case = f.viewings(person, head_of_service, officer_east)
    home = case.placement.homes.first()
    for who in (officer_east, other_social_worker):
        act = lambda who=who: services.record_viewing(  # noqa: E731
            home, acting_user=who, outcome="suitable", viewed_on=timezone.localdate()
        )
        refused(case.placement, act, "Only the person's social worker")


# arrange_assessment -------------------------------------------------------------------------------------------
def test_an_assessment_is_arranged_with_a_home_found_suitable(person, head_of_service, officer_east):
    case = f.assessment(person, head_of_service, officer_east)
    assert case.placement.state == State.ASSESSMENT
    assessment = case.placement.current_assessment
    assert (assessment.home.outcome, assessment.result) == ("suitable", "pending")
    assert assessment.arranged_for == timezone.localdate() + timedelta(days=1)


def test_arrange_assessment_refused_before_a_viewing_found_a_home_suitable(person, head_of_service, officer_east):
    case = f.viewings(person, head_of_service, officer_east)
    act = lambda: services.arrange_assessment(  # noqa: E731
        case.placement, acting_user=officer_east, home=case.placement.homes.first(), arranged_for=timezone.localdate()
    )
    refused(case.placement, act, "has not yet recorded a viewing that found a home suitable")


def test_arrange_assessment_refused_with_a_home_found_not_suitable(person, head_of_service, officer_east):
    case = f.viewed(person, head_of_service, officer_east)
    act = lambda: services.arrange_assessment(  # noqa: E731
        case.placement,
        acting_user=officer_east,
        home=case.placement.homes.get(outcome="not_suitable"),
        arranged_for=timezone.localdate(),
    )
    refused(case.placement, act, "Choose a home the person found suitable")


def test_arrange_assessment_refused_to_the_social_worker(person, head_of_service, officer_east, social_worker):
    case = f.viewed(person, head_of_service, officer_east)
    act = lambda: services.arrange_assessment(  # noqa: E731
        case.placement,
        acting_user=social_worker,
        home=case.placement.homes.get(outcome="suitable"),
        arranged_for=timezone.localdate(),
    )
    refused(case.placement, act, "You do not have permission")


# accept_assessment / decline_assessment -----------------------------------------------------------------------
def test_an_accepted_assessment_waits_for_the_homes_cost(person, head_of_service, officer_east):
    case = f.awaiting_cost(person, head_of_service, officer_east)
    assert case.placement.state == State.AWAITING_COST
    assert case.placement.chosen_home.outcome == "suitable"


def test_accept_assessment_refused_to_the_social_worker(person, head_of_service, officer_east, social_worker):
    case = f.assessment(person, head_of_service, officer_east)
    act = lambda: services.record_assessment(case.placement, acting_user=social_worker, accepted=True)  # noqa: E731
    refused(case.placement, act, "You do not have permission")


def test_accept_assessment_refused_before_one_is_arranged(person, head_of_service, officer_east):
    case = f.viewed(person, head_of_service, officer_east)
    act = lambda: services.record_assessment(case.placement, acting_user=officer_east, accepted=True)  # noqa: E731
    refused(case.placement, act, "cannot do this")


def test_a_declined_assessment_goes_back_to_choosing_another_home(person, head_of_service, officer_east):
    case = f.assessment(person, head_of_service, officer_east)
    services.record_assessment(case.placement, acting_user=officer_east, accepted=False, notes="No nursing bed")
    case.refresh()
    assert case.placement.state == State.VIEWINGS
    assert case.placement.current_assessment.result == "declined"
    assert case.placement.chosen_home is None
    assert last_step(case.placement) == ("decline_assessment", State.ASSESSMENT, State.VIEWINGS, officer_east)


def test_decline_assessment_refused_without_a_reason(person, head_of_service, officer_east):
    case = f.assessment(person, head_of_service, officer_east)
    act = lambda: services.record_assessment(case.placement, acting_user=officer_east, accepted=False)  # noqa: E731
    refused(case.placement, act, "Say why the home declined")


# record_cost and the negotiation ------------------------------------------------------------------------------
def test_the_homes_cost_starts_the_negotiation(person, head_of_service, officer_east):
    case = f.negotiating(person, head_of_service, officer_east)
    assert case.placement.state == State.NEGOTIATING
    offer = case.placement.offers.get()
    assert (offer.offered_by, offer.weekly_amount, offer.recorded_by) == ("provider", f.HOME_COST, officer_east)


def test_record_cost_refused_without_an_amount(person, head_of_service, officer_east):
    case = f.awaiting_cost(person, head_of_service, officer_east)
    act = lambda: services.record_cost(case.placement, acting_user=officer_east, weekly_amount=Decimal("0"))  # noqa: E731
    refused(case.placement, act, "Enter the weekly amount")


def test_record_cost_refused_to_the_head_of_service(person, head_of_service, officer_east):
    case = f.awaiting_cost(person, head_of_service, officer_east)
    act = lambda: services.record_cost(case.placement, acting_user=head_of_service, weekly_amount=f.HOME_COST)  # noqa: E731
    refused(case.placement, act, "You do not have permission")


def test_every_offer_and_counter_offer_is_kept(person, head_of_service, officer_east):
    case = f.awaiting_fee_approval(person, head_of_service, officer_east)
    offers = list(case.placement.offers.values_list("offered_by", "weekly_amount"))
    assert offers == [("provider", f.HOME_COST), ("council", Decimal("940.00")), ("provider", f.NEGOTIATED)]


def test_an_offer_is_refused_outside_the_negotiation_and_to_others(
    person, head_of_service, officer_east, social_worker
):
    case = f.awaiting_fee_approval(person, head_of_service, officer_east)
    act = lambda: services.add_offer(  # noqa: E731
        case.placement, acting_user=officer_east, offered_by="council", weekly_amount=Decimal("900")
    )
    refused(case.placement, act, "while the fee is being negotiated")
    act = lambda: services.add_offer(  # noqa: E731
        case.placement, acting_user=social_worker, offered_by="council", weekly_amount=Decimal("900")
    )
    refused(case.placement, act, "Only the officer")


# agree_fee ----------------------------------------------------------------------------------------------------
def test_a_fee_within_the_plans_amount_is_agreed_without_a_fee_approval(person, head_of_service, officer_east):
    case = f.negotiating(person, head_of_service, officer_east)
    services.agree_fee(case.placement, acting_user=officer_east, weekly_fee=f.PLAN_AMOUNT)
    case.refresh()
    assert (case.placement.state, case.placement.weekly_fee, case.placement.fee_approval) == (
        State.FEE_AGREED,
        f.PLAN_AMOUNT,
        None,
    )


def test_a_fee_above_the_plans_amount_is_refused_without_a_fee_approval(person, head_of_service, officer_east):
    case = f.negotiating(person, head_of_service, officer_east)
    act = lambda: services.agree_fee(case.placement, acting_user=officer_east, weekly_fee=f.NEGOTIATED)  # noqa: E731
    refused(case.placement, act, "needs a head of service's fee approval for at least that fee")


def test_agree_fee_refused_to_the_social_worker(person, head_of_service, officer_east, social_worker):
    case = f.negotiating(person, head_of_service, officer_east)
    act = lambda: services.agree_fee(case.placement, acting_user=social_worker, weekly_fee=f.PLAN_AMOUNT)  # noqa: E731
    refused(case.placement, act, "You do not have permission")


# request_fee_approval -----------------------------------------------------------------------------------------
def test_a_fee_above_the_plans_amount_goes_to_a_head_of_service(
    person, head_of_service, officer_east, django_capture_on_commit_callbacks
):
    assert not can_view_person(head_of_service, person)
    case = f.negotiating(person, head_of_service, officer_east)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_fee_approval(case.placement, acting_user=officer_east, weekly_fee=f.NEGOTIATED)
    case.refresh()
    approval = case.placement.fee_approval
    assert (case.placement.state, approval.kind, approval.state) == (
        State.AWAITING_FEE_APPROVAL,
        Approval.Kind.FEE,
        Approval.State.REQUESTED,
    )
    assert can_view_person(head_of_service, person)  # access follows need, while the decision awaits
    assert [m.to for m in mail.outbox] == [[head_of_service.email]]
    assert person.last_name not in mail.outbox[0].body


def test_request_fee_approval_refused_for_a_fee_within_the_plans_amount(person, head_of_service, officer_east):
    case = f.negotiating(person, head_of_service, officer_east)
    act = lambda: services.request_fee_approval(  # noqa: E731
        case.placement, acting_user=officer_east, weekly_fee=Decimal("850.00")
    )
    refused(case.placement, act, "agree it without a fee approval")


# approve_fee / decline_fee ------------------------------------------------------------------------------------
def test_a_head_of_service_approves_the_fee(person, head_of_service, officer_east):
    case = f.fee_agreed(person, head_of_service, officer_east)
    approval = case.placement.fee_approval
    assert case.placement.state == State.FEE_AGREED
    assert (approval.state, approval.approved_weekly_amount, approval.decided_by) == (
        Approval.State.APPROVED,
        f.NEGOTIATED,
        head_of_service,
    )
    assert not can_view_person(head_of_service, person)  # the need is met


def test_approve_fee_refused_to_the_officer_and_the_panel(person, head_of_service, officer_east, cap_member):
    case = f.awaiting_fee_approval(person, head_of_service, officer_east)
    for who in (officer_east, cap_member):
        act = lambda who=who: services.decide_fee(case.placement, acting_user=who, approved=True)  # noqa: E731
        refused(case.placement, act, "You do not have permission")


def test_approve_fee_refused_while_still_negotiating(person, head_of_service, officer_east):
    case = f.negotiating(person, head_of_service, officer_east)
    act = lambda: services.decide_fee(case.placement, acting_user=head_of_service, approved=True)  # noqa: E731
    refused(case.placement, act, "cannot do this")


def test_a_declined_fee_goes_back_to_negotiation(person, head_of_service, officer_east):
    case = f.awaiting_fee_approval(person, head_of_service, officer_east)
    services.decide_fee(case.placement, acting_user=head_of_service, approved=False, notes="Negotiate nearer £920")
    case.refresh()
    assert (case.placement.state, case.placement.weekly_fee) == (State.NEGOTIATING, None)
    assert case.placement.fee_approval.state == Approval.State.DECLINED
    assert last_step(case.placement) == (
        "decline_fee",
        State.AWAITING_FEE_APPROVAL,
        State.NEGOTIATING,
        head_of_service,
    )


def test_decline_fee_refused_without_a_reason(person, head_of_service, officer_east):
    case = f.awaiting_fee_approval(person, head_of_service, officer_east)
    act = lambda: services.decide_fee(case.placement, acting_user=head_of_service, approved=False)  # noqa: E731
    refused(case.placement, act, "Say why the fee is declined")


# set_admission_date -------------------------------------------------------------------------------------------
def test_the_social_worker_sets_the_admission_date(person, head_of_service, officer_east, social_worker):
    case = f.admission_set(person, head_of_service, officer_east)
    assert (case.placement.state, case.placement.admission_date) == (
        State.ADMISSION_SET,
        timezone.localdate() + timedelta(days=7),
    )
    assert last_step(case.placement) == ("set_admission_date", State.FEE_AGREED, State.ADMISSION_SET, social_worker)


def test_admission_date_refused_to_the_officer(person, head_of_service, officer_east):
    case = f.fee_agreed(person, head_of_service, officer_east)
    act = lambda: services.set_admission_date(  # noqa: E731
        case.placement, acting_user=officer_east, admission_date=timezone.localdate()
    )
    refused(case.placement, act, "You do not have permission")


def test_admission_date_refused_in_the_past(person, head_of_service, officer_east, social_worker):
    case = f.fee_agreed(person, head_of_service, officer_east)
    act = lambda: services.set_admission_date(  # noqa: E731
        case.placement, acting_user=social_worker, admission_date=timezone.localdate() - timedelta(days=1)
    )
    refused(case.placement, act, "cannot be in the past")


def test_admission_date_refused_before_the_fee_is_agreed(person, head_of_service, officer_east, social_worker):
    case = f.awaiting_fee_approval(person, head_of_service, officer_east)
    act = lambda: services.set_admission_date(  # noqa: E731
        case.placement, acting_user=social_worker, admission_date=timezone.localdate()
    )
    refused(case.placement, act, "cannot do this")


# commission ---------------------------------------------------------------------------------------------------
def test_commissioning_makes_the_agreement_package_order_reviews_and_contract(
    person, head_of_service, officer_east, social_worker, django_capture_on_commit_callbacks
):
    from reviews.models import Review

    case = f.admission_set(person, head_of_service, officer_east)
    with django_capture_on_commit_callbacks(execute=True):
        services.commission(case.placement, acting_user=officer_east)
    case.refresh()
    placement = case.placement
    admitted = placement.admission_date
    assert placement.state == State.COMMISSIONED
    agreement = placement.agreement
    assert (agreement.provider, agreement.weekly_cost, agreement.start_date, agreement.bid) == (
        placement.chosen_home.provider,
        f.NEGOTIATED,
        admitted,
        placement.chosen_home.bid,
    )
    assert placement.package.state == CarePackage.State.ACTIVE
    order = PurchaseOrder.objects.get(agreement=agreement)
    assert order.weekly_cost == f.NEGOTIATED
    assert case.referral.state == Referral.State.ACTIVE
    assert placement.requirement.status == DPSRequirement.Status.AWARDED
    assert placement.requirement.selected_bid == placement.chosen_home.bid
    reviews = {r.kind: r for r in Review.objects.filter(package=placement.package)}
    assert (reviews["six_week"].due_on, reviews["six_week"].assigned_to) == (
        admitted + timedelta(weeks=6),
        social_worker,
    )
    assert (reviews["twelve_month"].due_on, reviews["twelve_month"].assigned_to) == (
        admitted.replace(year=admitted.year + 1),
        None,
    )
    assert placement.contract_pdf


def test_commission_refused_to_the_social_worker(person, head_of_service, officer_east, social_worker):
    case = f.admission_set(person, head_of_service, officer_east)
    act = lambda: services.commission(case.placement, acting_user=social_worker)  # noqa: E731
    refused(case.placement, act, "You do not have permission")


def test_commission_refused_before_the_admission_date_is_set(person, head_of_service, officer_east):
    case = f.fee_agreed(person, head_of_service, officer_east)
    act = lambda: services.commission(case.placement, acting_user=officer_east)  # noqa: E731
    refused(case.placement, act, "cannot do this")


# withdraw -----------------------------------------------------------------------------------------------------
def test_the_officer_ends_a_placement_with_the_reason(person, head_of_service, officer_east):
    case = f.bids_in(person, head_of_service, officer_east)
    services.withdraw(case.placement, acting_user=officer_east, reason="The person has chosen to stay at home")
    case.refresh()
    assert (case.placement.state, case.placement.ending_reason) == (
        State.NOT_PLACED,
        "The person has chosen to stay at home",
    )
    assert case.placement.requirement.status == DPSRequirement.Status.NOT_AWARDED


def test_withdrawing_the_referral_stops_the_placement_and_its_requirement(person, head_of_service, officer_east):
    case = f.published(person, head_of_service, officer_east)
    worker = person.allocated_worker
    withdraw_referral(case.placement.referral, acting_user=worker, reason="Moved in with her son")
    case.refresh()
    assert (case.placement.state, case.placement.ending_reason) == (
        State.NOT_PLACED,
        "The referral was withdrawn: Moved in with her son",
    )
    assert case.placement.requirement.status == DPSRequirement.Status.NOT_AWARDED
    assert case.placement.transitions.get(name="stop").by == worker


@pytest.mark.parametrize("who", ["social_worker", "officer_east"])
def test_stop_refused_while_the_referral_is_open(who, request, person, head_of_service, officer_east):
    case = f.published(person, head_of_service, officer_east)
    user = person.allocated_worker if who == "social_worker" else request.getfixturevalue(who)
    with pytest.raises(ActionRefused):
        PLACEMENT_MACHINE.apply(case.placement, "stop", acting_user=user)
    case.refresh()
    assert case.placement.state == State.BIDDING and not case.placement.transitions.filter(name="stop").exists()


def test_withdraw_refused_to_the_social_worker(person, head_of_service, officer_east, social_worker):
    case = f.viewings(person, head_of_service, officer_east)
    act = lambda: services.withdraw(case.placement, acting_user=social_worker, reason="Moved in with family")  # noqa: E731
    refused(case.placement, act, "You do not have permission")


def test_withdraw_refused_without_a_reason(person, head_of_service, officer_east):
    case = f.bids_in(person, head_of_service, officer_east)
    act = lambda: services.withdraw(case.placement, acting_user=officer_east, reason=" ")  # noqa: E731
    refused(case.placement, act, "Say why the person is not being placed")


def test_withdraw_refused_while_homes_are_bidding(person, head_of_service, officer_east):
    case = f.published(person, head_of_service, officer_east)
    act = lambda: services.withdraw(case.placement, acting_user=officer_east, reason="x")  # noqa: E731
    refused(case.placement, act, "cannot do this")


def test_withdraw_refused_to_the_head_of_service(person, head_of_service, officer_east):
    case = f.awaiting_fee_approval(person, head_of_service, officer_east)
    act = lambda: services.withdraw(case.placement, acting_user=head_of_service, reason="x")  # noqa: E731
    refused(case.placement, act, "You do not have permission")


STEP_TESTS = {
    "publish_requirement": (
        ["test_officer_publishes_the_requirement_with_the_location"],
        [
            "test_publish_refused_to_another_officer",
            "test_publish_refused_with_personal_details_in_the_location",
            "test_publish_refused_once_published",
        ],
    ),
    "close_bidding": (
        ["test_close_bidding_after_the_closing_time"],
        ["test_close_bidding_refused_before_the_closing_time", "test_close_bidding_refused_to_the_social_worker"],
    ),
    "send_for_viewings": (
        ["test_send_for_viewings_lists_every_bidder_and_tells_the_social_worker"],
        ["test_send_for_viewings_refused_without_bids", "test_send_for_viewings_refused_to_the_head_of_service"],
    ),
    "use_home_off_framework": (
        ["test_a_home_off_the_framework_joins_the_list_and_the_dps_team_is_told"],
        ["test_off_framework_refused_without_a_reason", "test_off_framework_refused_while_bidding"],
    ),
    "arrange_assessment": (
        ["test_an_assessment_is_arranged_with_a_home_found_suitable"],
        [
            "test_arrange_assessment_refused_before_a_viewing_found_a_home_suitable",
            "test_arrange_assessment_refused_with_a_home_found_not_suitable",
            "test_arrange_assessment_refused_to_the_social_worker",
        ],
    ),
    "accept_assessment": (
        ["test_an_accepted_assessment_waits_for_the_homes_cost"],
        [
            "test_accept_assessment_refused_to_the_social_worker",
            "test_accept_assessment_refused_before_one_is_arranged",
        ],
    ),
    "decline_assessment": (
        ["test_a_declined_assessment_goes_back_to_choosing_another_home"],
        ["test_decline_assessment_refused_without_a_reason"],
    ),
    "record_cost": (
        ["test_the_homes_cost_starts_the_negotiation"],
        ["test_record_cost_refused_without_an_amount", "test_record_cost_refused_to_the_head_of_service"],
    ),
    "agree_fee": (
        ["test_a_fee_within_the_plans_amount_is_agreed_without_a_fee_approval"],
        [
            "test_a_fee_above_the_plans_amount_is_refused_without_a_fee_approval",
            "test_agree_fee_refused_to_the_social_worker",
        ],
    ),
    "request_fee_approval": (
        ["test_a_fee_above_the_plans_amount_goes_to_a_head_of_service"],
        ["test_request_fee_approval_refused_for_a_fee_within_the_plans_amount"],
    ),
    "approve_fee": (
        ["test_a_head_of_service_approves_the_fee"],
        ["test_approve_fee_refused_to_the_officer_and_the_panel", "test_approve_fee_refused_while_still_negotiating"],
    ),
    "decline_fee": (
        ["test_a_declined_fee_goes_back_to_negotiation"],
        ["test_decline_fee_refused_without_a_reason"],
    ),
    "set_admission_date": (
        ["test_the_social_worker_sets_the_admission_date"],
        [
            "test_admission_date_refused_to_the_officer",
            "test_admission_date_refused_in_the_past",
            "test_admission_date_refused_before_the_fee_is_agreed",
        ],
    ),
    "commission": (
        ["test_commissioning_makes_the_agreement_package_order_reviews_and_contract"],
        ["test_commission_refused_to_the_social_worker", "test_commission_refused_before_the_admission_date_is_set"],
    ),
    "stop": (
        ["test_withdrawing_the_referral_stops_the_placement_and_its_requirement"],
        ["test_stop_refused_while_the_referral_is_open"],
    ),
    "withdraw": (
        ["test_the_officer_ends_a_placement_with_the_reason"],
        [
            "test_withdraw_refused_to_the_social_worker",
            "test_withdraw_refused_without_a_reason",
            "test_withdraw_refused_while_homes_are_bidding",
            "test_withdraw_refused_to_the_head_of_service",
        ],
    ),
}
