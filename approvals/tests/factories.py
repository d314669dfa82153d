"""Approvals in each state, reached through approvals.services as the panel or a head of service would reach them."""

from decimal import Decimal

from approvals.models import Approval
from approvals.services import decide_approval, request_funding
from catalogue.codes import ServiceCode
from people.tests.factories import make_plan


def requested(worker, person, *, service_type=ServiceCode.HOME_CARE) -> Approval:
    """A plan's funding asked for: the panel's for home care, a head of service's for a placement."""
    return request_funding(make_plan(worker, person, service_type=service_type), acting_user=worker)


def decided(approval, decider, decision: str, amount=None, notes: str = "") -> Approval:
    if decision == "approved" and amount is None:
        amount = Decimal("250.00")
    return decide_approval(approval, acting_user=decider, decision=decision, approved_weekly_amount=amount, notes=notes)
