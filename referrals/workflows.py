"""The referral's state machine: how a piece of work reaches Brokerage and is worked.

Each condition's docstring is the reason shown when it is unmet; each permission is a rule
about who may act. Side effects (timeline, audit, e-mail) live in referrals.services.
"""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from approvals.workflows import DECIDED_BY, Kind
from catalogue.sourcing import route_of


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_FUNDING = "awaiting_funding", "Awaiting a funding decision"
    HELD_FOR_RISK = "held_for_risk", "Held until risk strategies are agreed"
    QUEUED = "queued", "In the team queue"
    ALLOCATED = "allocated", "With a brokerage officer"
    ACTIVE = "active", "Active: purchase order issued"
    OPTIONS_RETURNED = "options_returned", "Options returned to the social worker"
    REFERRED_ON = "referred_on", "Referred on"
    DECLINED = "declined", "Funding declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATES = (State.AWAITING_FUNDING, State.HELD_FOR_RISK, State.QUEUED, State.ALLOCATED)
# Brokerage's work in progress: what the queue shows. An allocated referral's sourcing is its service type's own
# workflow (catalogue.sourcing): a commission's or a placement's.
BROKERAGE_STATES = (State.QUEUED, State.ALLOCATED)
# The work a Brokerage team has for a person: in its queue, being worked, or running as a service it administers.
TEAM_WORK_STATES = (*BROKERAGE_STATES, State.ACTIVE)
# A referral that still stands for its plan: a second of the same kind for the same plan is a duplicate.
LIVE_STATES = (State.DRAFT, *OPEN_STATES, State.ACTIVE)
# A change to a running package is open until it is made (the referral active): then another of its kind may follow.
CHANGE_OPEN_STATES = (State.DRAFT, *OPEN_STATES)


# Who may act ------------------------------------------------------------------------------
def is_referrer(referral, user) -> bool:
    return user.is_practitioner and referral.referred_by_id == user.pk


def is_persons_practitioner(referral, user) -> bool:
    return user.is_practitioner and referral.person.allocated_worker_id == user.pk


def can_decide_funding(referral, user) -> bool:
    """Who decides the plan's approval decides for the referral too (approvals.workflows.DECIDED_BY)."""
    kind = Kind.OUT_OF_PANEL if referral.needs_out_of_panel_approval else Kind.PANEL
    return user.has_role(DECIDED_BY[kind].role)


def is_team_officer(referral, user) -> bool:
    return user.is_brokerage and user.team_id == referral.team_id


def is_team_lead(referral, user) -> bool:
    return user.is_team_lead and user.team_id == referral.team_id


def is_allocated_officer(referral, user) -> bool:
    return is_team_officer(referral, user) and referral.allocated_to_id == user.pk


def may_withdraw(referral, user) -> bool:
    return is_referrer(referral, user) or is_persons_practitioner(referral, user)


# What must be true ------------------------------------------------------------------------
def is_authorised(referral) -> bool:
    """The plan needs funding from the Care Authorisation Panel or a head of service first."""
    return not referral.needs_funding or referral.has_approved_funding


def needs_funding_decision(referral) -> bool:
    """This referral needs no funding decision."""
    return referral.needs_funding and not referral.has_approved_funding


def not_held_for_risk(referral) -> bool:
    """This reduction or suspension puts the person or carer at risk: risk strategies must be agreed first."""
    return not referral.puts_person_at_risk or referral.risk_strategies_agreed_at is not None


def held_for_risk(referral) -> bool:
    """This change does not put the person or carer at risk."""
    return not not_held_for_risk(referral)


def risk_strategies_agreed(referral) -> bool:
    """Risk management strategies have not been recorded as agreed."""
    return referral.risk_strategies_agreed_at is not None


def is_brokered(referral) -> bool:
    """This service is referral-only: it is referred on, not sourced."""
    return not referral.is_referral_only


def is_referral_only(referral) -> bool:
    """Only extra care and carers' support are referred on."""
    return referral.is_referral_only


def is_sourcing_support(referral) -> bool:
    """Options are returned only for a sourcing support request."""
    return referral.kind == referral.Kind.SOURCING_SUPPORT


def commissioned_by_own_workflow(referral) -> bool:
    """The service type's own workflow has not issued the purchase order yet."""
    route = route_of(referral)
    return route is not None and route.is_commissioned(referral)


def no_agreement_made(referral) -> bool:
    """The service agreement is made and the person's details shared: ask Brokerage to end the service instead."""
    return referral.active_agreement is None


def options_recorded(referral) -> bool:
    """Record the options found before returning them."""
    return bool(referral.sourcing_options.strip())


class ReferralWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.DRAFT, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(
        state, source=State.DRAFT, target=State.REFERRED_ON, permission=is_referrer, conditions=[is_referral_only]
    )
    def refer_on(self):
        """Record where a referral-only service went."""

    @transition(
        state,
        source=State.DRAFT,
        target=State.HELD_FOR_RISK,
        permission=is_referrer,
        conditions=[is_brokered, held_for_risk],
    )
    def hold_for_risk(self):
        """A risky reduction or suspension waits for agreed risk strategies."""

    @transition(
        state,
        source=State.DRAFT,
        target=State.AWAITING_FUNDING,
        permission=is_referrer,
        conditions=[is_brokered, not_held_for_risk, needs_funding_decision],
    )
    def send_for_funding(self):
        """The plan goes to the Care Authorisation Panel, or a head of service."""

    @transition(
        state,
        source=State.DRAFT,
        target=State.QUEUED,
        permission=is_referrer,
        conditions=[is_brokered, not_held_for_risk, is_authorised],
    )
    def send_to_brokerage(self):
        """The referral joins its team's queue."""

    @transition(
        state,
        source=State.AWAITING_FUNDING,
        target=State.QUEUED,
        permission=can_decide_funding,
        conditions=[is_authorised],
        custom={"action": "referrals/actions/funding.html", "form_supplies": [is_authorised]},
    )
    def authorise(self):
        """Funding approved: the plan goes to Brokerage."""

    @transition(state, source=State.AWAITING_FUNDING, target=State.AWAITING_FUNDING, permission=can_decide_funding)
    def defer_funding(self):
        """The panel deferred its decision."""

    @transition(state, source=State.AWAITING_FUNDING, target=State.DECLINED, permission=can_decide_funding)
    def decline_funding(self):
        """The panel or head of service declined funding."""

    @transition(
        state,
        source=State.HELD_FOR_RISK,
        target=State.QUEUED,
        permission=is_persons_practitioner,
        conditions=[risk_strategies_agreed],
        custom={"action": "referrals/actions/risk.html", "form_supplies": [risk_strategies_agreed]},
    )
    def release_after_risk_agreed(self):
        """Risk strategies agreed: the change goes to Brokerage."""

    @transition(
        state,
        source=State.QUEUED,
        target=State.ALLOCATED,
        permission=is_team_officer,
        custom={"action": "referrals/actions/take.html"},
    )
    def take(self):
        """An officer takes the task from the team queue."""

    @transition(
        state,
        source=[State.QUEUED, State.ALLOCATED],
        target=State.ALLOCATED,
        permission=is_team_lead,
        custom={"action": "referrals/actions/allocate.html"},
    )
    def allocate(self):
        """The team lead gives the task to an officer."""

    @transition(
        state,
        source=State.ALLOCATED,
        target=State.OPTIONS_RETURNED,
        permission=is_allocated_officer,
        conditions=[is_sourcing_support, options_recorded],
        custom={"action": "referrals/actions/options.html", "form_supplies": [options_recorded]},
    )
    def return_options(self):
        """Sourcing support: the options found go back to the social worker."""

    @transition(
        state,
        source=State.ALLOCATED,
        target=State.ACTIVE,
        permission=is_allocated_officer,
        conditions=[commissioned_by_own_workflow],
    )
    def record_commissioned(self):
        """The service type's own workflow (a commission or a placement) has issued the purchase order: the work is
        done."""

    @transition(
        state,
        source=list(OPEN_STATES) + [State.DRAFT],
        target=State.WITHDRAWN,
        permission=may_withdraw,
        conditions=[no_agreement_made],
        custom={"action": "referrals/actions/withdraw.html"},
    )
    def withdraw(self):
        """The practitioner withdraws the referral."""


# Where each state sits in the picture (column, row): the main path runs down the middle.
LAYOUT = {
    State.DRAFT: (1, 0),
    State.REFERRED_ON: (0, 0),
    State.HELD_FOR_RISK: (0, 1),
    State.AWAITING_FUNDING: (2, 1),
    State.DECLINED: (2, 2),
    State.QUEUED: (1, 2),
    State.ALLOCATED: (1, 3),
    State.OPTIONS_RETURNED: (0, 3),
    State.WITHDRAWN: (2, 3),
    State.ACTIVE: (1, 4),
}
