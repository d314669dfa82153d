"""The requirement's own state machine (dps.workflows): each step allowed and each refused, logged with who,
when, from, to and why. The services take these steps alongside the commission's; here they are also taken
directly, so each permission and condition is seen to guard its step."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from commissioning import services as commissioning
from core.exceptions import ActionRefused
from dps.models import REQUIREMENT_MACHINE, DPSRequirement
from dps.tests.factories import after_closing, closed, published, requirement_fields, score_all, selected
from providers.tests.factories import ProviderFactory

Status = DPSRequirement.Status


def _last_step(requirement):
    step = requirement.transitions.order_by("id").last()  # `at` may be a travelled-to time (after_closing)
    return step.name, step.source, step.target, step.by


def test_close_opens_the_bids_for_review_after_the_closing_time(person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    with after_closing(case.requirement):
        commissioning.close_bidding(case.commission, acting_user=officer_east)
    requirement = DPSRequirement.objects.get(pk=case.requirement.pk)
    assert requirement.status == Status.CLOSED
    assert _last_step(requirement) == ("close", Status.OPEN, Status.CLOSED, officer_east)
    assert AuditEvent.objects.filter(object_id=str(requirement.pk), summary__contains="close").exists()


def test_close_refused_before_the_closing_time(person, cap_member, officer_east):
    requirement = published(person, cap_member, officer_east).requirement
    with pytest.raises(ActionRefused, match="Bidding is still open: wait for the closing time."):
        REQUIREMENT_MACHINE.apply(requirement, "close", acting_user=officer_east)
    assert DPSRequirement.objects.get(pk=requirement.pk).status == Status.OPEN
    assert not requirement.transitions.exists()


@pytest.mark.parametrize("who", ["other_officer_east", "officer_west", "lead_east", "social_worker"])
def test_close_refused_for_anyone_but_the_allocated_officer(who, request, person, cap_member, officer_east):
    requirement = published(person, cap_member, officer_east).requirement
    with after_closing(requirement), pytest.raises(ActionRefused, match="permission to do this to this requirement"):
        REQUIREMENT_MACHINE.apply(requirement, "close", acting_user=request.getfixturevalue(who))
    assert DPSRequirement.objects.get(pk=requirement.pk).status == Status.OPEN


def test_award_follows_the_agreement_with_the_selected_bidder(person, cap_member, officer_east):
    case = selected(person, cap_member, officer_east)
    commissioning.award(case.commission, acting_user=officer_east, start_date=timezone.localdate() + timedelta(days=7))
    requirement = DPSRequirement.objects.get(pk=case.requirement.pk)
    assert requirement.status == Status.AWARDED
    name, source, target, by = _last_step(requirement)
    assert (name, source, target, by) == ("award", Status.CLOSED, Status.AWARDED, officer_east)
    assert str(case.bids[0].provider) in requirement.transitions.get(name="award").note


def test_award_refused_without_a_selected_bid(person, cap_member, officer_east):
    requirement = closed(person, cap_member, officer_east).requirement
    with pytest.raises(ActionRefused, match="Select the winning bid, with a reason, first."):
        REQUIREMENT_MACHINE.apply(requirement, "award", acting_user=officer_east)
    assert DPSRequirement.objects.get(pk=requirement.pk).status == Status.CLOSED


def test_award_refused_while_bidding_is_open(person, cap_member, officer_east):
    requirement = published(person, cap_member, officer_east).requirement
    with pytest.raises(ActionRefused, match="A requirement that is “open for bids” cannot do this."):
        REQUIREMENT_MACHINE.apply(requirement, "award", acting_user=officer_east)


def test_end_without_award_when_the_requirement_is_published_again(person, cap_member, officer_east):
    case = closed(person, cap_member, officer_east)
    score_all(case.requirement, officer_east)
    commissioning.republish_requirement(
        case.commission,
        acting_user=officer_east,
        reason="Both bids over the rate",
        **requirement_fields(case.arrangement),
    )
    old = DPSRequirement.objects.get(pk=case.requirement.pk)
    assert old.status == Status.NOT_AWARDED and old.selection_reason == "Both bids over the rate"
    assert _last_step(old) == ("end_without_award", Status.CLOSED, Status.NOT_AWARDED, officer_east)


def test_end_without_award_for_a_spot_contract_after_bidding_closes(person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    with after_closing(case.requirement):
        commissioning.close_bidding(case.commission, acting_user=officer_east)
    commissioning.commission_spot_contract(
        case.commission, acting_user=officer_east, provider=ProviderFactory(), reason="No one covers night calls"
    )
    requirement = DPSRequirement.objects.get(pk=case.requirement.pk)
    assert requirement.status == Status.NOT_AWARDED
    assert requirement.transitions.get(name="end_without_award").note == "Spot contract: No one covers night calls"


def test_end_without_award_refused_without_a_reason(person, cap_member, officer_east):
    requirement = closed(person, cap_member, officer_east).requirement
    with pytest.raises(ActionRefused, match="Say why no bid is awarded."):
        REQUIREMENT_MACHINE.apply(requirement, "end_without_award", acting_user=officer_east)
    assert DPSRequirement.objects.get(pk=requirement.pk).status == Status.CLOSED


@pytest.mark.parametrize("who", ["social_worker", "officer_east"])
def test_withdraw_refused_while_the_referral_is_open(who, request, person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    user = request.getfixturevalue(who) if who != "social_worker" else person.allocated_worker
    with pytest.raises(ActionRefused):
        REQUIREMENT_MACHINE.apply(case.requirement, "withdraw", acting_user=user)
    case.requirement.refresh_from_db()
    assert case.requirement.status == Status.OPEN and not case.requirement.transitions.exists()


def test_a_finished_competition_takes_no_step(person, cap_member, officer_east):
    case = selected(person, cap_member, officer_east)
    commissioning.award(case.commission, acting_user=officer_east, start_date=timezone.localdate() + timedelta(days=7))
    requirement = DPSRequirement.objects.get(pk=case.requirement.pk)
    requirement.selection_reason = "Changed my mind"
    for step in ("close", "award", "end_without_award"):
        with pytest.raises(ActionRefused, match="A requirement that is “awarded” cannot do this."):
            REQUIREMENT_MACHINE.apply(requirement, step, acting_user=officer_east)


def test_the_status_moves_only_by_a_step(person, cap_member, officer_east):
    requirement = DPSRequirement.objects.get(pk=published(person, cap_member, officer_east).requirement.pk)
    with pytest.raises(AttributeError):
        requirement.status = Status.AWARDED


def test_the_requirement_page_shows_its_steps_and_its_picture(client, person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    with after_closing(case.requirement):
        commissioning.close_bidding(case.commission, acting_user=officer_east)
    client.force_login(officer_east)
    page = client.get(reverse("dps:requirement", args=[case.requirement.pk])).content.decode()
    assert "How this competition has run" in page and "Closed: bids being reviewed" in page
    assert "How a requirement&#x27;s competition runs" in page
    assert "Closed: bids being reviewed (it is here)" in page


# Each step's tests, allowed and refused: core/tests/test_workflow.py fails if a step has neither.
MACHINE = REQUIREMENT_MACHINE
STEP_TESTS = {
    "close": (
        ["test_close_opens_the_bids_for_review_after_the_closing_time"],
        ["test_close_refused_before_the_closing_time", "test_close_refused_for_anyone_but_the_allocated_officer"],
    ),
    "award": (
        ["test_award_follows_the_agreement_with_the_selected_bidder"],
        ["test_award_refused_without_a_selected_bid", "test_award_refused_while_bidding_is_open"],
    ),
    "end_without_award": (
        [
            "test_end_without_award_when_the_requirement_is_published_again",
            "test_end_without_award_for_a_spot_contract_after_bidding_closes",
        ],
        ["test_end_without_award_refused_without_a_reason", "test_a_finished_competition_takes_no_step"],
    ),
    "withdraw": (
        ["commissioning/tests/test_commission.py::test_withdrawing_the_referral_stops_its_commission_and_requirement"],
        ["test_withdraw_refused_while_the_referral_is_open"],
    ),
}
