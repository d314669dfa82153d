"""Making service agreements (brokerage.services): the rate comes from the chosen bid, Brokerage never commissions
more than was authorised (SPEC §2), and the right people are told. Changing one's terms from a date is a care
package's change (packages/tests/test_change_terms.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from brokerage.models import ServiceAgreement
from brokerage.services import AgreementPricing, _ensure_within_authorisation, agreement_pricing
from commissioning import services as commissioning
from commissioning.services import issue_purchase_order
from commissioning.workflows import State as CommissionState
from core.exceptions import ActionRefused
from dps.models import Bid, DPSRequirement
from dps.tests.factories import (
    APPROVED_WEEKLY,
    PLAN_HOURS,
    after_closing,
    bidder,
    closed,
    footprint,
    provider_staff,
    published,
    score_all,
    selected,
    submit,
)
from people.tests.factories import make_person, make_plan
from providers.tests.factories import ProviderFactory
from referrals.workflows import State

NEEDS_AUTHORISATION = "Brokerage cannot increase a service without a practitioner's authorisation"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _start():
    return timezone.localdate() + timedelta(days=7)


def _award(case, **kwargs):
    return commissioning.award(case.commission, acting_user=case.officer, **{"start_date": _start()} | kwargs)


def _refused_award(case, match, **kwargs):
    before = footprint(case.referral)
    with pytest.raises(ActionRefused, match=match):
        _award(case, **kwargs)
    assert footprint(case.referral) == before


def test_agreement_takes_the_rate_from_the_chosen_bid(person, cap_member, officer_east):
    case = selected(person, cap_member, officer_east, prices=(Decimal("22.40"), Decimal("21.00")))

    agreement = _award(case)

    assert agreement.bid == case.bids[0]
    assert (agreement.provider, agreement.person, agreement.referral) == (case.bids[0].provider, person, case.referral)
    assert (agreement.hourly_rate, agreement.weekly_hours, agreement.weekly_cost) == (
        Decimal("22.40"),
        PLAN_HOURS,
        Decimal("224.00"),
    )
    assert (agreement.start_date, agreement.status) == (_start(), ServiceAgreement.Status.ACTIVE)
    case.refresh()
    assert case.requirement.status == DPSRequirement.Status.AWARDED
    assert (case.referral.state, case.commission.state) == (State.ALLOCATED, CommissionState.DETAILS_SHARED)
    assert case.referral.active_agreement == agreement


def test_weekly_cost_is_rate_times_planned_hours(social_worker, east_area, cap_member, officer_east):
    person = make_person(social_worker, east_area)
    plan = make_plan(social_worker, person, weekly_hours=Decimal("7.50"))
    case = selected(person, cap_member, officer_east, plan=plan, prices=(Decimal("21.20"),))
    assert _award(case).weekly_cost == Decimal("159.00")


def test_weekly_bid_for_a_package_without_hours(social_worker, east_area, cap_member, officer_east):
    person = make_person(social_worker, east_area)
    case = published(
        person, cap_member, officer_east, plan=make_plan(social_worker, person, weekly_hours=None), prices=()
    )
    bid = submit(case.requirement, bidder(case.arrangement), Decimal("180.00"), price_basis=Bid.Basis.WEEKLY)
    with after_closing(case.requirement):
        commissioning.close_bidding(case.commission, acting_user=officer_east)
    score_all(case.requirement, officer_east)
    commissioning.select_bid(case.commission, acting_user=officer_east, bid=bid, reason="Only bid")

    agreement = _award(case.refresh())

    assert (agreement.hourly_rate, agreement.weekly_hours, agreement.weekly_cost) == (None, None, Decimal("180.00"))


# The price as bid, to the penny ------------------------------------------------------------------
SEVEN_HOURS = Decimal("7.00")


def _chosen_on_seven_hours(social_worker, east_area, cap_member, officer_east, price, price_basis):
    """A bid at `price` on `price_basis` chosen for a 7-hour plan funded at £250 a week."""
    person = make_person(social_worker, east_area)
    plan = make_plan(social_worker, person, weekly_hours=SEVEN_HOURS)
    return selected(person, cap_member, officer_east, plan=plan, prices=(Decimal(price),), price_basis=price_basis)


def test_a_weekly_bid_is_paid_to_the_penny_when_the_plan_counts_hours(
    social_worker, east_area, cap_member, officer_east
):
    """£160.00 a week for 7 hours is £22.857… an hour: rounded to £22.86 and multiplied back it was £160.02."""
    case = _chosen_on_seven_hours(social_worker, east_area, cap_member, officer_east, "160.00", Bid.Basis.WEEKLY)

    agreement = _award(case)
    order = issue_purchase_order(case.commission, acting_user=officer_east).purchase_order

    assert (agreement.weekly_hours, agreement.hourly_rate, agreement.weekly_cost) == (
        SEVEN_HOURS,
        None,
        Decimal("160.00"),
    )
    agreement.refresh_from_db()
    assert (agreement.weekly_cost, agreement.price_basis) == (Decimal("160.00"), "weekly")
    assert (order.weekly_hours, order.hourly_rate, order.weekly_cost) == (SEVEN_HOURS, None, Decimal("160.00"))
    order.refresh_from_db()
    assert order.weekly_cost == Decimal("160.00")


def test_an_hourly_bid_keeps_its_rate_and_is_paid_for_the_plans_hours(
    social_worker, east_area, cap_member, officer_east
):
    case = _chosen_on_seven_hours(social_worker, east_area, cap_member, officer_east, "22.86", Bid.Basis.HOURLY)

    agreement = _award(case)
    order = issue_purchase_order(case.commission, acting_user=officer_east).purchase_order

    assert (agreement.hourly_rate, agreement.weekly_cost, agreement.price_basis) == (
        Decimal("22.86"),
        Decimal("160.02"),
        "hourly",
    )
    assert (order.hourly_rate, order.weekly_cost) == (Decimal("22.86"), Decimal("160.02"))


def test_an_hourly_price_is_rounded_half_up_once_on_the_bid_and_the_agreement(
    social_worker, east_area, cap_member, officer_east
):
    person = make_person(social_worker, east_area)
    plan = make_plan(social_worker, person, weekly_hours=Decimal("7.50"))
    case = selected(person, cap_member, officer_east, plan=plan, prices=(Decimal("22.15"),))  # £166.125 a week

    assert case.bids[0].weekly_price == Decimal("166.13")
    assert _award(case).weekly_cost == Decimal("166.13")


def test_the_pricing_follows_the_bids_basis(social_worker, east_area, cap_member, officer_east):
    weekly = _chosen_on_seven_hours(social_worker, east_area, cap_member, officer_east, "160.00", Bid.Basis.WEEKLY)
    hourly = _chosen_on_seven_hours(social_worker, east_area, cap_member, officer_east, "22.86", Bid.Basis.HOURLY)

    assert agreement_pricing(weekly.referral, weekly.commission.chosen_bid) == AgreementPricing(
        "weekly", SEVEN_HOURS, Decimal("160.00")
    )
    assert agreement_pricing(weekly.referral, weekly.commission.chosen_bid).field == "weekly_cost"
    assert agreement_pricing(hourly.referral, hourly.commission.chosen_bid) == AgreementPricing(
        "hourly", SEVEN_HOURS, Decimal("22.86")
    )
    assert agreement_pricing(hourly.referral, hourly.commission.chosen_bid).field == "hourly_rate"


def test_an_hourly_rate_for_a_weekly_bid_is_refused(social_worker, east_area, cap_member, officer_east):
    case = _chosen_on_seven_hours(social_worker, east_area, cap_member, officer_east, "160.00", Bid.Basis.WEEKLY)
    _refused_award(case, "priced by the week", hourly_rate=Decimal("22.86"))


def test_a_weekly_cost_for_an_hourly_bid_is_refused(social_worker, east_area, cap_member, officer_east):
    case = _chosen_on_seven_hours(social_worker, east_area, cap_member, officer_east, "22.86", Bid.Basis.HOURLY)
    _refused_award(case, "priced by the hour", weekly_cost=Decimal("160.00"))


def test_a_weekly_bid_above_the_approved_funding_is_refused(social_worker, east_area, cap_member, officer_east):
    case = _chosen_on_seven_hours(social_worker, east_area, cap_member, officer_east, "250.01", Bid.Basis.WEEKLY)
    _refused_award(case, NEEDS_AUTHORISATION)


def test_a_weekly_price_in_fractions_of_a_penny_is_refused(social_worker, east_area, cap_member, officer_east):
    case = _chosen_on_seven_hours(social_worker, east_area, cap_member, officer_east, "160.00", Bid.Basis.WEEKLY)
    _refused_award(case, "in pounds and pence", weekly_cost=Decimal("160.004"))


def test_a_spot_contract_on_a_plan_with_hours_is_priced_by_the_hour(person, cap_member, officer_east):
    case = closed(person, cap_member, officer_east)
    commissioning.commission_spot_contract(
        case.commission, acting_user=officer_east, provider=ProviderFactory(), reason="No framework provider can"
    )
    case.refresh()
    assert agreement_pricing(case.referral, case.commission.chosen_bid) == AgreementPricing("hourly", PLAN_HOURS, None)
    _refused_award(case, "Enter the hourly rate")

    agreement = _award(case, hourly_rate=Decimal("21.99"))

    assert (agreement.bid, agreement.hourly_rate, agreement.weekly_cost) == (None, Decimal("21.99"), Decimal("219.90"))


def test_weekly_cost_above_the_approved_funding_is_refused(person, cap_member, officer_east):
    case = selected(person, cap_member, officer_east, prices=(Decimal("25.01"),))  # £250.10 > £250 approved
    _refused_award(case, NEEDS_AUTHORISATION)
    assert case.refresh().requirement.status == DPSRequirement.Status.CLOSED


def test_a_higher_rate_than_the_bid_above_funding_is_refused(person, cap_member, officer_east):
    case = selected(person, cap_member, officer_east)
    _refused_award(case, NEEDS_AUTHORISATION, hourly_rate=Decimal("30.00"))


def test_weekly_cost_equal_to_the_approved_funding_is_allowed(person, cap_member, officer_east):
    case = selected(person, cap_member, officer_east, prices=(Decimal("25.00"),))
    assert _award(case).weekly_cost == APPROVED_WEEKLY


def test_hours_above_the_plan_are_refused(person, cap_member, officer_east):
    """The agreement's hours are the plan's, so the guard is checked as it is called."""
    case = selected(person, cap_member, officer_east)
    with pytest.raises(ActionRefused, match=NEEDS_AUTHORISATION):
        _ensure_within_authorisation(case.referral, weekly_cost=Decimal("100.00"), weekly_hours=PLAN_HOURS + 1)
    _ensure_within_authorisation(case.referral, weekly_cost=APPROVED_WEEKLY, weekly_hours=PLAN_HOURS)


def test_start_date_in_the_past_is_refused(person, cap_member, officer_east):
    case = selected(person, cap_member, officer_east)
    _refused_award(case, "start date cannot be in the past", start_date=timezone.localdate() - timedelta(days=1))


def test_start_date_today_is_allowed(person, cap_member, officer_east):
    case = selected(person, cap_member, officer_east)
    assert _award(case, start_date=timezone.localdate()).start_date == timezone.localdate()


def test_award_tells_the_winner_the_social_worker_and_the_unsuccessful(
    person, cap_member, officer_east, django_capture_on_commit_callbacks
):
    case = selected(person, cap_member, officer_east, prices=(Decimal("22.00"), Decimal("23.00"), Decimal("24.00")))
    winner, *losers = case.bidders
    winner_colleague = provider_staff(winner.provider)

    with django_capture_on_commit_callbacks(execute=True):
        agreement = _award(case)

    by_recipient = {}
    for message in mail.outbox:
        by_recipient.setdefault(message.to[0], []).append(message)
    assert set(by_recipient) == {
        winner.email,
        winner_colleague.email,
        person.allocated_worker.email,
        *(u.email for u in losers),
    }
    for user in (winner, winner_colleague):
        assert [m.subject for m in by_recipient[user.email]] == [
            f"Service agreement {agreement.reference} awarded to you"
        ]
    assert [m.subject for m in by_recipient[person.allocated_worker.email]] == [
        f"A provider has been sourced ({agreement.reference})"
    ]
    assert winner.provider.name in by_recipient[person.allocated_worker.email][0].body
    for user in losers:
        assert [m.subject for m in by_recipient[user.email]] == [
            f"Requirement {case.requirement.reference}: your bid was not successful"
        ]

    provider_emails = [m for m in mail.outbox if m.to != [person.allocated_worker.email]]
    personal = [
        person.first_name,
        person.last_name,
        person.postcode,
        person.address_line_1,
        person.nhs_number,
        person.date_of_birth.strftime("%d/%m/%Y"),
        f"{person.date_of_birth:%-d %B %Y}",
    ]
    for message in provider_emails:
        for detail in personal:
            assert detail not in message.subject and detail not in message.body, (detail, message.subject)


@pytest.mark.parametrize("who", ["other_officer_east", "lead_east", "officer_west", "social_worker"])
def test_only_the_allocated_officer_makes_the_agreement(person, cap_member, officer_east, request, who):
    case = selected(person, cap_member, officer_east)
    case.officer = request.getfixturevalue(who)
    _refused_award(case, "Only the officer this referral is allocated to")
