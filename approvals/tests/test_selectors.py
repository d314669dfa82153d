"""approvals.selectors: what a workflow's condition asks, and what Brokerage may commission, each in one query; a
plan's approvals with their decisions in two, however many there are."""

from decimal import Decimal

import pytest

from approvals.selectors import approvals_for_plan, approved_weekly_amount, is_approved
from approvals.services import request_funding
from approvals.tests.factories import decided, requested
from people.tests.factories import make_plan

pytestmark = pytest.mark.django_db


def test_a_plan_is_approved_only_once_an_approval_of_it_is(
    social_worker, person, cap_member, django_assert_num_queries
):
    approval = requested(social_worker, person)
    plan_id = approval.plan_id
    with django_assert_num_queries(1):
        assert is_approved(plan_id) is False
    decided(approval, cap_member, "deferred")
    assert is_approved(plan_id) is False
    decided(approval, cap_member, "approved")
    with django_assert_num_queries(1):
        assert is_approved(plan_id) is True
    assert is_approved(make_plan(social_worker, person).pk) is False  # another plan of the same person


def test_a_declined_plan_is_not_approved(social_worker, person, cap_member):
    approval = decided(requested(social_worker, person), cap_member, "declined")
    assert is_approved(approval.plan_id) is False and approved_weekly_amount(approval.plan_id) is None


def test_no_plan_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert is_approved(None) is False and approved_weekly_amount(None) is None


def test_the_approved_weekly_amount_is_the_latest_approvals(
    social_worker, person, cap_member, django_assert_num_queries
):
    plan = make_plan(social_worker, person)
    with django_assert_num_queries(1):
        assert approved_weekly_amount(plan.pk) is None
    decided(request_funding(plan, acting_user=social_worker), cap_member, "approved", Decimal("200.00"))
    decided(request_funding(plan, acting_user=social_worker), cap_member, "approved", Decimal("275.50"))
    with django_assert_num_queries(1):
        assert approved_weekly_amount(plan.pk) == Decimal("275.50")


@pytest.mark.parametrize("approvals", [1, 4])
def test_a_plans_approvals_and_their_decisions_take_two_queries(
    approvals, social_worker, person, cap_member, django_assert_num_queries
):
    plan = make_plan(social_worker, person)
    for _ in range(approvals):
        approval = request_funding(plan, acting_user=social_worker)
        decided(approval, cap_member, "deferred", notes="More information")
        decided(approval, cap_member, "declined")
    with django_assert_num_queries(2):
        found = list(approvals_for_plan(plan))
        decisions = [(d.name, d.by.username, d.approval.kind) for a in found for d in a.decisions]
    assert len(found) == approvals
    assert decisions[:2] == [("decline", cap_member.username, "panel"), ("defer", cap_member.username, "panel")]
