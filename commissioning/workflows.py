"""The sourcing of home care and the simpler services (SPEC §4): from the requirement on the DPS, or a provider off
the framework, to the purchase order.

The referral keeps intake, funding, the risk hold, the queue and allocation; giving it to an officer starts a
commission (catalogue.sourcing), and the commission's purchase order makes the referral active. Each condition's
docstring is the reason shown when it is unmet; each permission is a rule about who may act. Side effects (the
requirement, the agreement, the package and its order, e-mail) live in commissioning.services.
"""

from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from catalogue.codes import ServiceCode
from referrals.workflows import State as ReferralState
from referrals.workflows import is_allocated_officer, may_withdraw


class State(models.TextChoices):
    CHALLENGE = "challenge", "Challenge: could the service continue?"
    SOURCING = "sourcing", "Provider to find"
    REQUIREMENT_PUBLISHED = "requirement_published", "Requirement published for bids"
    BIDDING_CLOSED = "bidding_closed", "Bidding closed: reviewing bids"
    PROVIDER_SELECTED = "provider_selected", "Provider selected"
    DETAILS_SHARED = "details_shared", "Agreed and shared with the provider"
    COMMISSIONED = "commissioned", "Commissioned: purchase order issued"
    STOPPED = "stopped", "Stopped: the referral was withdrawn"


# Where a commission waits while Brokerage works it: a task list can be filtered by each.
WORKING_STATES = (
    State.CHALLENGE,
    State.SOURCING,
    State.REQUIREMENT_PUBLISHED,
    State.BIDDING_CLOSED,
    State.PROVIDER_SELECTED,
    State.DETAILS_SHARED,
)


# Who may act ------------------------------------------------------------------------------
def is_officer(commission, user) -> bool:
    """The officer the referral is allocated to does every step."""
    return is_allocated_officer(commission.referral, user)


def may_withdraw_referral(commission, user) -> bool:
    """Who withdraws the referral (its referrer or the person's practitioner) stops its commission with it."""
    return may_withdraw(commission.referral, user)


# What must be true ------------------------------------------------------------------------
def referral_with_brokerage(commission) -> bool:
    """The referral is no longer with Brokerage (withdrawn, say): nothing more is sourced for it."""
    return commission.referral.state == ReferralState.ALLOCATED


def has_live_requirement(commission) -> bool:
    """Publish a requirement first."""
    return commission.referral.live_requirement is not None


def bidding_time_over(commission) -> bool:
    """Bidding is still open: wait for the closing time."""
    requirement = commission.referral.live_requirement
    return requirement is not None and requirement.closes_at <= timezone.now()


def provider_chosen(commission) -> bool:
    """Choose a provider, with a reason, first."""
    return commission.chosen_provider_id is not None


def is_day_opportunities(commission) -> bool:
    """Only day opportunities are arranged at the council's own day centres: other services are sourced from
    providers, by a requirement or a spot contract."""
    return commission.referral.service_type_id == ServiceCode.DAY_OPPORTUNITIES


def in_house_centre_chosen(commission) -> bool:
    """Choose one of the council's own in-house day centres first."""
    return commission.chosen_provider_id is not None and commission.chosen_provider.in_house


def has_active_agreement(commission) -> bool:
    """Create the service agreement first."""
    return commission.referral.active_agreement is not None


def has_purchase_order(commission) -> bool:
    """Issue the purchase order for the agreement first."""
    agreement = commission.referral.active_agreement
    return agreement is not None and agreement.purchase_orders.exists()


def challenge_recorded(commission) -> bool:
    """Record why a change of times, carer or tasks would not let the service continue first."""
    return bool(commission.challenge_outcome.strip())


def explanation_attached(commission) -> bool:
    """Attach the provider's written explanation first, and wait for every one asked for."""
    received = [e.received_on is not None for e in commission.explanations.all()]
    return bool(received) and all(received)


def quality_alert_sent(commission) -> bool:
    """Send a quality alert about the provider to contract monitoring first."""
    return commission.quality_alert_id is not None


def referral_withdrawn(commission) -> bool:
    """The referral has not been withdrawn."""
    return commission.referral.state == ReferralState.WITHDRAWN


WITH_BROKERAGE = [referral_with_brokerage]


class CommissionWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.SOURCING, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=State.CHALLENGE,
        target=State.SOURCING,
        permission=is_officer,
        conditions=[*WITH_BROKERAGE, challenge_recorded, explanation_attached, quality_alert_sent],
        # The challenge page supplies each of them: the button leads there.
        custom={
            "action": "commissioning/actions/challenge.html",
            "form_supplies": [challenge_recorded, explanation_attached, quality_alert_sent],
        },
    )
    def confirm_change(self):
        """A change of provider is challenged first (SPEC §4): the provider's explanation is on file, contract
        monitoring has a quality alert, and nothing short of a new provider will do. Sourcing starts."""

    @transition(
        state,
        source=State.SOURCING,
        target=State.REQUIREMENT_PUBLISHED,
        permission=is_officer,
        conditions=[*WITH_BROKERAGE, has_live_requirement],
        custom={"action": "commissioning/actions/publish.html", "form_supplies": [has_live_requirement]},
    )
    def publish_requirement(self):
        """The package goes out to the arrangement's providers, anonymised."""

    @transition(
        state,
        source=State.REQUIREMENT_PUBLISHED,
        target=State.BIDDING_CLOSED,
        permission=is_officer,
        conditions=[*WITH_BROKERAGE, bidding_time_over],
        custom={"action": "commissioning/actions/close_bidding.html"},
    )
    def close_bidding(self):
        """After the closing time the officer reviews the bids."""

    @transition(
        state,
        source=State.BIDDING_CLOSED,
        target=State.REQUIREMENT_PUBLISHED,
        permission=is_officer,
        conditions=[*WITH_BROKERAGE, has_live_requirement],
    )
    def republish(self):
        """No bids, or none acceptable: the package goes out again (from the requirement's page)."""

    @transition(
        state,
        source=State.BIDDING_CLOSED,
        target=State.PROVIDER_SELECTED,
        permission=is_officer,
        conditions=[*WITH_BROKERAGE, provider_chosen],
    )
    def select_provider(self):
        """The best bid is confirmed, with a reason (from the requirement's page)."""

    @transition(
        state,
        source=[State.SOURCING, State.BIDDING_CLOSED],
        target=State.PROVIDER_SELECTED,
        permission=is_officer,
        conditions=[*WITH_BROKERAGE, provider_chosen],
        custom={"action": "commissioning/actions/spot_contract.html", "form_supplies": [provider_chosen]},
    )
    def commission_spot_contract(self):
        """No framework provider can deliver: a provider off the framework, with a reason."""

    @transition(
        state,
        source=State.SOURCING,
        target=State.PROVIDER_SELECTED,
        permission=is_officer,
        conditions=[*WITH_BROKERAGE, is_day_opportunities, in_house_centre_chosen],
        custom={"action": "commissioning/actions/in_house.html", "form_supplies": [in_house_centre_chosen]},
    )
    def choose_in_house(self):
        """A place at the council's own day centre: no requirement, no bid, no spot contract (nor the DPS team
        told). The agreement and an internal purchase order follow as for any provider."""

    @transition(
        state,
        source=State.PROVIDER_SELECTED,
        target=State.DETAILS_SHARED,
        permission=is_officer,
        conditions=[*WITH_BROKERAGE, has_active_agreement],
        custom={"action": "commissioning/actions/award.html", "form_supplies": [has_active_agreement]},
    )
    def award(self):
        """The service agreement is made and the person's details shared with the provider."""

    @transition(
        state,
        source=State.DETAILS_SHARED,
        target=State.COMMISSIONED,
        permission=is_officer,
        conditions=[*WITH_BROKERAGE, has_purchase_order],
        custom={"action": "commissioning/actions/issue_purchase_order.html", "form_supplies": [has_purchase_order]},
    )
    def issue_purchase_order(self):
        """The record is updated and the purchase order issued: the service is active."""

    @transition(
        state,
        source=[
            State.CHALLENGE,
            State.SOURCING,
            State.REQUIREMENT_PUBLISHED,
            State.BIDDING_CLOSED,
            State.PROVIDER_SELECTED,
        ],
        target=State.STOPPED,
        permission=may_withdraw_referral,
        conditions=[referral_withdrawn],
    )
    def stop(self):
        """The referral was withdrawn before the agreement was made: its live requirement is withdrawn with it."""


# Where each state sits in the picture (column, row): straight down, the spot contract alongside; a change of
# provider's challenge above.
LAYOUT = {
    State.CHALLENGE: (0, 0),
    State.SOURCING: (0, 1),
    State.STOPPED: (1, 0),
    State.REQUIREMENT_PUBLISHED: (1, 2),
    State.BIDDING_CLOSED: (1, 3),
    State.PROVIDER_SELECTED: (0, 4),
    State.DETAILS_SHARED: (0, 5),
    State.COMMISSIONED: (0, 6),
}
