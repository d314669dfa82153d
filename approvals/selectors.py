"""Reading approvals. A workflow's condition asks `is_approved`; Brokerage asks `approved_weekly_amount` before it
commissions (SPEC §2). Each is one query."""

from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from .models import Approval, ApprovalTransition
from .workflows import ANNUAL_KINDS, Kind, State, funding_kind

# What funds a plan today: the panel (weekly, or a respite allowance for the year), or out of panel a head of
# service. Later kinds (a fee) say nothing about it.
FUNDING = (Kind.PANEL, Kind.OUT_OF_PANEL, Kind.RESPITE_ALLOWANCE)


def is_approved(plan_id: int | None, *, kinds=FUNDING) -> bool:
    """Has the plan been approved (by the panel or, out of panel, a head of service)? One query."""
    if plan_id is None:
        return False
    return Approval.objects.filter(plan_id=plan_id, kind__in=kinds, state=State.APPROVED).exists()


def approved_weekly_amount(plan_id: int | None, *, kinds=FUNDING) -> Decimal | None:
    """The weekly amount the latest approval of the plan authorised, or None if none was approved.
    Brokerage may not commission more (SPEC §2). One query."""
    if plan_id is None:
        return None
    return (
        Approval.objects.filter(plan_id=plan_id, kind__in=kinds, state=State.APPROVED)
        .order_by("-decided_at", "-id")
        .values_list("approved_weekly_amount", flat=True)
        .first()
    )


def approved_allowance(plan_id: int | None) -> Approval | None:
    """The latest annual respite allowance the panel approved on the plan, or None. One query."""
    if plan_id is None:
        return None
    return (
        Approval.objects.filter(plan_id=plan_id, kind=Kind.RESPITE_ALLOWANCE, state=State.APPROVED)
        .order_by("-decided_at", "-id")
        .first()
    )


def is_annual(plan) -> bool:
    """Is this plan's funding approved as a sum for a year (a respite allowance), not a weekly amount?"""
    return funding_kind(plan) in ANNUAL_KINDS


def approvals_for_plan(plan) -> QuerySet[Approval]:
    """The plan's approvals, newest first, each with its `decisions` (newest first, with who made them). Two
    queries, however many there are."""
    decisions = Prefetch(
        "transitions",
        queryset=ApprovalTransition.objects.select_related("by").order_by("-at", "-id"),  # each step is a decision
        to_attr="decisions",
    )
    return Approval.objects.filter(plan=plan).prefetch_related(decisions)
