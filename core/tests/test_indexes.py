"""Each index added for county scale serves the query it was made for. A test database is too small for
PostgreSQL to prefer an index by itself, so sequential scans are priced out for the EXPLAIN: what is left
is whether the index can answer the query at all. bench/county.py shows them chosen on a county's data."""

import pytest
from django.db import connection
from django.db.models import Count, F, Q, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone

from audit.selectors import audit_events_for_person, lists_showing
from audit.services import record_list_view
from brokerage.selectors import QueueFilters, QueueView, queue, queue_counts
from concerns.selectors import needing_action
from core.pagination import Row, keyset_page
from people.models import Person
from people.selectors import NAME_ORDER, people_visible_to
from placements.selectors import fee_approvals_awaiting
from purchase_orders.models import PurchaseOrder
from purchase_orders.selectors import ORDERS_NEWEST_FIRST, orders_for_finance
from reablement.selectors import CASES_NEWEST_FIRST, cases_for_spa, waiting_for_team
from referrals.models import Referral
from referrals.selectors import FUNDING_ORDER, referrals_awaiting_funding
from referrals.tests.factories import urgent_referral
from referrals.workflows import BROKERAGE_STATES
from reviews.selectors import reviews_for_review_team, reviews_for_user

pytestmark = pytest.mark.django_db


def plan_of(queryset, *also_off: str) -> str:
    """EXPLAIN with sequential scans (and any of also_off: "sort", "indexscan") priced out."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for method in ("seqscan", *also_off):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def case(social_worker, person):
    return urgent_referral(social_worker, person)


def test_an_officers_people_are_read_in_name_order_and_their_teams_work_by_index(case, officer_east):
    plan = plan_of(people_visible_to(officer_east).order_by(*NAME_ORDER)[:26], "sort")
    assert "person_name_order" in plan and "referral_team_work" in plan


def test_a_practitioners_people_are_read_from_their_caseload_index(case, social_worker):
    assert "person_caseload" in plan_of(people_visible_to(social_worker).order_by(*NAME_ORDER)[:26])


@pytest.mark.parametrize("field", ["first_name", "last_name", "postcode"])
def test_a_search_for_part_of_a_name_or_postcode_uses_its_trigram_index(case, social_worker, field):

    assert f"person_{field}_trgm" in plan_of(Person.objects.filter(**{f"{field}__icontains": "thomp"}).order_by())


def test_the_team_queue_is_read_in_its_order_and_counted_from_its_index_alone(case, lead_east):

    assert "referral_team_queue" in plan_of(queue(lead_east, QueueFilters(view=QueueView.TEAM))[:50], "sort")
    # The counts on an officer's home page (brokerage.selectors.queue_counts), read from the index alone.
    counts = (
        Referral.objects.filter(team="east", state__in=BROKERAGE_STATES)
        .values("team")
        .annotate(
            unallocated=Count("id", filter=Q(state="queued")),
            mine=Count("id", filter=Q(allocated_to=lead_east)),
            overdue=Count("id", filter=Q(due_by__lt=timezone.now())),
        )
        .order_by()
    )
    with connection.cursor() as cursor:  # rolled back with the test: only the covering index is left to answer
        cursor.execute("DROP INDEX referral_team_work")
        cursor.execute("DROP INDEX referral_queue")  # else chosen when other tests have left the table analysed
    assert "Index Only Scan using referral_team_queue" in plan_of(counts, "bitmapscan")
    assert queue_counts(lead_east)["unallocated"] == 1


def test_the_unallocated_queue_asks_for_its_one_state_and_is_read_in_its_order(case, officer_east):
    """Only "queued", not also "one of the queue's states": PostgreSQL would take the two as independent, expect a
    few rows for thousands, and join them all to their people before sorting."""
    plan = plan_of(queue(officer_east, QueueFilters(view=QueueView.UNALLOCATED))[:50], "sort")
    assert "ANY" not in plan and "Sort" not in plan


def test_an_officers_own_tasks_are_read_in_the_queues_order(case, officer_east):
    with connection.cursor() as cursor:  # rolled back with the test: the team's queue would do on a tiny table
        cursor.execute("DROP INDEX referral_team_queue")
    assert "referral_officer_queue" in plan_of(queue(officer_east, QueueFilters(view=QueueView.MINE))[:50], "sort")


def test_a_deep_page_of_purchase_orders_starts_at_its_key(finance_officer):

    page = keyset_page(orders_for_finance(), ordering=ORDERS_NEWEST_FIRST, size=50)
    assert page.object_list == [] and PurchaseOrder.objects.count() == 0

    deep = orders_for_finance().filter(LessThan(Row(F("issued_at"), F("id")), Row(Value(timezone.now()), Value(1))))
    assert "po_newest_first" in plan_of(deep.order_by(*ORDERS_NEWEST_FIRST)[:51])


def test_a_deep_page_of_reablement_cases_starts_at_its_key(spa_worker):
    deep = cases_for_spa().filter(LessThan(Row(F("created_at"), F("id")), Row(Value(timezone.now()), Value(1))))
    assert "reablement_case_newest" in plan_of(deep.order_by(*CASES_NEWEST_FIRST)[:51], "sort")


def test_the_reablement_changes_waiting_for_a_team_are_read_in_their_order(officer_east):
    assert "reablement_case_waiting" in plan_of(waiting_for_team(officer_east.team_id)[:20], "sort")


@pytest.mark.parametrize("role", ["cap_member", "head_of_service"])
def test_the_funding_decisions_waiting_are_read_in_their_order(request, role):
    """So a page joins its own rows to people and plans, not every plan waiting."""
    waiting = referrals_awaiting_funding(request.getfixturevalue(role))
    deep = waiting.filter(GreaterThan(Row(F("submitted_at"), F("id")), Row(Value(timezone.now()), Value(1))))
    assert "referral_awaiting_funding" in plan_of(deep.order_by(*FUNDING_ORDER)[:51], "sort")


def test_the_fees_waiting_for_a_head_of_service_are_read_in_their_order(head_of_service):
    assert "placement_state_oldest" in plan_of(fee_approvals_awaiting(head_of_service)[:20], "sort")


def test_the_open_reviews_are_read_in_their_order_however_many_fall_due_on_a_day(social_worker):
    """Down to the id, so the first page needs no sort of all those due on its first day: the review team's list of
    each state, and a worker's."""
    for plan in (
        *(plan_of(reviews_for_review_team(state)[:50], "sort") for state in ("scheduled", "due", "overdue")),
        plan_of(reviews_for_user(social_worker)[:20], "sort"),
    ):
        assert "review_open_" in plan and "Sort" not in plan


def test_an_inbox_is_read_from_its_index(first_response):
    assert "concern_inbox" in plan_of(needing_action(first_response)[:51])


def test_a_persons_history_finds_the_lists_that_showed_them(case, person, officer_east):
    """Every page that lists names adds a list event: the history must not read them all to find one person."""

    for n in range(300):
        record_list_view(actor=officer_east, what="the East task queue", people=[10_000 + n, 20_000 + n])
    record_list_view(actor=officer_east, what="the East task queue", people=[person.pk])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")  # as autovacuum would: the planner knows list events abound
    assert "audit_list_views" in plan_of(lists_showing(person), "indexscan")
    assert [e.summary for e in audit_events_for_person(person)][0] == "Viewed the East task queue"
