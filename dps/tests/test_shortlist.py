"""The shortlist for a referral: who may be invited to bid, in what order and why; and who may see it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from catalogue.codes import ServiceCode
from dps.models import PurchasingArrangement
from dps.shortlist import off_framework_for, shortlist_for
from people.models import Specialism
from people.tests.factories import make_plan
from providers.models import Provider
from providers.tests.factories import ProviderFactory, ProviderServiceFactory
from referrals.models import Referral
from referrals.tests.factories import queued_referral, urgent_referral

TODAY = timezone.localdate


def arrangement(name, service_type=ServiceCode.HOME_CARE, *, starts=-400, expires=None):
    today = TODAY()
    return PurchasingArrangement.objects.create(
        name=name,
        kind=PurchasingArrangement.Kind.DPS,
        service_type_id=service_type,
        starts_on=today + timedelta(days=starts),
        expires_on=today + timedelta(days=expires) if expires is not None else None,
    )


@pytest.fixture
def open_dps(db):
    return arrangement("Home care DPS")


def offer(name, *, arrangement=None, rating=Provider.CQCRating.GOOD, active=True, **service):
    provider = ProviderFactory(name=name, cqc_rating=rating, active=active)
    return ProviderServiceFactory(provider=provider, arrangement=arrangement, **service)


@pytest.fixture
def referral(social_worker, cap_member, person):
    """Home care for a person in E1 whose plan needs dementia and bariatric care, with Bengali-speaking carers."""
    plan = make_plan(
        social_worker,
        person,
        required_specialisms=[Specialism.DEMENTIA, Specialism.BARIATRIC_CARE],
        preferred_language="ben",
    )
    return Referral.objects.select_related("person", "plan").get(
        pk=queued_referral(social_worker, person, cap_member, plan=plan).pk
    )


def names(entries):
    return [e.provider.name for e in entries]


def test_only_active_enrolled_providers_covering_the_district_for_the_service_are_shortlisted(referral, open_dps):
    offer("Shortlisted", arrangement=open_dps)
    offer(
        "Wrong service",
        arrangement=arrangement("Reablement DPS", ServiceCode.REABLEMENT),
        service_type=ServiceCode.REABLEMENT,
    )
    offer("Wrong district", arrangement=open_dps, districts=["W2"])
    offer("Inactive provider", arrangement=open_dps, active=False)
    offer("Not enrolled")
    offer("Expired arrangement", arrangement=arrangement("Old home care DPS", starts=-900, expires=-1))
    offer("Arrangement not yet open", arrangement=arrangement("Next home care DPS", starts=5))
    offer("Arrangement for another service", arrangement=arrangement("Reablement market", ServiceCode.REABLEMENT))

    assert names(shortlist_for(referral).entries) == ["Shortlisted"]
    off = {e.provider.name: e.reasons[-1] for e in off_framework_for(referral).entries}
    assert off == {
        "Not enrolled": "Not on a purchasing arrangement",
        "Expired arrangement": f"Old home care DPS expired on {TODAY() - timedelta(days=1):%-d %B %Y}",
        "Arrangement not yet open": f"Next home care DPS starts on {TODAY() + timedelta(days=5):%-d %B %Y}",
        "Arrangement for another service": "Reablement market is not for this service",
    }


def test_an_arrangement_is_open_through_its_last_day(referral):
    ending = arrangement("Ending DPS", expires=1)
    offer("On an ending DPS", arrangement=ending)
    with time_machine.travel(ending.expires_on, tick=False):
        assert names(shortlist_for(referral).entries) == ["On an ending DPS"]
    with time_machine.travel(ending.expires_on + timedelta(days=1), tick=False):
        assert names(shortlist_for(referral).entries) == []
        assert names(off_framework_for(referral).entries) == ["On an ending DPS"]


def test_ranked_by_skills_then_language_then_rating_then_capacity_then_name(referral, open_dps):
    both = [Specialism.DEMENTIA, Specialism.BARIATRIC_CARE]
    good, outstanding = Provider.CQCRating.GOOD, Provider.CQCRating.OUTSTANDING
    offer("Alpha", arrangement=open_dps, specialisms=both, languages=["English"], weekly_hours_capacity=10)
    offer(
        "Bravo",
        arrangement=open_dps,
        specialisms=both,
        languages=["bengali"],
        weekly_hours_capacity=5,
        rating=Provider.CQCRating.REQUIRES_IMPROVEMENT,
    )
    offer("Charlie", arrangement=open_dps, specialisms=both, rating=outstanding, weekly_hours_capacity=0)
    offer("Echo", arrangement=open_dps, specialisms=both, weekly_hours_capacity=40)
    offer("Delta", arrangement=open_dps, specialisms=both, weekly_hours_capacity=40)
    offer("Hotel", arrangement=open_dps, specialisms=both, weekly_hours_capacity=None, rating=good)
    offer(
        "Foxtrot",
        arrangement=open_dps,
        specialisms=[Specialism.DEMENTIA, Specialism.AUTISM],
        languages=["Bengali"],
        rating=outstanding,
        weekly_hours_capacity=100,
    )
    offer("Golf", arrangement=open_dps, specialisms=[], languages=["Bengali"], rating=outstanding)

    entries = shortlist_for(referral).entries

    assert names(entries) == ["Bravo", "Charlie", "Delta", "Echo", "Alpha", "Hotel", "Foxtrot", "Golf"]
    assert [e.rank for e in entries] == list(range(1, 9))
    bravo, foxtrot, golf = entries[0], entries[6], entries[7]
    assert bravo.reasons == [
        "Covers E1",
        "Has dementia",
        "Has bariatric care",
        "Speaks Bengali",
        "CQC: Requires improvement",
        "Capacity 5 hours a week",
    ]
    assert foxtrot.matched_specialisms == [Specialism.DEMENTIA]
    assert foxtrot.missing_specialisms == [Specialism.BARIATRIC_CARE]
    assert foxtrot.reasons == [
        "Covers E1",
        "Has dementia",
        "Missing: bariatric care",
        "Speaks Bengali",
        "CQC: Outstanding",
        "Capacity 100 hours a week",
    ]
    assert golf.reasons[1:3] == ["Missing: dementia", "Missing: bariatric care"]
    assert entries[1].reasons[3] == "Does not list Bengali"
    assert entries[5].reasons[-1] == "Capacity not known"
    assert entries[0].provider_service.provider == entries[0].provider


def test_a_referral_without_a_plan_is_ranked_on_rating_and_capacity(social_worker, person, open_dps):
    referral = urgent_referral(social_worker, person)
    offer("Good", arrangement=open_dps, weekly_hours_capacity=80)
    offer("Outstanding", arrangement=open_dps, rating=Provider.CQCRating.OUTSTANDING, weekly_hours_capacity=5)
    entries = shortlist_for(referral).entries
    assert names(entries) == ["Outstanding", "Good"]
    assert entries[0].reasons == ["Covers E1", "CQC: Outstanding", "Capacity 5 hours a week"]


def test_off_framework_providers_are_ranked_the_same_way(referral):
    offer("Spot B", specialisms=[Specialism.DEMENTIA])
    offer("Spot A", specialisms=[Specialism.DEMENTIA, Specialism.BARIATRIC_CARE], rating=Provider.CQCRating.INADEQUATE)
    entries = off_framework_for(referral).entries
    assert names(entries) == ["Spot A", "Spot B"]
    assert entries[1].reasons[2] == "Missing: bariatric care"


@pytest.mark.parametrize("count", [2, 10])
def test_the_shortlist_takes_two_queries_whatever_its_length(referral, open_dps, django_assert_num_queries, count):
    for n in range(count):
        offer(f"Provider {n}", arrangement=open_dps, specialisms=[Specialism.DEMENTIA], languages=["Bengali"])
        offer(f"Spot {n}")
    with django_assert_num_queries(2):
        entries = shortlist_for(referral).entries
        [(e.provider.name, e.provider_service.arrangement.name) for e in entries]
    with django_assert_num_queries(2):
        off = off_framework_for(referral).entries
        [(e.provider.name, e.provider_service.arrangement) for e in off]
    assert (len(entries), len(off)) == (count, count)


def test_only_the_best_are_read_and_all_are_counted(referral, open_dps, django_assert_num_queries):
    for n, capacity in enumerate([10, 40, 30, 20, 50]):
        offer(f"Provider {n}", arrangement=open_dps, specialisms=[Specialism.DEMENTIA], weekly_hours_capacity=capacity)
    everyone = shortlist_for(referral)
    best = shortlist_for(referral, best=2)
    assert (everyone.total, best.total) == (5, 5)
    assert names(best.entries) == names(everyone.entries)[:2] == ["Provider 4", "Provider 1"]
    assert [e.rank for e in best.entries] == [1, 2]
