"""Publishing requirements, bidding, scoring, choosing, republishing and spot contracts (dps.services)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from catalogue.codes import ServiceCode
from commissioning import services as commissioning
from commissioning.workflows import State
from core.exceptions import ActionRefused
from dps import services
from dps.models import Bid, BidAnswer, DPSRequirement, SpotContractNotice
from dps.tests.factories import (
    OUTCOMES,
    PurchasingArrangementFactory,
    after_closing,
    allocated,
    answers_for,
    bidder,
    closed,
    enrol,
    footprint,
    provider_staff,
    published,
    requirement_fields,
    score_all,
    selected,
    submit,
)
from people.models import Specialism
from people.tests.factories import make_person, make_plan
from providers.tests.factories import ProviderFactory
from referrals.models import Referral

SCHEDULE = [
    {"day": "Monday", "time": "08:00", "minutes": 45, "carers": 1},
    {"day": "Monday", "time": "19:00", "minutes": 30, "carers": 1},
]


@pytest.fixture
def case(person, cap_member, officer_east):
    return allocated(person, cap_member, officer_east)


def _publish(case, **fields):
    arrangement = fields.pop("arrangement", case.arrangement)
    return commissioning.publish_requirement(
        case.commission, acting_user=case.officer, **requirement_fields(arrangement, **fields)
    )


def _refused(case, match, **fields):
    before = footprint(case.referral)
    with pytest.raises(ActionRefused, match=match):
        _publish(case, **fields)
    assert footprint(case.referral) == before


# Requirements -------------------------------------------------------------------------------
def test_requirement_copies_the_package_from_the_plan_and_the_district(
    social_worker, east_area, cap_member, officer_east
):
    person = make_person(social_worker, east_area, postcode="E2 7DG")
    plan = make_plan(
        social_worker,
        person,
        weekly_hours=Decimal("12.50"),
        visit_schedule=SCHEDULE,
        required_specialisms=[Specialism.DEMENTIA, Specialism.DOUBLE_HANDED],
        preferred_language="pol",
    )
    case = allocated(person, cap_member, officer_east, plan=plan)

    requirement = _publish(case, quality_weight=70)

    assert requirement.service_type_id == ServiceCode.HOME_CARE
    assert requirement.weekly_hours == Decimal("12.50")
    assert requirement.visit_schedule == SCHEDULE
    assert requirement.specialisms == [Specialism.DEMENTIA, Specialism.DOUBLE_HANDED]
    assert requirement.language == "pol" and requirement.get_language_display() == "Polish"
    assert requirement.postcode_district == "E2"
    assert (requirement.quality_weight, requirement.price_weight) == (70, 30)
    assert [o.text for o in requirement.outcomes.all()] == OUTCOMES
    assert requirement.status == DPSRequirement.Status.OPEN
    assert case.commission.state == State.REQUIREMENT_PUBLISHED


def test_requirement_is_announced_to_enrolled_providers_without_the_person(
    case, person, django_capture_on_commit_callbacks
):
    enrolled = bidder(case.arrangement)
    bidder(case.arrangement, districts=["W2"])  # does not cover the person's district
    provider_staff()  # not on the arrangement

    with django_capture_on_commit_callbacks(execute=True):
        requirement = _publish(case)

    assert [m.to for m in mail.outbox] == [[enrolled.email]]
    assert requirement.reference in mail.outbox[0].subject and "E1" in mail.outbox[0].subject
    text = mail.outbox[0].subject + mail.outbox[0].body
    assert person.first_name not in text and person.last_name not in text and person.postcode not in text


def test_closing_time_in_the_past_is_refused(case):
    _refused(case, "closing time must be in the future", closes_at=timezone.now() - timedelta(minutes=1))


def test_start_date_in_the_past_is_refused(case):
    _refused(case, "start date cannot be in the past", start_date=timezone.localdate() - timedelta(days=1))


def test_expired_arrangement_is_refused(case):
    expired = PurchasingArrangementFactory(
        starts_on=date(2020, 1, 1), expires_on=timezone.localdate() - timedelta(days=1)
    )
    _refused(case, "not open", arrangement=expired)


def test_arrangement_not_yet_started_is_refused(case):
    future = PurchasingArrangementFactory(starts_on=timezone.localdate() + timedelta(days=30))
    _refused(case, "not open", arrangement=future)


def test_arrangement_for_another_service_is_refused(case):
    _refused(
        case,
        "arrangement for this referral's service",
        arrangement=PurchasingArrangementFactory(service_type=ServiceCode.RESPITE),
    )


@pytest.mark.parametrize("outcomes", [[], ["", "   "]])
def test_requirement_without_outcomes_is_refused(case, outcomes):
    _refused(case, "at least one outcome", outcomes=outcomes)


def test_more_than_ten_outcomes_are_refused(case):
    _refused(case, "at most 10", outcomes=[f"Outcome {n}" for n in range(11)])


def test_ten_outcomes_are_allowed(case):
    assert _publish(case, outcomes=[f"Outcome {n}" for n in range(10)]).outcomes.count() == 10


@pytest.mark.parametrize("weight", [-1, 101])
def test_quality_weight_is_a_percentage(case, weight):
    _refused(case, "percentage", quality_weight=weight)


# Bids ---------------------------------------------------------------------------------------
@pytest.fixture
def open_case(person, cap_member, officer_east):
    return published(person, cap_member, officer_east, prices=())


def _refused_bid(requirement, user, match, price=Decimal("20.00"), price_basis=Bid.Basis.HOURLY, answers=None):
    bids, answer_count = list(Bid.objects.values_list("pk", "price", "weekly_price")), BidAnswer.objects.count()
    with pytest.raises(ActionRefused, match=match):
        services.submit_bid(
            requirement,
            acting_user=user,
            price_basis=price_basis,
            price=price,
            answers=answers_for(requirement) if answers is None else answers,
        )
    assert list(Bid.objects.values_list("pk", "price", "weekly_price")) == bids
    assert BidAnswer.objects.count() == answer_count


def test_enrolled_provider_covering_the_district_can_bid(open_case):
    user = bidder(open_case.arrangement)
    bid = submit(open_case.requirement, user, Decimal("21.50"))
    assert (bid.provider, bid.submitted_by, bid.price_basis, bid.price) == (
        user.provider,
        user,
        "hourly",
        Decimal("21.50"),
    )
    assert [a.outcome.text for a in bid.answers.all()] == OUTCOMES


@pytest.mark.parametrize("who", ["officer_east", "social_worker", "dps_team"])
def test_only_provider_users_can_bid(open_case, request, who):
    _refused_bid(open_case.requirement, request.getfixturevalue(who), "Only a provider's staff")


def test_provider_not_on_the_arrangement_cannot_bid(open_case):
    user = provider_staff()
    enrol(user.provider, PurchasingArrangementFactory())  # the same service, another arrangement
    _refused_bid(open_case.requirement, user, "not open to your organisation")


def test_provider_not_covering_the_district_cannot_bid(open_case):
    _refused_bid(
        open_case.requirement, bidder(open_case.arrangement, districts=["E2", "W1"]), "not open to your organisation"
    )


def test_provider_enrolled_for_another_service_cannot_bid(open_case):
    user = provider_staff()
    enrol(user.provider, PurchasingArrangementFactory(service_type=ServiceCode.RESPITE))
    _refused_bid(open_case.requirement, user, "not open to your organisation")


def test_inactive_provider_cannot_bid(open_case):
    user = bidder(open_case.arrangement)
    user.provider.active = False
    user.provider.save()
    _refused_bid(open_case.requirement, user, "not open to your organisation")


def test_second_submit_changes_the_providers_one_bid(open_case):
    user = bidder(open_case.arrangement)
    colleague = provider_staff(user.provider)
    first = submit(open_case.requirement, user, Decimal("20.00"))

    second = submit(open_case.requirement, colleague, Decimal("19.00"), text="Changed answer")

    assert second.pk == first.pk
    bid = Bid.objects.get()
    assert (bid.price, bid.weekly_price, bid.submitted_by) == (Decimal("19.00"), Decimal("190.00"), colleague)
    assert [a.answer for a in bid.answers.all()] == ["Changed answer"] * len(OUTCOMES)
    assert BidAnswer.objects.count() == len(OUTCOMES)


@pytest.mark.parametrize("blank", ["", "   "])
def test_every_outcome_must_be_answered(open_case, blank):
    answers = answers_for(open_case.requirement)
    last = open_case.requirement.outcomes.last()
    answers[last.pk] = blank
    _refused_bid(open_case.requirement, bidder(open_case.arrangement), f"missing: {last.position}", answers=answers)


def test_an_unanswered_outcome_is_refused(open_case):
    answers = answers_for(open_case.requirement)
    del answers[open_case.requirement.outcomes.first().pk]
    _refused_bid(open_case.requirement, bidder(open_case.arrangement), "missing: 1", answers=answers)


@pytest.mark.parametrize("price", [Decimal("0"), Decimal("-5.00"), None])
def test_price_must_be_above_zero(open_case, price):
    _refused_bid(open_case.requirement, bidder(open_case.arrangement), "price above £0", price=price)


def test_unknown_price_basis_is_refused(open_case):
    _refused_bid(open_case.requirement, bidder(open_case.arrangement), "per hour or per week", price_basis="daily")


def test_hourly_price_times_hours_is_the_weekly_price(social_worker, east_area, cap_member, officer_east):
    person = make_person(social_worker, east_area)
    plan = make_plan(social_worker, person, weekly_hours=Decimal("7.50"))
    case = published(person, cap_member, officer_east, plan=plan, prices=())

    bid = submit(case.requirement, bidder(case.arrangement), Decimal("21.20"))

    assert bid.weekly_price == Decimal("159.00")  # 21.20 × 7.5


def test_weekly_price_is_taken_as_it_is(open_case):
    bid = submit(open_case.requirement, bidder(open_case.arrangement), Decimal("230.00"), price_basis=Bid.Basis.WEEKLY)
    assert (bid.price, bid.weekly_price) == (Decimal("230.00"), Decimal("230.00"))


@pytest.fixture
def no_hours_case(social_worker, east_area, cap_member, officer_east):
    person = make_person(social_worker, east_area)
    plan = make_plan(social_worker, person, weekly_hours=None)
    return published(person, cap_member, officer_east, plan=plan, prices=())


def test_package_without_hours_is_bid_per_week(no_hours_case):
    assert no_hours_case.requirement.weekly_hours is None
    user = bidder(no_hours_case.arrangement)
    _refused_bid(no_hours_case.requirement, user, "not counted in hours: give a price per week")

    bid = submit(no_hours_case.requirement, user, Decimal("180.00"), price_basis=Bid.Basis.WEEKLY)

    assert bid.weekly_price == Decimal("180.00")


def test_bid_after_closing_is_refused_and_the_bid_unchanged(open_case):
    user = bidder(open_case.arrangement)
    submit(open_case.requirement, user, Decimal("20.00"))
    with after_closing(open_case.requirement):
        _refused_bid(open_case.requirement, user, "Bidding closed at", price=Decimal("15.00"))
        _refused_bid(open_case.requirement, bidder(open_case.arrangement), "Bidding closed at")
    bid = Bid.objects.get()
    assert (bid.price, bid.weekly_price) == (Decimal("20.00"), Decimal("200.00"))


def test_bid_on_a_closed_requirement_is_refused(person, cap_member, officer_east):
    case = closed(person, cap_member, officer_east)
    _refused_bid(case.requirement, case.bidders[0], "Bidding closed at", price=Decimal("10.00"))


# Evaluation -----------------------------------------------------------------------------------
@pytest.fixture
def closed_case(person, cap_member, officer_east):
    return closed(person, cap_member, officer_east)


def _all_scores(requirement, score):
    return {a.pk: score for a in BidAnswer.objects.filter(bid__requirement=requirement)}


def test_answers_are_scored_after_closing(closed_case, officer_east):
    scores = _all_scores(closed_case.requirement, 0) | {closed_case.bids[0].answers.first().pk: 5}
    services.score_answers(closed_case.requirement, acting_user=officer_east, scores=scores)
    assert dict(BidAnswer.objects.values_list("pk", "score")) == scores


def test_answers_cannot_be_scored_while_bidding_is_open(person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    with pytest.raises(ActionRefused, match="only after bidding has closed"):
        services.score_answers(case.requirement, acting_user=officer_east, scores=_all_scores(case.requirement, 3))
    assert not BidAnswer.objects.filter(score__isnull=False).exists()


def test_answers_cannot_be_scored_once_a_provider_is_chosen(person, cap_member, officer_east):
    """The choice was made on these scores: they stay as they were (the requirement's selected bid says so)."""
    case = selected(person, cap_member, officer_east)
    scored = dict(BidAnswer.objects.values_list("pk", "score"))
    with pytest.raises(ActionRefused, match="before a provider is chosen"):
        services.score_answers(case.requirement, acting_user=officer_east, scores=_all_scores(case.requirement, 1))
    assert dict(BidAnswer.objects.values_list("pk", "score")) == scored


@pytest.mark.parametrize("score", [6, -1, None])
def test_scores_are_0_to_5(closed_case, officer_east, score):
    scores = _all_scores(closed_case.requirement, 3) | {closed_case.bids[1].answers.last().pk: score}
    with pytest.raises(ActionRefused, match="from 0 to 5"):
        services.score_answers(closed_case.requirement, acting_user=officer_east, scores=scores)
    assert not BidAnswer.objects.filter(score__isnull=False).exists()


def test_answers_of_another_requirement_cannot_be_scored(
    closed_case, social_worker, east_area, cap_member, officer_east
):
    other = closed(make_person(social_worker, east_area), cap_member, officer_east)
    scores = _all_scores(closed_case.requirement, 3) | {other.bids[0].answers.first().pk: 3}
    with pytest.raises(ActionRefused, match="not bids on this requirement"):
        services.score_answers(closed_case.requirement, acting_user=officer_east, scores=scores)
    assert not BidAnswer.objects.filter(score__isnull=False).exists()


@pytest.mark.parametrize("who", ["other_officer_east", "lead_east", "officer_west"])
def test_only_the_allocated_officer_scores(closed_case, request, who):
    with pytest.raises(ActionRefused):
        services.score_answers(
            closed_case.requirement,
            acting_user=request.getfixturevalue(who),
            scores=_all_scores(closed_case.requirement, 3),
        )
    assert not BidAnswer.objects.filter(score__isnull=False).exists()


def test_choosing_a_bid_records_it_with_the_reason(closed_case, officer_east):
    score_all(closed_case.requirement, officer_east)
    commissioning.select_bid(
        closed_case.commission,
        acting_user=officer_east,
        bid=closed_case.bids[1],
        reason="Carers speak the person's language",
    )
    case = closed_case.refresh()
    commission = case.commission
    assert (commission.chosen_bid, commission.chosen_provider) == (case.bids[1], case.bids[1].provider)
    assert (case.requirement.selected_bid, case.requirement.selection_reason) == (
        case.bids[1],
        "Carers speak the person's language",
    )
    assert commission.state == State.PROVIDER_SELECTED


def _refused_choice(case, officer, match, bid=None, reason="Best overall score"):
    before = footprint(case.referral)
    with pytest.raises(ActionRefused, match=match):
        commissioning.select_bid(case.commission, acting_user=officer, bid=bid or case.bids[0], reason=reason)
    assert footprint(case.referral) == before


def test_choosing_needs_every_answer_scored(closed_case, officer_east):
    scores = _all_scores(closed_case.requirement, 4)
    scores.pop(closed_case.bids[1].answers.last().pk)  # one answer of the other bid left unscored
    services.score_answers(closed_case.requirement, acting_user=officer_east, scores=scores)
    _refused_choice(closed_case, officer_east, "Score every answer")


@pytest.mark.parametrize("reason", ["", "   "])
def test_choosing_needs_a_reason(closed_case, officer_east, reason):
    score_all(closed_case.requirement, officer_east)
    _refused_choice(closed_case, officer_east, "Give the reason", reason=reason)


def test_choosing_a_bid_on_another_requirement_is_refused(
    closed_case, officer_east, social_worker, east_area, cap_member
):
    other = closed(make_person(social_worker, east_area), cap_member, officer_east)
    score_all(closed_case.requirement, officer_east)
    _refused_choice(closed_case, officer_east, "one of the bids on this referral's requirement", bid=other.bids[0])


# Republishing -------------------------------------------------------------------------------
def test_republish_marks_the_old_requirement_not_awarded_and_publishes_anew(
    closed_case, officer_east, django_capture_on_commit_callbacks
):
    old = closed_case.requirement
    with django_capture_on_commit_callbacks(execute=True):
        new = commissioning.republish_requirement(
            closed_case.commission,
            acting_user=officer_east,
            reason="Both too dear",
            **requirement_fields(closed_case.arrangement, summary="Evening visits"),
        )
    old.refresh_from_db()
    assert (old.status, old.selection_reason) == (DPSRequirement.Status.NOT_AWARDED, "Both too dear")
    assert new.pk != old.pk and new.status == DPSRequirement.Status.OPEN and new.summary == "Evening visits"
    referral = Referral.objects.get(pk=closed_case.referral.pk)
    assert closed_case.commission.state == State.REQUIREMENT_PUBLISHED
    assert referral.live_requirement == new
    bidder_emails = {u.email for u in closed_case.bidders}
    told = {m.to[0] for m in mail.outbox if "not successful" in m.subject}
    assert told == bidder_emails
    invited = {m.to[0] for m in mail.outbox if m.subject.startswith(f"New requirement {new.reference}")}
    assert invited == bidder_emails


def test_republish_needs_a_reason(closed_case, officer_east):
    before = footprint(closed_case.referral)
    with pytest.raises(ActionRefused, match="Say why"):
        commissioning.republish_requirement(
            closed_case.commission, acting_user=officer_east, reason=" ", **requirement_fields(closed_case.arrangement)
        )
    assert footprint(closed_case.referral) == before


def test_republish_with_bad_fields_keeps_the_old_requirement(closed_case, officer_east):
    before = footprint(closed_case.referral)
    with pytest.raises(ActionRefused, match="closing time"):
        commissioning.republish_requirement(
            closed_case.commission,
            acting_user=officer_east,
            reason="No bids",
            **requirement_fields(closed_case.arrangement, closes_at=timezone.now()),
        )
    assert footprint(closed_case.referral) == before


# Spot contracts -----------------------------------------------------------------------------
def test_spot_contract_tells_the_dps_team_and_ends_the_live_requirement(
    closed_case, officer_east, dps_team, django_capture_on_commit_callbacks
):
    provider = ProviderFactory(name="Nightingale Care Ltd")
    with django_capture_on_commit_callbacks(execute=True):
        commissioning.commission_spot_contract(
            closed_case.commission,
            acting_user=officer_east,
            provider=provider,
            reason="No framework provider does double-handed night calls",
        )

    notice = SpotContractNotice.objects.get()
    assert (notice.provider, notice.referral_id, notice.service_type_id, notice.raised_by) == (
        provider,
        closed_case.referral.pk,
        ServiceCode.HOME_CARE,
        officer_east,
    )
    case = closed_case.refresh()
    commission = case.commission
    assert commission.state == State.PROVIDER_SELECTED
    assert (commission.chosen_provider, commission.chosen_bid) == (provider, None)
    assert commission.spot_contract_reason == "No framework provider does double-handed night calls"
    assert case.requirement.status == DPSRequirement.Status.NOT_AWARDED
    assert case.referral.live_requirement is None
    to_dps = [m for m in mail.outbox if m.to == [dps_team.email]]
    assert len(to_dps) == 1 and "Nightingale Care Ltd" in to_dps[0].subject
    assert {m.to[0] for m in mail.outbox if "not successful" in m.subject} == {u.email for u in case.bidders}


def test_spot_contract_from_an_allocated_referral(case, officer_east, dps_team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        commissioning.commission_spot_contract(
            case.commission,
            acting_user=officer_east,
            provider=ProviderFactory(),
            reason="Nobody on the framework covers this street",
        )
    assert case.commission.state == State.PROVIDER_SELECTED
    assert SpotContractNotice.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[dps_team.email]]


def test_spot_contract_needs_a_reason(case, officer_east):
    before = footprint(case.referral)
    with pytest.raises(ActionRefused, match="Give the reason"):
        commissioning.commission_spot_contract(
            case.commission, acting_user=officer_east, provider=ProviderFactory(), reason=""
        )
    assert footprint(case.referral) == before


def test_spot_contract_needs_an_active_provider(case, officer_east):
    before = footprint(case.referral)
    with pytest.raises(ActionRefused, match="not active"):
        commissioning.commission_spot_contract(
            case.commission, acting_user=officer_east, provider=ProviderFactory(active=False), reason="Nobody else"
        )
    assert footprint(case.referral) == before


def test_dps_team_acknowledges_a_notice_once(case, officer_east, dps_team):
    commissioning.commission_spot_contract(
        case.commission, acting_user=officer_east, provider=ProviderFactory(), reason="Nobody else"
    )
    notice = SpotContractNotice.objects.get()
    with pytest.raises(ActionRefused, match="Only the DPS team"):
        services.acknowledge_spot_contract_notice(notice, acting_user=officer_east)

    services.acknowledge_spot_contract_notice(notice, acting_user=dps_team)

    notice.refresh_from_db()
    assert notice.acknowledged_by == dps_team
    with pytest.raises(ActionRefused, match="already been acknowledged"):
        services.acknowledge_spot_contract_notice(notice, acting_user=dps_team)


def test_requirement_is_not_open_for_bids_from_its_closing_time(open_case):
    assert open_case.requirement.is_open_for_bids
    with time_machine.travel(open_case.requirement.closes_at):
        assert not open_case.requirement.is_open_for_bids
