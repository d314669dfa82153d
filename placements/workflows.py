"""A residential or nursing placement's state machine: the sourcing steps of the Haringey procedure, from the
requirement on the DPS to the purchase order (SPEC §4 "Residential and nursing placements").

The referral keeps intake, the out-of-panel approval, the queue and allocation; taking it starts a placement
(catalogue.sourcing). Each condition's docstring is the reason shown when it is unmet; each permission is a rule
about who may act. Side effects (the requirement, rows, approvals, the agreement, the package, reviews, e-mail)
live in placements.services.
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
    BIDS_IN = "bids_in", "Bidding closed: bids received"
    VIEWINGS = "viewings", "Homes sent to the social worker for viewings"
    ASSESSMENT = "assessment", "Provider assessment arranged"
    AWAITING_COST = "awaiting_cost", "Assessed: waiting for the home's cost"
    NEGOTIATING = "negotiating", "Negotiating the fee"
    AWAITING_FEE_APPROVAL = "awaiting_fee_approval", "Waiting for the head of service's fee approval"
    FEE_AGREED = "fee_agreed", "Fee agreed: admission date to set"
    ADMISSION_SET = "admission_set", "Admission date set"
    COMMISSIONED = "commissioned", "Commissioned: purchase order issued"
    NOT_PLACED = "not_placed", "Not placed"


ENDED_STATES = (State.COMMISSIONED, State.NOT_PLACED)
# Ended from anywhere before the order, except while providers are bidding: close bidding first.
WITHDRAWABLE = [s for s in State.values if s not in (*ENDED_STATES, State.BIDDING)]
# A home off the framework may be used whenever no framework home can deliver, outside bidding.
OFF_FRAMEWORK_FROM = [State.SOURCING, State.BIDS_IN, State.VIEWINGS]


# Who may act ------------------------------------------------------------------------------
def is_officer(placement, user) -> bool:
    """The officer the referral is allocated to: sourcing, negotiation and commissioning."""
    return is_allocated_officer(placement.referral, user)


def is_persons_worker(placement, user) -> bool:
    """The person's allocated social worker: viewings and the admission date."""
    return user.is_practitioner and placement.person.allocated_worker_id == user.pk


def may_withdraw_referral(placement, user) -> bool:
    """Who withdraws the referral (its referrer or the person's practitioner) stops its placement with it."""
    return may_withdraw(placement.referral, user)


def referral_withdrawn(placement) -> bool:
    """The referral has not been withdrawn."""
    return placement.referral.state == ReferralState.WITHDRAWN


def is_head_of_service(placement, user) -> bool:
    return user.has_role(Role.HEAD_OF_SERVICE)


# What must be true ------------------------------------------------------------------------
def has_requirement(placement) -> bool:
    """Publish the requirement on the DPS first."""
    return placement.requirement_id is not None


def closing_time_passed(placement) -> bool:
    """Bidding is still open: wait for the closing time."""
    return placement.requirement_id is not None and placement.requirement.closes_at <= timezone.now()


def has_bids(placement) -> bool:
    """No home bid: use a home off the framework, or end the placement."""
    return placement.requirement_id is not None and placement.requirement.bids.exists()


def off_framework_home_recorded(placement) -> bool:
    """Name the home off the framework and why no framework home can deliver."""
    return placement.homes.exclude(off_framework_reason="").exists()


def a_home_viewed_as_suitable(placement) -> bool:
    """The social worker has not yet recorded a viewing that found a home suitable."""
    return placement.homes.filter(outcome="suitable").exists()


def assessment_arranged(placement) -> bool:
    """Choose a home the person found suitable and the date of its assessment."""
    assessment = placement.current_assessment
    return assessment is not None and assessment.result == "pending" and assessment.home.outcome == "suitable"


def cost_recorded(placement) -> bool:
    """Record the home's cost first."""
    return placement.offers.filter(offered_by="provider").exists()


def fee_proposed(placement) -> bool:
    """Enter the weekly fee."""
    return placement.weekly_fee is not None and placement.weekly_fee > 0


def fee_above_plan(placement) -> bool:
    """The fee is within the plan's approved weekly amount: agree it without a fee approval."""
    return placement.weekly_fee is not None and not placement.fee_within_plan


def fee_within_approval(placement) -> bool:
    """A fee above the plan's approved amount needs a head of service's fee approval for at least that fee."""
    return placement.fee_is_authorised


def admission_date_set(placement) -> bool:
    """Enter the admission date agreed with the home."""
    return placement.admission_date is not None


def ending_reason_given(placement) -> bool:
    """Say why the person is not being placed."""
    return bool(placement.ending_reason.strip())


class PlacementWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.SOURCING, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=State.SOURCING,
        target=State.BIDDING,
        permission=is_officer,
        conditions=[has_requirement],
        custom={"action": "placements/actions/publish.html", "form_supplies": [has_requirement]},
    )
    def publish_requirement(self):
        """The requirement, with the location the person asked for, is on the DPS for care homes to bid."""

    @transition(
        state,
        source=State.BIDDING,
        target=State.BIDS_IN,
        permission=is_officer,
        conditions=[closing_time_passed],
        custom={"action": "placements/actions/close_bidding.html"},
    )
    def close_bidding(self):
        """After the closing time the bids are in."""

    @transition(
        state,
        source=State.BIDS_IN,
        target=State.VIEWINGS,
        permission=is_officer,
        conditions=[has_bids],
        custom={"action": "placements/actions/send_for_viewings.html"},
    )
    def send_for_viewings(self):
        """The list of bidding homes goes to the social worker, so the person and family can view them."""

    @transition(
        state,
        source=OFF_FRAMEWORK_FROM,
        target=State.VIEWINGS,
        permission=is_officer,
        conditions=[off_framework_home_recorded],
        custom={"action": "placements/actions/off_framework.html", "form_supplies": [off_framework_home_recorded]},
    )
    def use_home_off_framework(self):
        """No framework home can deliver: a home off the framework is added for viewing; the DPS team is told."""

    @transition(
        state,
        source=State.VIEWINGS,
        target=State.ASSESSMENT,
        permission=is_officer,
        conditions=[a_home_viewed_as_suitable, assessment_arranged],
        custom={"action": "placements/actions/arrange_assessment.html", "form_supplies": [assessment_arranged]},
    )
    def arrange_assessment(self):
        """A home the person found suitable will assess them, on a date."""

    @transition(
        state,
        source=State.ASSESSMENT,
        target=State.AWAITING_COST,
        permission=is_officer,
        custom={"action": "placements/actions/assessment_result.html"},
    )
    def accept_assessment(self):
        """The home has assessed the person and can meet their needs."""

    @transition(state, source=State.ASSESSMENT, target=State.VIEWINGS, permission=is_officer)
    def decline_assessment(self):
        """The home cannot meet the person's needs: choose another home."""

    @transition(
        state,
        source=State.AWAITING_COST,
        target=State.NEGOTIATING,
        permission=is_officer,
        conditions=[cost_recorded],
        custom={"action": "placements/actions/record_cost.html", "form_supplies": [cost_recorded]},
    )
    def record_cost(self):
        """The home has sent its weekly cost: Brokerage negotiates."""

    @transition(
        state,
        source=State.NEGOTIATING,
        target=State.FEE_AGREED,
        permission=is_officer,
        conditions=[fee_proposed, fee_within_approval],
        custom={"action": "placements/actions/agree_fee.html", "form_supplies": [fee_proposed, fee_within_approval]},
    )
    def agree_fee(self):
        """The fee is agreed with the home, within what is approved."""

    @transition(
        state,
        source=State.NEGOTIATING,
        target=State.AWAITING_FEE_APPROVAL,
        permission=is_officer,
        conditions=[fee_proposed, fee_above_plan],
        custom={
            "action": "placements/actions/request_fee_approval.html",
            "form_supplies": [fee_proposed, fee_above_plan],
        },
    )
    def request_fee_approval(self):
        """The negotiated fee is above the plan's approved amount: a head of service is asked to approve it."""

    @transition(
        state,
        source=State.AWAITING_FEE_APPROVAL,
        target=State.FEE_AGREED,
        permission=is_head_of_service,
        conditions=[fee_within_approval],
        custom={"action": "placements/actions/decide_fee.html", "form_supplies": [fee_within_approval]},
    )
    def approve_fee(self):
        """A head of service approves the negotiated fee."""

    @transition(state, source=State.AWAITING_FEE_APPROVAL, target=State.NEGOTIATING, permission=is_head_of_service)
    def decline_fee(self):
        """A head of service declines the fee: Brokerage negotiates again."""

    @transition(
        state,
        source=State.FEE_AGREED,
        target=State.ADMISSION_SET,
        permission=is_persons_worker,
        conditions=[admission_date_set],
        custom={"action": "placements/actions/admission.html", "form_supplies": [admission_date_set]},
    )
    def set_admission_date(self):
        """The social worker has agreed the admission date with the home."""

    @transition(
        state,
        source=State.ADMISSION_SET,
        target=State.COMMISSIONED,
        permission=is_officer,
        conditions=[fee_within_approval, admission_date_set],
        custom={"action": "placements/actions/commission.html"},
    )
    def commission(self):
        """The agreement, the care package and its purchase order, the reviews and the contract are made."""

    @transition(
        state,
        source=WITHDRAWABLE,
        target=State.NOT_PLACED,
        permission=is_officer,
        conditions=[ending_reason_given],
        custom={"action": "placements/actions/withdraw.html", "form_supplies": [ending_reason_given]},
    )
    def withdraw(self):
        """The person is not placed through this referral: the reason is kept. The officer ends it (a social worker
        who withdraws the person asks them), so a closed requirement is ended with it."""

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
    State.VIEWINGS: (1, 3),
    State.ASSESSMENT: (1, 4),
    State.AWAITING_COST: (1, 5),
    State.NEGOTIATING: (1, 6),
    State.AWAITING_FEE_APPROVAL: (2, 6),
    State.FEE_AGREED: (1, 7),
    State.ADMISSION_SET: (1, 8),
    State.COMMISSIONED: (1, 9),
    State.NOT_PLACED: (0, 5),
}
