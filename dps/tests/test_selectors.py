"""Which requirements a provider may see and bid on, and how bids are ranked (dps.selectors)."""

from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from catalogue.codes import ServiceCode
from commissioning import services as commissioning
from dps import services
from dps.models import Bid
from dps.selectors import is_open_to, rank_bids, requirements_open_to
from dps.tests.factories import (
    PurchasingArrangementFactory,
    allocated,
    bidder,
    closed,
    enrol,
    provider_staff,
    published,
    requirement_fields,
    score_all,
    submit,
)
from people.tests.factories import make_person, make_plan

# requirements_open_to -------------------------------------------------------------------------


@pytest.fixture
def market(social_worker, east_area, cap_member, officer_east):
    """One provider enrolled on a home care arrangement in E1, and requirements it may or may not bid on."""
    arrangement = PurchasingArrangementFactory()

    def person(postcode="E1 6AN"):
        return make_person(social_worker, east_area, postcode=postcode)

    def out_for_bids(case, **fields):
        return commissioning.publish_requirement(
            case.commission, acting_user=officer_east, **requirement_fields(case.arrangement, **fields)
        )

    def requirement(postcode="E1 6AN", on=arrangement, **fields):
        return out_for_bids(allocated(person(postcode), cap_member, officer_east, arrangement=on), **fields)

    later = requirement(closes_at=timezone.now() + timezone.timedelta(days=5))
    sooner = requirement(closes_at=timezone.now() + timezone.timedelta(days=1))
    other_district = requirement(postcode="E2 7DG")
    other_arrangement = requirement(on=PurchasingArrangementFactory())
    # Another service type commissioned on the DPS (respite has its own allowance and bookings, no requirement).
    respite = PurchasingArrangementFactory(service_type=ServiceCode.DAY_OPPORTUNITIES)
    respite_person = person()
    respite_case = allocated(
        respite_person,
        cap_member,
        officer_east,
        arrangement=respite,
        plan=make_plan(social_worker, respite_person, service_type=ServiceCode.DAY_OPPORTUNITIES),
    )
    other_service = out_for_bids(respite_case)
    already_closed = closed(person(), cap_member, officer_east, arrangement=arrangement).requirement
    user = bidder(arrangement, districts=["E1", "E3"])
    return {
        "provider": user.provider,
        "sooner": sooner,
        "later": later,
        "other_district": other_district,
        "other_arrangement": other_arrangement,
        "other_service": other_service,
        "closed": already_closed,
        "arrangement": arrangement,
    }


def test_requirements_open_to_lists_exactly_the_eligible_open_ones(market, django_assert_num_queries):
    with django_assert_num_queries(1):
        listed = [(r, r.arrangement.name) for r in requirements_open_to(market["provider"])]
    assert listed == [(market["sooner"], market["arrangement"].name), (market["later"], market["arrangement"].name)]


def test_requirements_past_their_closing_time_are_not_listed(market):
    with time_machine.travel(market["sooner"].closes_at):
        assert list(requirements_open_to(market["provider"])) == [market["later"]]


def test_provider_on_several_arrangements_sees_each(market):
    enrol(market["provider"], market["other_service"].arrangement, districts=["E1"])
    assert set(requirements_open_to(market["provider"])) == {market["sooner"], market["later"], market["other_service"]}


def test_inactive_provider_sees_no_requirements(market):
    market["provider"].active = False
    market["provider"].save()
    assert list(requirements_open_to(market["provider"])) == []
    assert not is_open_to(market["sooner"], market["provider"])


def test_provider_off_the_framework_sees_no_requirements(market):
    assert list(requirements_open_to(provider_staff().provider)) == []
    assert list(requirements_open_to(None)) == []


def test_is_open_to_agrees_with_the_list(market):
    provider = market["provider"]
    assert is_open_to(market["sooner"], provider) and is_open_to(market["later"], provider)
    for name in ("other_district", "other_arrangement", "other_service"):
        assert not is_open_to(market[name], provider), name
    assert not is_open_to(market["sooner"], None)


# rank_bids ------------------------------------------------------------------------------------
@pytest.fixture
def two_bids(person, cap_member, officer_east):
    """Two outcomes, quality weighted 60%: A at £20 an hour (£200 a week), B at £25 (£250 a week)."""
    return closed(person, cap_member, officer_east, prices=(Decimal("20.00"), Decimal("25.00")))


def test_rank_bids_applies_the_stated_formula(two_bids, officer_east):
    a, b = two_bids.bids
    score_all(two_bids.requirement, officer_east, {a: 3, b: 5})

    ranked = rank_bids(two_bids.requirement)

    # A: quality 6/10 = 60, price 200/200 = 100, total 60×0.6 + 100×0.4 = 76
    # B: quality 10/10 = 100, price 200/250 = 80, total 100×0.6 + 80×0.4 = 92
    assert [(r.bid, r.quality_score, r.price_score, r.total_score, r.rank, r.fully_scored) for r in ranked] == [
        (b, Decimal("100.00"), Decimal("80.00"), Decimal("92.00"), 1, True),
        (a, Decimal("60.00"), Decimal("100.00"), Decimal("76.00"), 2, True),
    ]


def test_rank_bids_rounds_to_two_places(person, cap_member, officer_east):
    case = closed(person, cap_member, officer_east, prices=(Decimal("20.00"), Decimal("30.00")), quality_weight=55)
    a, b = case.bids
    score_all(case.requirement, officer_east, {a: 2, b: 4})

    ranked = {r.bid: r for r in rank_bids(case.requirement)}

    # B: price 200/300 = 66.666… → 66.67; quality 80; total (80×55 + 66.666…×45)/100 → 74.00
    # A: price 100; quality 40; total (40×55 + 100×45)/100 = 67.00
    assert (ranked[b].price_score, ranked[b].quality_score, ranked[b].total_score, ranked[b].rank) == (
        Decimal("66.67"),
        Decimal("80.00"),
        Decimal("74.00"),
        1,
    )
    assert (ranked[a].price_score, ranked[a].quality_score, ranked[a].total_score, ranked[a].rank) == (
        Decimal("100.00"),
        Decimal("40.00"),
        Decimal("67.00"),
        2,
    )


def test_price_only_and_quality_only_weights(person, cap_member, officer_east):
    case = closed(person, cap_member, officer_east, prices=(Decimal("20.00"), Decimal("25.00")), quality_weight=0)
    a, b = case.bids
    score_all(case.requirement, officer_east, {a: 1, b: 5})
    assert [r.bid for r in rank_bids(case.requirement)] == [a, b]  # the cheaper wins on price alone


def test_unscored_bids_are_not_ranked_and_come_last(two_bids, officer_east):
    a, b = two_bids.bids
    scores = {answer.pk: 4 for answer in a.answers.all()} | {b.answers.first().pk: 5}  # B half scored
    services.score_answers(two_bids.requirement, acting_user=officer_east, scores=scores)

    ranked = rank_bids(two_bids.requirement)

    assert [(r.bid, r.rank, r.fully_scored, r.quality_score, r.total_score) for r in ranked] == [
        (a, 1, True, Decimal("80.00"), Decimal("88.00")),
        (b, None, False, None, None),
    ]
    assert ranked[1].price_score == Decimal("80.00")  # price is known before scoring


def test_equal_totals_rank_the_cheaper_first(person, cap_member, officer_east):
    case = closed(person, cap_member, officer_east, prices=(Decimal("25.00"), Decimal("20.00")), quality_weight=100)
    dear, cheap = case.bids
    score_all(case.requirement, officer_east, default=4)
    assert [(r.bid, r.total_score, r.rank) for r in rank_bids(case.requirement)] == [
        (cheap, Decimal("80.00"), 1),
        (dear, Decimal("80.00"), 2),
    ]


def test_no_bids_no_ranking(person, cap_member, officer_east):
    assert rank_bids(closed(person, cap_member, officer_east, prices=()).requirement) == []


def test_weekly_and_hourly_bids_compare_by_weekly_price(person, cap_member, officer_east):
    case = published(person, cap_member, officer_east, prices=(Decimal("24.00"),))
    weekly = submit(case.requirement, bidder(case.arrangement), Decimal("230.00"), price_basis=Bid.Basis.WEEKLY)
    ranked = {r.bid: r.price_score for r in rank_bids(case.requirement)}
    assert ranked == {weekly: Decimal("100.00"), case.bids[0]: Decimal("95.83")}  # 230 / 240


def test_rank_bids_says_how_far_each_bid_is_above_the_approved_amount(person, cap_member, officer_east):
    case = closed(person, cap_member, officer_east, prices=(Decimal("25.01"), Decimal("25.00"), Decimal("24.00")))

    above = {
        r.bid.weekly_price: r.above_approved_by
        for r in rank_bids(case.requirement, approved_weekly_amount=Decimal("250.00"))
    }

    assert above == {Decimal("250.10"): Decimal("0.10"), Decimal("250.00"): None, Decimal("240.00"): None}
    assert {r.above_approved_by for r in rank_bids(case.requirement)} == {None}  # nothing approved, nothing above
