"""The supported living placement's state machine (supported_living.workflows): each step taken from its state by
its role with its data, and refused, with its reason and nothing changed, from any other state, by anyone else, or
with data missing. Every step is logged: who, when, from, to and why."""

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
from providers.tests.factories import ProviderFactory
from purchase_orders.models import PurchaseOrder
from referrals.models import Referral
from referrals.services import withdraw_referral
from reviews.models import Review
from supported_living import services
from supported_living.models import (
    SUPPORTED_LIVING_MACHINE,
    ChosenProvider,
    CostLine,
    JointReview,
    Proposal,
    SupportedLivingPlacement,
    SupportedLivingTransition,
)
from supported_living.workflows import State

from . import factories as f

MACHINE = SUPPORTED_LIVING_MACHINE
pytestmark = pytest.mark.django_db


def footprint(placement) -> dict:
    """Everything a step could change, to show a refusal changed nothing."""
    return {
        "placement": SupportedLivingPlacement.objects.filter(pk=placement.pk).values().get(),
        "referral": Referral.objects.filter(pk=placement.referral_id).values("state", "active_at").get(),
        "steps": SupportedLivingTransition.objects.count(),
        "chosen": list(ChosenProvider.objects.order_by("id").values()),
        "proposals": list(Proposal.objects.order_by("id").values("id", "one_to_one_hours", "weekly_cost")),
        "lines": list(CostLine.objects.order_by("id").values()),
        "reviews": JointReview.objects.count(),
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
    step = SupportedLivingTransition.objects.filter(placement=placement).latest("id")
    return step.name, step.source, step.target, step.by


# Started when the referral is taken --------------------------------------------------------------------------
def test_taking_a_supported_living_referral_starts_its_placement(cast):
    case = f.started(*cast)
    assert case.placement.state == State.SOURCING
    assert case.referral.state == Referral.State.ALLOCATED
    assert case.referral.own_work == case.placement


# publish_requirement ------------------------------------------------------------------------------------------
def test_officer_publishes_the_requirement_with_only_the_district_the_provision_and_the_areas(cast, person):
    case = f.published(*cast, prices=())
    requirement = case.placement.requirement
    assert case.placement.state == State.BIDDING
    assert requirement.postcode_district == person.postcode_district
    assert "Kind of provision: A self-contained flat with support on site." in requirement.summary
    assert "1:1 hours a week: 20." in requirement.summary
    assert f"Areas to avoid: {f.AREAS}." in requirement.summary
    assert "exploitation" not in requirement.summary  # the plan's history stays with the council
    assert last_step(case.placement) == ("publish_requirement", State.SOURCING, State.BIDDING, case.officer)


def _publish(case, officer, **overrides):
    fields = requirement_fields(case.arrangement, summary=f.SUMMARY) | overrides
    return lambda: services.publish_requirement(case.placement, acting_user=officer, **fields)


def test_publish_refused_to_another_officer(cast, other_officer_east):
    case = f.started(*cast)
    refused(case.placement, _publish(case, other_officer_east), "You do not have permission")


def test_publish_refused_with_personal_details_in_the_areas_to_avoid(cast, person):
    case = f.started(*cast)
    refused(
        case.placement,
        _publish(case, case.officer, areas_to_avoid=f"Near {person.first_name}'s old address"),
        "personal details",
    )


def test_publish_refused_once_published(cast):
    case = f.published(*cast, prices=())
    refused(case.placement, _publish(case, case.officer), "cannot do this")


# close_bidding ----------------------------------------------------------------------------------------------------
def test_close_bidding_after_the_closing_time(cast):
    case = f.bids_in(*cast)
    assert case.placement.state == State.BIDS_IN
    assert case.placement.requirement.status == DPSRequirement.Status.CLOSED
    assert last_step(case.placement)[:3] == ("close_bidding", State.BIDDING, State.BIDS_IN)


def test_close_bidding_refused_before_the_closing_time(cast):
    case = f.published(*cast)
    refused(case.placement, lambda: services.close_bidding(case.placement, acting_user=case.officer), "still open")


# share_details ----------------------------------------------------------------------------------------------------
def test_sharing_details_gives_exactly_the_chosen_bidders_the_person(cast, person, django_capture_on_commit_callbacks):
    case = f.bids_in(*cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.share_details(case.placement, acting_user=case.officer, bids=case.bids[:1])
    case.refresh()
    assert case.placement.state == State.ASSESSMENTS
    assert [c.provider for c in case.chosen()] == [case.bids[0].provider]
    # Only the chosen provider's staff are told, and the e-mail says nothing about the person.
    assert [m.to for m in mail.outbox] == [[case.bidders[0].email]]
    message = mail.outbox[0]
    assert case.placement.reference in message.subject
    for detail in (person.first_name, person.last_name, person.postcode, person.address_line_1):
        assert detail not in message.subject + message.body
    assert last_step(case.placement)[:3] == ("share_details", State.BIDS_IN, State.ASSESSMENTS)


def test_share_details_refused_without_a_provider(cast):
    case = f.bids_in(*cast)
    refused(
        case.placement,
        lambda: services.share_details(case.placement, acting_user=case.officer, bids=[]),
        "at least one",
    )


def test_share_details_refused_without_bids(cast):
    case = f.bids_in(*cast, prices=())
    refused(
        case.placement,
        lambda: services.share_details(case.placement, acting_user=case.officer, bids=[]),
        "No provider bid",
    )


def test_share_details_refused_to_the_social_worker(cast):
    case = f.bids_in(*cast)
    refused(
        case.placement,
        lambda: services.share_details(case.placement, acting_user=case.worker, bids=case.bids),
        "You do not have permission",
    )


# use_provider_off_framework ---------------------------------------------------------------------------------------
def test_a_provider_off_the_dps_assesses_and_the_dps_team_is_told(cast):
    case = f.bids_in(*cast, prices=())
    provider = ProviderFactory(name="Hillside Homes")
    services.use_provider_off_framework(
        case.placement, acting_user=case.officer, provider=provider, reason="No DPS provider bid"
    )
    case.refresh()
    assert case.placement.state == State.ASSESSMENTS
    assert case.chosen()[0].off_framework_reason == "No DPS provider bid"
    notice = SpotContractNotice.objects.get()
    assert notice.provider == provider and notice.reason == "No DPS provider bid"
    assert case.placement.requirement.status == DPSRequirement.Status.NOT_AWARDED


def test_off_framework_refused_without_a_reason(cast):
    case = f.bids_in(*cast, prices=())
    provider = ProviderFactory()
    refused(
        case.placement,
        lambda: services.use_provider_off_framework(
            case.placement, acting_user=case.officer, provider=provider, reason=" "
        ),
        "reason",
    )


def test_off_framework_refused_while_bidding(cast):
    case = f.published(*cast)
    provider = ProviderFactory()
    refused(
        case.placement,
        lambda: services.use_provider_off_framework(
            case.placement, acting_user=case.officer, provider=provider, reason="None suitable"
        ),
        "cannot do this",
    )


# Proposals (not a step: the provider's or the officer's record) --------------------------------------------------
def test_a_proposal_sums_its_lines_and_sent_again_replaces_the_last(cast):
    case = f.assessments(*cast)
    chosen = case.chosen()[0]
    proposal = services.submit_proposal(
        chosen, acting_user=case.bidders[0], one_to_one_hours=Decimal("20"), lines=f.LINES
    )
    assert proposal.weekly_cost == Decimal("1250.00")
    services.submit_proposal(
        chosen,
        acting_user=case.bidders[0],
        one_to_one_hours=Decimal("15"),
        lines={"core": Decimal("600.00"), "other": (Decimal("50.00"), "Activities")},
    )
    proposal = Proposal.objects.get(chosen=chosen)
    assert (proposal.one_to_one_hours, proposal.weekly_cost) == (Decimal("15"), Decimal("650.00"))
    assert sorted(proposal.lines.values_list("kind", flat=True)) == ["core", "other"]


@pytest.mark.parametrize(
    "hours, lines, match",
    [
        (Decimal("20"), {}, "at least one line"),
        (Decimal("200"), f.LINES, "from 0 to 168"),
        (Decimal("20"), {"core": Decimal("-5.00")}, "above £0"),
        (Decimal("20"), {"other": (Decimal("5.00"), "")}, "what the other cost is for"),
        (Decimal("20"), {"core": Decimal("5.001")}, "pounds and pence"),
    ],
)
def test_a_proposal_with_bad_input_is_refused(cast, hours, lines, match):
    case = f.assessments(*cast)
    chosen = case.chosen()[0]
    refused(
        case.placement,
        lambda: services.submit_proposal(chosen, acting_user=case.bidders[0], one_to_one_hours=hours, lines=lines),
        match,
    )


def test_a_provider_not_chosen_cannot_send_a_proposal_for_another(cast):
    case = f.assessments(*cast)
    first, second = case.chosen()
    refused(
        case.placement,
        lambda: services.submit_proposal(
            second, acting_user=case.bidders[0], one_to_one_hours=Decimal("1"), lines=f.LINES
        ),
        "Only the provider",
    )


# review_proposals ---------------------------------------------------------------------------------------------------
def test_proposals_in_go_to_the_joint_review(cast):
    case = f.joint_review(*cast)
    assert case.placement.state == State.JOINT_REVIEW
    assert last_step(case.placement)[:3] == ("review_proposals", State.ASSESSMENTS, State.JOINT_REVIEW)


def test_review_proposals_refused_before_any_proposal(cast):
    case = f.assessments(*cast)
    refused(
        case.placement,
        lambda: services.review_proposals(case.placement, acting_user=case.officer),
        "No provider has sent",
    )


def test_proposals_cannot_change_once_under_review(cast):
    case = f.joint_review(*cast)
    refused(
        case.placement,
        lambda: services.submit_proposal(
            case.chosen()[0], acting_user=case.bidders[0], one_to_one_hours=Decimal("1"), lines=f.LINES
        ),
        "while the chosen providers are assessing",
    )


# start_negotiation --------------------------------------------------------------------------------------------------
def test_both_reviews_recorded_then_negotiation_starts(cast):
    case = f.negotiating(*cast)
    assert case.placement.state == State.NEGOTIATING
    assert set(case.placement.reviews.values_list("by_role", flat=True)) == {"officer", "social_worker"}
    assert last_step(case.placement)[:3] == ("start_negotiation", State.JOINT_REVIEW, State.NEGOTIATING)


def test_start_negotiation_refused_with_only_the_officers_review(cast):
    case = f.joint_review(*cast)
    services.record_review(case.placement, acting_user=case.officer, notes="Fine")
    refused(
        case.placement,
        lambda: services.start_negotiation(case.placement, acting_user=case.officer),
        "each record their review",
    )


def test_a_review_is_recorded_once_each_and_only_by_the_two(cast, other_social_worker):
    case = f.joint_review(*cast)
    services.record_review(case.placement, acting_user=case.worker, notes="Suits them")
    refused(
        case.placement,
        lambda: services.record_review(case.placement, acting_user=case.worker, notes="Again"),
        "already recorded",
    )
    refused(
        case.placement,
        lambda: services.record_review(case.placement, acting_user=other_social_worker, notes="Me too"),
        "Only the officer and the person's social worker",
    )


# agree_terms ----------------------------------------------------------------------------------------------------------
def test_terms_agreed_with_one_provider_go_to_the_viewing(cast):
    case = f.viewing(*cast)
    placement = case.placement
    assert placement.state == State.VIEWING
    assert placement.agreed_with == case.chosen()[0]
    assert (placement.agreed_one_to_one_hours, placement.agreed_weekly_cost) == (Decimal("20"), f.AGREED)


def test_agree_terms_refused_with_a_provider_without_a_proposal(cast):
    case = f.bids_in(*cast)
    services.share_details(case.placement, acting_user=case.officer, bids=case.bids)
    first, second = SupportedLivingPlacement.objects.get(pk=case.placement.pk).chosen.order_by("id")
    services.submit_proposal(first, acting_user=case.bidders[0], one_to_one_hours=Decimal("20"), lines=f.LINES)
    services.review_proposals(case.placement, acting_user=case.officer)
    services.record_review(case.placement, acting_user=case.officer, notes="ok")
    services.record_review(case.placement, acting_user=case.worker, notes="ok")
    services.start_negotiation(case.placement, acting_user=case.officer)
    case.refresh()
    refused(
        case.placement,
        lambda: services.agree_terms(
            case.placement,
            acting_user=case.officer,
            chosen=second,
            one_to_one_hours=Decimal("20"),
            weekly_cost=f.AGREED,
        ),
        "sent a proposal",
    )


def test_agree_terms_refused_to_the_social_worker(cast):
    case = f.negotiating(*cast)
    refused(
        case.placement,
        lambda: services.agree_terms(
            case.placement,
            acting_user=case.worker,
            chosen=case.chosen()[0],
            one_to_one_hours=Decimal("20"),
            weekly_cost=f.AGREED,
        ),
        "You do not have permission",
    )


# present_to_panel / provision_not_suitable ----------------------------------------------------------------------------
def test_a_suitable_viewing_goes_to_the_panel_with_a_panel_approval_asked(cast, cap_member, person):
    case = f.awaiting_funding(*cast)
    placement = case.placement
    assert placement.state == State.AWAITING_FUNDING
    assert placement.funding_approval.kind == Approval.Kind.PANEL
    assert placement.funding_approval.state == Approval.State.REQUESTED
    assert placement.agreed_with.outcome == ChosenProvider.Outcome.SUITABLE
    assert can_view_person(cap_member, person)  # the panel sees the person while its decision awaits
    assert last_step(placement) == ("present_to_panel", State.VIEWING, State.AWAITING_FUNDING, case.worker)


def test_viewing_refused_to_the_officer(cast):
    case = f.viewing(*cast)
    refused(
        case.placement,
        lambda: services.record_viewing(
            case.placement, acting_user=case.officer, suitable=True, viewed_on=timezone.localdate()
        ),
        "You do not have permission",
    )


def test_viewing_refused_with_a_date_in_the_future(cast):
    case = f.viewing(*cast)
    refused(
        case.placement,
        lambda: services.record_viewing(
            case.placement,
            acting_user=case.worker,
            suitable=True,
            viewed_on=timezone.localdate() + timedelta(days=1),
        ),
        "cannot be in the future",
    )


def test_an_unsuitable_provision_goes_back_to_negotiation(cast):
    case = f.viewing(*cast)
    services.record_viewing(
        case.placement, acting_user=case.worker, suitable=False, viewed_on=timezone.localdate(), notes="Too noisy"
    )
    case.refresh()
    assert case.placement.state == State.NEGOTIATING
    assert case.placement.agreed_with is None and case.placement.agreed_weekly_cost is None
    assert case.chosen()[0].outcome == ChosenProvider.Outcome.NOT_SUITABLE
    assert last_step(case.placement)[:3] == ("provision_not_suitable", State.VIEWING, State.NEGOTIATING)
    refused(
        case.placement,
        lambda: services.agree_terms(
            case.placement,
            acting_user=case.officer,
            chosen=case.chosen()[0],
            one_to_one_hours=Decimal("20"),
            weekly_cost=f.AGREED,
        ),
        "not suitable",
    )


def test_not_suitable_refused_without_a_reason(cast):
    case = f.viewing(*cast)
    refused(
        case.placement,
        lambda: services.record_viewing(
            case.placement, acting_user=case.worker, suitable=False, viewed_on=timezone.localdate()
        ),
        "Say why",
    )


# approve_funding / decline_funding / defer_funding ---------------------------------------------------------------------
def test_the_panel_approves_funding_that_covers_the_cost(cast, cap_member, person):
    case = f.funded(*cast)
    placement = case.placement
    assert placement.state == State.FUNDED
    assert placement.funding_approval.state == Approval.State.APPROVED
    assert placement.funding_approval.approved_weekly_amount == f.PANEL
    assert placement.approved_amount == f.PANEL
    assert not can_view_person(cap_member, person)  # the decision ends the panel's need
    assert last_step(placement) == ("approve_funding", State.AWAITING_FUNDING, State.FUNDED, cap_member)


def test_approve_funding_refused_below_the_agreed_cost(cast, cap_member):
    case = f.awaiting_funding(*cast)
    refused(
        case.placement,
        lambda: services.decide_funding(
            case.placement, acting_user=cap_member, decision="approved", approved_weekly_amount=Decimal("1000.00")
        ),
        "must cover the agreed cost",
    )


def test_approve_funding_refused_to_the_head_of_service(cast, head_of_service):
    case = f.awaiting_funding(*cast)
    refused(
        case.placement,
        lambda: services.decide_funding(
            case.placement, acting_user=head_of_service, decision="approved", approved_weekly_amount=f.PANEL
        ),
        "You do not have permission",
    )


def test_the_panel_declines_and_brokerage_negotiates_again(cast, cap_member):
    case = f.awaiting_funding(*cast)
    services.decide_funding(case.placement, acting_user=cap_member, decision="declined", notes="Too costly")
    case.refresh()
    assert case.placement.state == State.NEGOTIATING
    assert case.placement.funding_approval.state == Approval.State.DECLINED
    assert last_step(case.placement)[:3] == ("decline_funding", State.AWAITING_FUNDING, State.NEGOTIATING)


def test_decline_funding_refused_without_a_reason(cast, cap_member):
    case = f.awaiting_funding(*cast)
    refused(
        case.placement,
        lambda: services.decide_funding(case.placement, acting_user=cap_member, decision="declined"),
        "Say why",
    )


def test_the_panel_defers_and_the_case_comes_back(cast, cap_member):
    case = f.awaiting_funding(*cast)
    services.decide_funding(case.placement, acting_user=cap_member, decision="deferred", notes="More information")
    case.refresh()
    assert case.placement.state == State.AWAITING_FUNDING
    assert case.placement.funding_approval.state == Approval.State.DEFERRED
    assert last_step(case.placement)[:3] == ("defer_funding", State.AWAITING_FUNDING, State.AWAITING_FUNDING)
    services.decide_funding(case.placement, acting_user=cap_member, decision="approved", approved_weekly_amount=f.PANEL)
    assert case.refresh().placement.state == State.FUNDED


def test_defer_funding_refused_once_funded(cast, cap_member):
    case = f.funded(*cast)
    refused(
        case.placement,
        lambda: services.decide_funding(case.placement, acting_user=cap_member, decision="deferred", notes="x"),
        "cannot do this",
    )


# commission ---------------------------------------------------------------------------------------------------------------
def test_commissioning_makes_the_agreement_package_order_and_reviews(cast, person):
    case = f.commissioned(*cast)
    placement = case.placement
    assert placement.state == State.COMMISSIONED
    agreement = placement.agreement
    assert agreement.provider == case.bids[0].provider and agreement.weekly_cost == f.AGREED
    assert agreement.bid == case.bids[0]
    assert placement.requirement.status == DPSRequirement.Status.AWARDED
    assert PurchaseOrder.objects.filter(agreement=agreement).count() == 1
    assert set(Review.objects.filter(package=placement.package).values_list("kind", flat=True)) == {
        "six_week",
        "twelve_month",
    }
    assert case.referral.state == Referral.State.ACTIVE
    assert placement.provision_address.startswith("Flat 2")


def test_commission_refused_with_a_start_date_in_the_past(cast):
    case = f.funded(*cast)
    refused(
        case.placement,
        lambda: services.commission(
            case.placement, acting_user=case.officer, start_date=timezone.localdate() - timedelta(days=1)
        ),
        "cannot be in the past",
    )


def test_commission_refused_before_funding(cast):
    case = f.awaiting_funding(*cast)
    refused(
        case.placement,
        lambda: services.commission(
            case.placement, acting_user=case.officer, start_date=timezone.localdate() + timedelta(days=7)
        ),
        "cannot do this",
    )


def test_commission_twice_does_nothing_twice(cast):
    case = f.commissioned(*cast)
    refused(
        case.placement,
        lambda: services.commission(
            case.placement, acting_user=case.officer, start_date=timezone.localdate() + timedelta(days=7)
        ),
        "cannot do this",
    )


# withdraw / stop ------------------------------------------------------------------------------------------------------
def test_the_officer_ends_the_placement_with_a_reason_and_the_requirement_is_ended(cast):
    case = f.bids_in(*cast)
    services.withdraw(case.placement, acting_user=case.officer, reason="Moved out of the borough")
    case.refresh()
    assert case.placement.state == State.NOT_PLACED
    assert case.placement.requirement.status == DPSRequirement.Status.NOT_AWARDED
    assert last_step(case.placement)[:3] == ("withdraw", State.BIDS_IN, State.NOT_PLACED)


def test_withdraw_refused_without_a_reason(cast):
    case = f.bids_in(*cast)
    refused(case.placement, lambda: services.withdraw(case.placement, acting_user=case.officer, reason=""), "Say why")


def test_withdraw_refused_while_bidding(cast):
    case = f.published(*cast)
    refused(
        case.placement,
        lambda: services.withdraw(case.placement, acting_user=case.officer, reason="No longer needed"),
        "cannot do this",
    )


def test_withdrawing_the_referral_stops_the_placement_and_its_requirement(cast):
    case = f.published(*cast)
    withdraw_referral(case.referral, acting_user=case.worker, reason="The person moved away")
    case.refresh()
    assert case.placement.state == State.NOT_PLACED
    assert case.placement.requirement.status == DPSRequirement.Status.NOT_AWARDED
    assert last_step(case.placement)[:3] == ("stop", State.BIDDING, State.NOT_PLACED)


def test_stop_refused_while_the_referral_is_not_withdrawn(cast):
    case = f.bids_in(*cast)
    placement = case.placement
    refused(
        placement,
        lambda: MACHINE.apply(SupportedLivingPlacement.objects.get(pk=placement.pk), "stop", acting_user=case.worker),
        "has not been withdrawn",
    )


STEP_TESTS = {
    "publish_requirement": (
        ["test_officer_publishes_the_requirement_with_only_the_district_the_provision_and_the_areas"],
        [
            "test_publish_refused_to_another_officer",
            "test_publish_refused_with_personal_details_in_the_areas_to_avoid",
            "test_publish_refused_once_published",
        ],
    ),
    "close_bidding": (
        ["test_close_bidding_after_the_closing_time"],
        ["test_close_bidding_refused_before_the_closing_time"],
    ),
    "share_details": (
        ["test_sharing_details_gives_exactly_the_chosen_bidders_the_person"],
        [
            "test_share_details_refused_without_a_provider",
            "test_share_details_refused_without_bids",
            "test_share_details_refused_to_the_social_worker",
        ],
    ),
    "use_provider_off_framework": (
        ["test_a_provider_off_the_dps_assesses_and_the_dps_team_is_told"],
        ["test_off_framework_refused_without_a_reason", "test_off_framework_refused_while_bidding"],
    ),
    "review_proposals": (
        ["test_proposals_in_go_to_the_joint_review"],
        ["test_review_proposals_refused_before_any_proposal"],
    ),
    "start_negotiation": (
        ["test_both_reviews_recorded_then_negotiation_starts"],
        ["test_start_negotiation_refused_with_only_the_officers_review"],
    ),
    "agree_terms": (
        ["test_terms_agreed_with_one_provider_go_to_the_viewing"],
        [
            "test_agree_terms_refused_with_a_provider_without_a_proposal",
            "test_agree_terms_refused_to_the_social_worker",
        ],
    ),
    "present_to_panel": (
        ["test_a_suitable_viewing_goes_to_the_panel_with_a_panel_approval_asked"],
        ["test_viewing_refused_to_the_officer", "test_viewing_refused_with_a_date_in_the_future"],
    ),
    "provision_not_suitable": (
        ["test_an_unsuitable_provision_goes_back_to_negotiation"],
        ["test_not_suitable_refused_without_a_reason"],
    ),
    "approve_funding": (
        ["test_the_panel_approves_funding_that_covers_the_cost"],
        ["test_approve_funding_refused_below_the_agreed_cost", "test_approve_funding_refused_to_the_head_of_service"],
    ),
    "decline_funding": (
        ["test_the_panel_declines_and_brokerage_negotiates_again"],
        ["test_decline_funding_refused_without_a_reason"],
    ),
    "defer_funding": (
        ["test_the_panel_defers_and_the_case_comes_back"],
        ["test_defer_funding_refused_once_funded"],
    ),
    "commission": (
        ["test_commissioning_makes_the_agreement_package_order_and_reviews"],
        [
            "test_commission_refused_with_a_start_date_in_the_past",
            "test_commission_refused_before_funding",
            "test_commission_twice_does_nothing_twice",
        ],
    ),
    "withdraw": (
        ["test_the_officer_ends_the_placement_with_a_reason_and_the_requirement_is_ended"],
        ["test_withdraw_refused_without_a_reason", "test_withdraw_refused_while_bidding"],
    ),
    "stop": (
        ["test_withdrawing_the_referral_stops_the_placement_and_its_requirement"],
        ["test_stop_refused_while_the_referral_is_not_withdrawn"],
    ),
}
