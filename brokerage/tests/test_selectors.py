"""The Brokerage task queue: order, views, filters, counts, and a fixed number of queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from brokerage.selectors import QueueFilters, QueueView, queue, queue_counts, team_workload
from catalogue.codes import ServiceCode
from people.tests.factories import make_person
from referrals import services
from referrals.tests.factories import awaiting_funding_referral, suspension_referral, urgent_referral

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)


def ids(qs):
    return [r.pk for r in qs]


def at(moment, make):
    with time_machine.travel(moment, tick=False):
        return make()


def test_urgent_first_then_oldest_first(social_worker, officer_east, person):
    older = at(MONDAY, lambda: suspension_referral(social_worker, person))
    newer = at(
        MONDAY + timedelta(hours=1),  # one open suspension a package: this is of the person's day centre
        lambda: suspension_referral(social_worker, person, service_type=ServiceCode.DAY_OPPORTUNITIES),
    )
    urgent = at(MONDAY + timedelta(hours=2), lambda: urgent_referral(social_worker, person))
    assert ids(queue(officer_east, QueueFilters())) == [urgent.pk, older.pk, newer.pk]


def test_unallocated_view_shows_only_the_teams_untaken_work(social_worker, officer_east, person, west_person):
    waiting = urgent_referral(social_worker, person)
    services.take_referral(urgent_referral(social_worker, person), acting_user=officer_east)
    awaiting_funding_referral(social_worker, person)
    urgent_referral(social_worker, west_person)
    assert ids(queue(officer_east, QueueFilters(view=QueueView.UNALLOCATED))) == [waiting.pk]


def test_mine_view_shows_only_my_tasks(social_worker, officer_east, other_officer_east, person):
    mine = services.take_referral(urgent_referral(social_worker, person), acting_user=officer_east)
    services.take_referral(urgent_referral(social_worker, person), acting_user=other_officer_east)
    urgent_referral(social_worker, person)
    assert ids(queue(officer_east, QueueFilters(view=QueueView.MINE))) == [mine.pk]


def test_team_view_shows_the_lead_all_the_teams_open_work(social_worker, lead_east, officer_east, person, west_person):
    waiting = at(MONDAY, lambda: urgent_referral(social_worker, person))
    taken = at(MONDAY + timedelta(hours=1), lambda: urgent_referral(social_worker, person))
    services.take_referral(taken, acting_user=officer_east)
    urgent_referral(social_worker, west_person)
    assert ids(queue(lead_east, QueueFilters(view=QueueView.TEAM))) == [waiting.pk, taken.pk]


def test_team_view_is_empty_for_an_officer_who_is_not_a_lead(social_worker, officer_east, person):
    urgent_referral(social_worker, person)
    assert ids(queue(officer_east, QueueFilters(view=QueueView.TEAM))) == []


def test_filter_by_service_type(social_worker, officer_east, person):
    respite = urgent_referral(social_worker, person, service_type=ServiceCode.RESPITE)
    urgent_referral(social_worker, person)
    assert ids(queue(officer_east, QueueFilters(service_type=ServiceCode.RESPITE))) == [respite.pk]


def test_filter_by_state_and_officer(social_worker, lead_east, officer_east, other_officer_east, person):
    waiting = urgent_referral(social_worker, person)
    mine = services.take_referral(urgent_referral(social_worker, person), acting_user=officer_east)
    services.take_referral(urgent_referral(social_worker, person), acting_user=other_officer_east)
    team = QueueView.TEAM
    assert ids(queue(lead_east, QueueFilters(view=team, state="queued"))) == [waiting.pk]
    assert ids(queue(lead_east, QueueFilters(view=team, officer_id=officer_east.pk))) == [mine.pk]


def test_overdue_filter_shows_work_past_its_due_time(social_worker, officer_east, person):
    urgent = at(MONDAY, lambda: urgent_referral(social_worker, person))  # due Tuesday 09:00
    at(MONDAY, lambda: suspension_referral(social_worker, person))  # five working days: due next Monday 09:00
    overdue = QueueFilters(overdue=True)
    with time_machine.travel(MONDAY + timedelta(hours=23), tick=False):
        assert ids(queue(officer_east, overdue)) == []
    with time_machine.travel(MONDAY + timedelta(days=1, minutes=1), tick=False):
        assert ids(queue(officer_east, overdue)) == [urgent.pk]
    with time_machine.travel(MONDAY + timedelta(days=5, minutes=1), tick=False):  # Saturday: not yet
        assert ids(queue(officer_east, overdue)) == [urgent.pk]
    with time_machine.travel(MONDAY + timedelta(days=7, minutes=1), tick=False):
        assert len(ids(queue(officer_east, overdue))) == 2


def test_queue_counts(social_worker, officer_east, other_officer_east, person, west_person):
    at(MONDAY, lambda: suspension_referral(social_worker, person))
    at(MONDAY, lambda: urgent_referral(social_worker, person))
    at(MONDAY, lambda: services.take_referral(urgent_referral(social_worker, person), acting_user=officer_east))
    at(
        MONDAY,
        lambda: services.take_referral(
            suspension_referral(social_worker, person, service_type=ServiceCode.DAY_OPPORTUNITIES),  # one a package
            acting_user=officer_east,
        ),
    )
    at(MONDAY, lambda: services.take_referral(urgent_referral(social_worker, person), acting_user=other_officer_east))
    urgent_referral(social_worker, west_person)
    with time_machine.travel(MONDAY + timedelta(days=2), tick=False):
        counts = queue_counts(officer_east)
    assert counts == {"unallocated": 2, "urgent": 1, "mine": 2, "mine_overdue": 1, "overdue": 3}


def test_team_workload_counts_open_and_overdue_tasks_per_officer(
    social_worker, lead_east, officer_east, other_officer_east, officer_west, person
):
    at(MONDAY, lambda: services.take_referral(urgent_referral(social_worker, person), acting_user=officer_east))
    at(MONDAY, lambda: services.take_referral(suspension_referral(social_worker, person), acting_user=officer_east))
    done = at(MONDAY, lambda: services.take_referral(urgent_referral(social_worker, person), acting_user=officer_east))
    services.withdraw_referral(done, acting_user=social_worker, reason="No longer needed")
    with time_machine.travel(MONDAY + timedelta(days=2), tick=False):
        workload = {row["id"]: (row["open_tasks"], row["overdue_tasks"]) for row in team_workload("east")}
    assert workload == {officer_east.pk: (2, 1), other_officer_east.pk: (0, 0), lead_east.pk: (0, 0)}


@pytest.mark.parametrize("how_many", [3, 30])
def test_a_queue_page_takes_one_query_however_long_the_queue(
    how_many, social_worker, lead_east, officer_east, east_area, django_assert_num_queries
):
    people = [make_person(social_worker, east_area) for _ in range(3)]
    for n in range(how_many):
        if n % 2:
            referral = urgent_referral(social_worker, people[n % 3])
        else:  # one open suspension a package: each of someone else
            referral = suspension_referral(social_worker, make_person(social_worker, east_area))
        if n % 3 == 0:
            services.take_referral(referral, acting_user=officer_east)
    assert lead_east.is_team_lead  # roles are read once per request, not per row
    with django_assert_num_queries(1):
        rows = list(queue(lead_east, QueueFilters(view=QueueView.TEAM))[:50])
        for row in rows:
            str(row.person), row.allocated_to and str(row.allocated_to), row.get_state_display()
    assert len(rows) == how_many
