"""Approvals' section of a plan's page (people.sections): every decision on the plan, with who made it and when."""

from .selectors import approvals_for_plan

TEMPLATE = "approvals/_plan_decisions.html"


def funding_decisions(user, plan) -> dict:
    """Each decision on the plan, newest first, with its approval's route and amount. Two queries."""
    return {"decisions": [d for approval in approvals_for_plan(plan) for d in approval.decisions]}
