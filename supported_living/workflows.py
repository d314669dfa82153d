"""A supported living placement's state machine: the Haringey procedure's sourcing steps, from the requirement on the
DPS to the purchase order (SPEC §4 "Supported living").

The referral keeps intake, the head of service's out-of-panel approval, the queue and allocation; taking it starts a
supported living placement (catalogue.sourcing). Each condition's docstring is the reason shown when it is unmet;
each permission is a rule about who may act. Side effects (the requirement, the details shared, the panel's
approval, the agreement, the package, reviews) live in supported_living.services.
"""

from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.roles import Role
from referrals.workflows import State as ReferralState
from referrals.workflows import is_allocated_officer, may_withdraw


class State(models.TextChoices):
    SOURCING = "sourcing", "Requirement to publish"
    BIDDING = "bidding", "Requirement published: taking bids"
    BIDS_IN = "bids_in", "Bidding closed: bids to review"
    ASSESSMENTS = "assessments", "Details shared: providers assessing"
    JOINT_REVIEW = "joint_review", "Proposals in: officer and social worker reviewing"
    NEGOTIATING = "negotiating", "Negotiating the 1:1 hours and cost"
    VIEWING = "viewing", "Agreed: the person to view the provision"
    AWAITING_FUNDING = "awaiting_funding", "Waiting for the panel's funding decision"
    FUNDED = "funded", "Funded: to commission"
    COMMISSIONED = "commissioned", "Commissioned: purchase order issued"
    NOT_PLACED = "not_placed", "Not placed"


ENDED_STATES = (State.COMMISSIONED, State.NOT_PLACED)
# Ended by the officer from anywhere before the order, except while providers are bidding: close bidding first.
WITHDRAWABLE = [s for s in State.values if s not in (*ENDED_STATES, State.BIDDING)]
# A provider off the DPS may be used when no DPS provider can deliver, outside bidding.
OFF_FRAMEWORK_FROM = [State.SOURCING, State.BIDS_IN]
# While a chosen provider has work on the person: its assessment, its proposal, the negotiation, the funding.
SHARED_STATES = (
    State.ASSESSMENTS,
    State.JOINT_REVIEW,
    State.NEGOTIATING,
    State.VIEWING,
    State.AWAITING_FUNDING,
    State.FUNDED,
)


# Who may act ------------------------------------------------------------------------------
def is_officer(placement, user) -> bool:
    """The officer the referral is allocated to: sourcing, negotiation and commissioning."""
    return is_allocated_officer(placement.referral, user)


def is_persons_worker(placement, user) -> bool:
    """The person's allocated social worker: the joint review, the viewing and the panel."""
    return user.is_practitioner and placement.person.allocated_worker_id == user.pk


def is_cap_member(placement, user) -> bool:
    """A Care Authorisation Panel member: the funding decision."""
    return user.has_role(Role.CAP_MEMBER)


def may_withdraw_referral(placement, user) -> bool:
    """Who withdraws the referral (its referrer or the person's practitioner) stops its placement with it."""
    return may_withdraw(placement.referral, user)


# What must be true ------------------------------------------------------------------------
def has_requirement(placement) -> bool:
    """Publish the requirement on the DPS first."""
    return placement.requirement_id is not None


def closing_time_passed(placement) -> bool:
    """Bidding is still open: wait for the closing time."""
    return placement.requirement_id is not None and placement.requirement.closes_at <= timezone.now()


def has_bids(placement) -> bool:
    """No provider bid: use a provider off the DPS, or end the placement."""
    return placement.requirement_id is not None and placement.requirement.bids.exists()


def providers_chosen(placement) -> bool:
    """Choose at least one bidding provider to share the person's details with."""
    return placement.chosen.exists()


def off_framework_provider_recorded(placement) -> bool:
    """Name the provider off the DPS and why no DPS provider can deliver."""
    return placement.chosen.exclude(off_framework_reason="").exists()


def a_proposal_in(placement) -> bool:
    """No provider has sent its proposal of 1:1 hours and cost yet."""
    return placement.chosen.filter(proposal__isnull=False).exists()


def both_reviewed(placement) -> bool:
    """The officer and the social worker each record their review of the proposals first."""
    return placement.reviews.filter(by_role__in=["officer", "social_worker"]).values("by_role").distinct().count() == 2


def terms_agreed(placement) -> bool:
    """Choose the provider with a proposal, and enter the agreed 1:1 hours and weekly cost."""
    return (
        placement.agreed_with_id is not None
        and placement.agreed_one_to_one_hours is not None
        and placement.agreed_weekly_cost is not None
        and placement.agreed_weekly_cost > 0
    )


def viewed_as_suitable(placement) -> bool:
    """Record the person's viewing of the provision as suitable."""
    return placement.agreed_with_id is not None and placement.agreed_with.outcome == "suitable"


def viewed_as_not_suitable(placement) -> bool:
    """Record why the provision was not suitable."""
    return placement.agreed_with_id is not None and placement.agreed_with.outcome == "not_suitable"


def funding_covers_cost(placement) -> bool:
    """The panel's approved weekly amount must cover the agreed weekly cost."""
    return placement.funding_covers_cost


def start_date_set(placement) -> bool:
    """Enter the start date agreed with the provider."""
    return placement.start_date is not None


def ending_reason_given(placement) -> bool:
    """Say why the person is not being placed."""
    return bool(placement.ending_reason.strip())


def referral_withdrawn(placement) -> bool:
    """The referral has not been withdrawn."""
    return placement.referral.state == ReferralState.WITHDRAWN


class SupportedLivingWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.SOURCING, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=State.SOURCING,
        target=State.BIDDING,
        permission=is_officer,
        conditions=[has_requirement],
        custom={"action": "supported_living/actions/publish.html", "form_supplies": [has_requirement]},
    )
    def publish_requirement(self):
        """The requirement, with the postcode district and any areas to avoid, is on the DPS for providers to bid."""

    @transition(
        state,
        source=State.BIDDING,
        target=State.BIDS_IN,
        permission=is_officer,
        conditions=[closing_time_passed],
        custom={"action": "supported_living/actions/close_bidding.html"},
    )
    def close_bidding(self):
        """After the closing time the bids are in for review."""

    @transition(
        state,
        source=State.BIDS_IN,
        target=State.ASSESSMENTS,
        permission=is_officer,
        conditions=[has_bids, providers_chosen],
        custom={"action": "supported_living/actions/share_details.html", "form_supplies": [providers_chosen]},
    )
    def share_details(self):
        """The person's details and plan go to the chosen bidders, and only them, for their assessments."""

    @transition(
        state,
        source=OFF_FRAMEWORK_FROM,
        target=State.ASSESSMENTS,
        permission=is_officer,
        conditions=[off_framework_provider_recorded],
        custom={
            "action": "supported_living/actions/off_framework.html",
            "form_supplies": [off_framework_provider_recorded],
        },
    )
    def use_provider_off_framework(self):
        """No DPS provider can deliver: a provider off the DPS on a spot contract assesses; the DPS team is told."""

    @transition(
        state,
        source=State.ASSESSMENTS,
        target=State.JOINT_REVIEW,
        permission=is_officer,
        conditions=[a_proposal_in],
        custom={"action": "supported_living/actions/review_proposals.html"},
    )
    def review_proposals(self):
        """The proposals are in: the officer and the social worker review them."""

    @transition(
        state,
        source=State.JOINT_REVIEW,
        target=State.NEGOTIATING,
        permission=is_officer,
        conditions=[both_reviewed],
        custom={"action": "supported_living/actions/start_negotiation.html"},
    )
    def start_negotiation(self):
        """Both have reviewed the proposals: the officer negotiates with a provider."""

    @transition(
        state,
        source=State.NEGOTIATING,
        target=State.VIEWING,
        permission=is_officer,
        conditions=[terms_agreed],
        custom={"action": "supported_living/actions/agree_terms.html", "form_supplies": [terms_agreed]},
    )
    def agree_terms(self):
        """The 1:1 hours and weekly cost are agreed with one provider: the social worker takes the person to view."""

    @transition(
        state,
        source=State.VIEWING,
        target=State.AWAITING_FUNDING,
        permission=is_persons_worker,
        conditions=[viewed_as_suitable],
        custom={"action": "supported_living/actions/viewing.html", "form_supplies": [viewed_as_suitable]},
    )
    def present_to_panel(self):
        """The person viewed the provision and it suits them: the social worker presents the case to the panel."""

    @transition(
        state,
        source=State.VIEWING,
        target=State.NEGOTIATING,
        permission=is_persons_worker,
        conditions=[viewed_as_not_suitable],
    )
    def provision_not_suitable(self):
        """The provision did not suit the person: Brokerage negotiates with another provider."""

    @transition(
        state,
        source=State.AWAITING_FUNDING,
        target=State.FUNDED,
        permission=is_cap_member,
        conditions=[funding_covers_cost],
        custom={"action": "supported_living/actions/decide_funding.html", "form_supplies": [funding_covers_cost]},
    )
    def approve_funding(self):
        """The panel approves funding that covers the agreed weekly cost."""

    @transition(state, source=State.AWAITING_FUNDING, target=State.NEGOTIATING, permission=is_cap_member)
    def decline_funding(self):
        """The panel declines funding: Brokerage negotiates again."""

    @transition(state, source=State.AWAITING_FUNDING, target=State.AWAITING_FUNDING, permission=is_cap_member)
    def defer_funding(self):
        """The panel defers its decision: the case comes back to it."""

    @transition(
        state,
        source=State.FUNDED,
        target=State.COMMISSIONED,
        permission=is_officer,
        conditions=[funding_covers_cost, start_date_set],
        custom={"action": "supported_living/actions/commission.html", "form_supplies": [start_date_set]},
    )
    def commission(self):
        """The agreement, the care package and its purchase order, the reviews and the agreement PDF are made."""

    @transition(
        state,
        source=WITHDRAWABLE,
        target=State.NOT_PLACED,
        permission=is_officer,
        conditions=[ending_reason_given],
        custom={"action": "supported_living/actions/withdraw.html", "form_supplies": [ending_reason_given]},
    )
    def withdraw(self):
        """The person is not placed through this referral: the reason is kept, and a closed requirement ended."""

    @transition(
        state,
        source=[s for s in State.values if s not in ENDED_STATES],
        target=State.NOT_PLACED,
        permission=may_withdraw_referral,
        conditions=[referral_withdrawn],
    )
    def stop(self):
        """The referral was withdrawn before the placement was commissioned: its live requirement is withdrawn too."""


LAYOUT = {
    State.SOURCING: (1, 0),
    State.BIDDING: (1, 1),
    State.BIDS_IN: (1, 2),
    State.ASSESSMENTS: (1, 3),
    State.JOINT_REVIEW: (1, 4),
    State.NEGOTIATING: (1, 5),
    State.VIEWING: (2, 5),
    State.AWAITING_FUNDING: (2, 6),
    State.FUNDED: (1, 7),
    State.COMMISSIONED: (1, 8),
    State.NOT_PLACED: (0, 5),
}
