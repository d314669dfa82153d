"""Every list, home and queue page keeps its query count when the data grows: each list is one query
(or a fixed few), never one per row. bench/county.py measures the same pages at county scale."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brokerage.models import ServiceAgreement
from concerns.services import raise_concern
from dps.tests.factories import PurchasingArrangementFactory, active, bidder, closed, published, submit
from packages.services import change_terms
from people.tests.factories import make_person
from referrals.tests.factories import awaiting_funding_referral, urgent_referral


def count(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # process-wide caches (content types) fill on the first request, not per request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.fixture
def county(social_worker, officer_east, cap_member, east_area, first_response):
    """Adds n of everything each role lists: queued and active cases, plans awaiting the panel, concerns."""

    def grow(n: int) -> None:
        for _ in range(n):
            person = make_person(social_worker, east_area, last_name="Thompson")
            urgent_referral(social_worker, person)
            awaiting_funding_referral(social_worker, make_person(social_worker, east_area, last_name="Thompson"))
            active(make_person(social_worker, east_area, last_name="Thompson"), cap_member, officer_east)
            raise_concern(acting_user=social_worker, person=person, kind="safeguarding", details="Bruising")

    return grow


PAGES = [  # (role fixture, URL)
    ("social_worker", "home"),
    ("social_worker", "people:list"),
    ("officer_east", "home"),
    ("officer_east", "people:list"),
    ("officer_east", "people:list?q=Thomp"),
    ("officer_east", "brokerage:queue?view=mine"),
    ("lead_east", "home"),
    ("lead_east", "brokerage:queue?view=team"),
    ("cap_member", "home"),
    ("cap_member", "referrals:funding_list"),
    ("first_response", "home"),
    ("first_response", "concerns:inbox"),
    ("finance_officer", "purchase_orders:list"),
]


def _url(name: str) -> str:
    name, _, query = name.partition("?")
    return reverse(name) + (f"?{query}" if query else "")


@pytest.mark.parametrize(("role", "name"), PAGES, ids=[f"{r}-{n}" for r, n in PAGES])
def test_a_list_page_does_not_grow_its_query_count_with_the_data(client, county, request, role, name):
    user = request.getfixturevalue(role)
    county(1)
    few = count(client, user, _url(name))
    county(4)
    assert count(client, user, _url(name)) == few


def test_the_portal_lists_do_not_grow_their_query_count(client, social_worker, cap_member, officer_east, east_area):
    arrangement = PurchasingArrangementFactory()
    provider = bidder(arrangement)

    def grow(n):
        for _ in range(n):
            case = published(
                make_person(social_worker, east_area), cap_member, officer_east, arrangement=arrangement, prices=()
            )
            submit(case.requirement, provider)

    grow(1)
    few = {
        name: count(client, provider, reverse(name))
        for name in ["portal:home", "portal:requirements", "portal:bids", "portal:agreements"]
    }
    grow(4)
    assert {name: count(client, provider, reverse(name)) for name in few} == few


def test_the_bids_page_does_not_grow_its_query_count_with_the_bids(
    client, social_worker, cap_member, officer_east, east_area
):
    """The bids under review, each scored, ranked and flagged when above the approved weekly amount."""
    one = closed(make_person(social_worker, east_area), cap_member, officer_east, prices=(Decimal("25.01"),))
    four = closed(
        make_person(social_worker, east_area),
        cap_member,
        officer_east,
        prices=(Decimal("25.01"), Decimal("24.00"), Decimal("26.00"), Decimal("25.00")),
    )
    few = count(client, officer_east, reverse("dps:requirement", args=[one.requirement.pk]))
    assert count(client, officer_east, reverse("dps:requirement", args=[four.requirement.pk])) == few


@pytest.mark.parametrize("role", ["social_worker", "officer_east"])
def test_a_persons_page_does_not_grow_its_query_count_with_their_services(
    client, request, settings, tmp_path, role, person, cap_member, officer_east
):
    """Their services and agreements (brokerage.sections): current and past, each with its order in force; and
    their care packages (packages.sections), each with its versions."""
    settings.MEDIA_ROOT = tmp_path
    user = request.getfixturevalue(role)

    def grow(n: int) -> None:
        for _ in range(n):
            current = active(person, cap_member, officer_east)
            change_terms(  # a revision: the order it supersedes is not listed, and a second version
                current.package,
                acting_user=officer_east,
                valid_from=current.agreement.start_date + timedelta(days=7),
                hourly_rate=Decimal("21.00"),
                reason="Rate agreed",
            )
            ended = active(person, cap_member, officer_east).agreement
            ServiceAgreement.objects.filter(pk=ended.pk).update(
                status=ServiceAgreement.Status.ENDED, end_date=timezone.localdate() - timedelta(days=1)
            )

    url = reverse("people:detail", args=[person.pk])
    grow(1)
    few = count(client, user, url)
    grow(3)
    assert count(client, user, url) == few


@pytest.mark.parametrize("name", ["brokerage:queue?view=mine", "home"])
def test_the_queue_says_where_each_tasks_sourcing_is_in_its_own_query(
    client, name, social_worker, east_area, cap_member, head_of_service, officer_east
):
    """Where each task's own work is (a commission, a placement) is read with the rows: the count is the same
    whichever service types' tasks are on the page."""
    from placements.tests.factories import started

    published(make_person(social_worker, east_area), cap_member, officer_east)
    home_care_only = count(client, officer_east, _url(name))
    started(make_person(social_worker, east_area), head_of_service, officer_east)
    page = client.get(_url(name)).content.decode()
    assert count(client, officer_east, _url(name)) == home_care_only
    assert "Requirement published for bids" in page and "Requirement to publish" in page
