"""The referral's state machine: how a piece of work reaches Brokerage and is worked.

Each condition's docstring is the reason shown when it is unmet; each permission is a rule
about who may act. Side effects (timeline, audit, e-mail) live in referrals.services.
"""

from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from approvals.workflows import DECIDED_BY, Kind
from catalogue.sourcing import route_for


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_FUNDING = "awaiting_funding", "Awaiting a funding decision"
    HELD_FOR_RISK = "held_for_risk", "Held until risk strategies are agreed"
    QUEUED = "queued", "In the team queue"
    ALLOCATED = "allocated", "With a brokerage officer"
    REQUIREMENT_PUBLISHED = "requirement_published", "Requirement published for bids"
    BIDDING_CLOSED = "bidding_closed", "Bidding closed: reviewing bids"
    PROVIDER_SELECTED = "provider_selected", "Provider selected"
    DETAILS_SHARED = "details_shared", "Agreed and shared with the provider"
    ACTIVE = "active", "Active: purchase order issued"
    OPTIONS_RETURNED = "options_returned", "Options returned to the social worker"
    REFERRED_ON = "referred_on", "Referred on"
    DECLINED = "declined", "Funding declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


SOURCING_STATES = (State.REQUIREMENT_PUBLISHED, State.BIDDING_CLOSED, State.PROVIDER_SELECTED)
OPEN_STATES = (State.AWAITING_FUNDING, State.HELD_FOR_RISK, State.QUEUED, State.ALLOCATED, *SOURCING_STATES)
# Brokerage's work in progress: what the queue shows.
BROKERAGE_STATES = (State.QUEUED, State.ALLOCATED, *SOURCING_STATES, State.DETAILS_SHARED)
# The work a Brokerage team has for a person: in its queue, being worked, or running as a service it administers.
TEAM_WORK_STATES = (*BROKERAGE_STATES, State.ACTIVE)
# A referral that still stands for its plan: a second of the same kind for the same plan is a duplicate.
LIVE_STATES = (State.DRAFT, *OPEN_STATES, State.DETAILS_SHARED, State.ACTIVE)


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


def is_to_be_sourced(referral) -> bool:
    """Sourcing support is answered with options, not commissioned."""
    return referral.kind != referral.Kind.SOURCING_SUPPORT


def sourced_on_referral(referral) -> bool:
    """This service type is sourced in its own workflow: work it from its own page."""
    return route_for(referral.service_type_id) is None


def commissioned_by_own_workflow(referral) -> bool:
    """The service type's own workflow has not issued the purchase order yet."""
    route = route_for(referral.service_type_id)
    return route is not None and route.is_commissioned(referral)


def has_live_requirement(referral) -> bool:
    """Publish a requirement first."""
    return referral.live_requirement is not None


def bidding_time_over(referral) -> bool:
    """Bidding is still open: wait for the closing time."""
    requirement = referral.live_requirement
    return requirement is not None and requirement.closes_at <= timezone.now()


def provider_chosen(referral) -> bool:
    """Choose a provider, with a reason, first."""
    return referral.chosen_provider_id is not None


def has_active_agreement(referral) -> bool:
    """Create the service agreement first."""
    return referral.active_agreement is not None


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
        target=State.REQUIREMENT_PUBLISHED,
        permission=is_allocated_officer,
        conditions=[is_to_be_sourced, sourced_on_referral, has_live_requirement],
        custom={"action": "referrals/actions/publish.html", "form_supplies": [has_live_requirement]},
    )
    def publish_requirement(self):
        """The package goes out to the arrangement's providers, anonymised."""

    @transition(
        state,
        source=State.REQUIREMENT_PUBLISHED,
        target=State.BIDDING_CLOSED,
        permission=is_allocated_officer,
        conditions=[bidding_time_over],
        custom={"action": "referrals/actions/close_bidding.html"},
    )
    def close_bidding(self):
        """After the closing time the officer reviews the bids."""

    @transition(
        state,
        source=State.BIDDING_CLOSED,
        target=State.REQUIREMENT_PUBLISHED,
        permission=is_allocated_officer,
        conditions=[has_live_requirement],
    )
    def republish(self):
        """No bids, or none acceptable: the package goes out again."""

    @transition(
        state,
        source=State.BIDDING_CLOSED,
        target=State.PROVIDER_SELECTED,
        permission=is_allocated_officer,
        conditions=[provider_chosen],
    )
    def select_provider(self):
        """The best bid is confirmed, with a reason."""

    @transition(
        state,
        source=[State.ALLOCATED, State.BIDDING_CLOSED],
        target=State.PROVIDER_SELECTED,
        permission=is_allocated_officer,
        conditions=[is_to_be_sourced, sourced_on_referral, provider_chosen],
        custom={"action": "referrals/actions/spot_contract.html", "form_supplies": [provider_chosen]},
    )
    def commission_spot_contract(self):
        """No framework provider can deliver: a provider off the framework, with a reason."""

    @transition(
        state,
        source=State.PROVIDER_SELECTED,
        target=State.DETAILS_SHARED,
        permission=is_allocated_officer,
        conditions=[has_active_agreement],
        custom={"action": "referrals/actions/award.html", "form_supplies": [has_active_agreement]},
    )
    def award(self):
        """The service agreement is made and the person's details shared with the provider."""

    @transition(
        state,
        source=State.DETAILS_SHARED,
        target=State.ACTIVE,
        permission=is_allocated_officer,
        conditions=[has_active_agreement],
        custom={"action": "referrals/actions/issue_purchase_order.html"},
    )
    def issue_purchase_order(self):
        """The record is updated and the purchase order issued: the service is active."""

    @transition(
        state,
        source=State.ALLOCATED,
        target=State.ACTIVE,
        permission=is_allocated_officer,
        conditions=[commissioned_by_own_workflow],
    )
    def record_commissioned(self):
        """The service type's own workflow (a placement, say) has issued the purchase order: the work is done."""

    @transition(
        state,
        source=list(OPEN_STATES) + [State.DRAFT],
        target=State.WITHDRAWN,
        permission=may_withdraw,
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
    State.REQUIREMENT_PUBLISHED: (1, 4),
    State.BIDDING_CLOSED: (1, 5),
    State.PROVIDER_SELECTED: (1, 6),
    State.DETAILS_SHARED: (1, 7),
    State.ACTIVE: (1, 8),
}
