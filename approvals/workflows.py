"""An approval's state machine: one decision, by the Care Authorisation Panel or a head of service, on what needs it.

requested → approved / declined / deferred; a deferred approval comes back to be approved, declined or deferred
again. Each condition's docstring is the reason shown when it is unmet; the permission is who decides each kind.
Side effects (the audit of the amount, e-mail, the referral's own step) live in the services that decide.
"""

from dataclasses import dataclass

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.roles import Role
from catalogue.codes import ServiceCode


class Kind(models.TextChoices):
    """What is being approved, and so who decides. Later kinds (a negotiated fee, a supported living proposal, a
    respite allowance) join here, with their decider below; the app that needs one holds a foreign key to it."""

    PANEL = "panel", "Care Authorisation Panel"
    OUT_OF_PANEL = "out_of_panel", "Out-of-panel approval by a head of service"
    FEE = "fee", "Placement fee approval by a head of service"
    # The panel approves respite as a sum for the year, not a weekly amount (Haringey procedure, respite step 2).
    RESPITE_ALLOWANCE = "respite_allowance", "Annual respite allowance by the Care Authorisation Panel"


class State(models.TextChoices):
    REQUESTED = "requested", "Awaiting a decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    DEFERRED = "deferred", "Deferred"


# Still waiting for a decision: at most one such approval of a kind for a plan (a database constraint).
OPEN_STATES = (State.REQUESTED, State.DEFERRED)
# A decision is named by the state it leads to ("approved"), and taken by one step.
STEP_FOR_DECISION = {State.APPROVED: "approve", State.DECLINED: "decline", State.DEFERRED: "defer"}
DECISIONS = tuple(STEP_FOR_DECISION)


@dataclass(frozen=True)
class Decider:
    role: Role
    called: str  # in a refusal: "Only a head of service can record this funding decision."


DECIDED_BY = {
    Kind.PANEL: Decider(Role.CAP_MEMBER, "a Care Authorisation Panel member"),
    Kind.OUT_OF_PANEL: Decider(Role.HEAD_OF_SERVICE, "a head of service"),
    Kind.FEE: Decider(Role.HEAD_OF_SERVICE, "a head of service"),
    Kind.RESPITE_ALLOWANCE: Decider(Role.CAP_MEMBER, "a Care Authorisation Panel member"),
}
# The kinds approved as a sum for a year; every other kind is approved up to a weekly amount.
ANNUAL_KINDS = (Kind.RESPITE_ALLOWANCE,)


def funding_kind(plan) -> Kind:
    """Who funds this plan: a head of service out of panel (residential, nursing, supported living), the panel's
    annual allowance for respite, else the panel."""
    if plan.needs_out_of_panel_approval:
        return Kind.OUT_OF_PANEL
    return Kind.RESPITE_ALLOWANCE if plan.service_type_id == ServiceCode.RESPITE else Kind.PANEL


# Who may act ------------------------------------------------------------------------------
def is_decider(approval, user) -> bool:
    return user.has_role(DECIDED_BY[approval.kind].role)


# What must be true ------------------------------------------------------------------------
def amount_given(approval) -> bool:
    """Enter the approved weekly amount."""
    if approval.kind in ANNUAL_KINDS:
        return True
    return approval.approved_weekly_amount is not None and approval.approved_weekly_amount > 0


def annual_amount_given(approval) -> bool:
    """Enter the approved annual allowance."""
    if approval.kind not in ANNUAL_KINDS:
        return True
    return approval.approved_annual_amount is not None and approval.approved_annual_amount > 0


def may_be_deferred(approval) -> bool:
    """An out-of-panel approval is given or declined, not deferred."""
    return approval.kind != Kind.OUT_OF_PANEL


class ApprovalWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(max_length=16, default=State.REQUESTED, choices=State.choices, protected=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=OPEN_STATES,
        target=State.APPROVED,
        permission=is_decider,
        conditions=[amount_given, annual_amount_given],
    )
    def approve(self):
        """Approved, up to a weekly amount (or, for an allowance, a sum for the year): Brokerage may not commission
        more."""

    @transition(state, source=OPEN_STATES, target=State.DECLINED, permission=is_decider)
    def decline(self):
        """Declined: what was asked for does not go ahead."""

    @transition(state, source=OPEN_STATES, target=State.DEFERRED, permission=is_decider, conditions=[may_be_deferred])
    def defer(self):
        """The panel wants more before it decides: the approval comes back to it."""


# Where each state sits in the picture (column, row): asked at the top; deferred between the two outcomes, which it
# can still reach.
LAYOUT = {
    State.REQUESTED: (1, 0),
    State.APPROVED: (0, 1),
    State.DEFERRED: (1, 1),
    State.DECLINED: (2, 1),
}
