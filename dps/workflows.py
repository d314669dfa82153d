"""A requirement's state machine: a mini-competition is open for bids, closed for review, then awarded or not.

Each condition's docstring is the reason shown when it is unmet. The allocated officer of the referral takes
every step; dps.services takes them alongside the referral's own steps.
"""

from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from referrals.workflows import State as ReferralState
from referrals.workflows import is_allocated_officer, may_withdraw


class Status(models.TextChoices):
    OPEN = "open", "Open for bids"
    CLOSED = "closed", "Closed: bids being reviewed"
    AWARDED = "awarded", "Awarded"
    NOT_AWARDED = "not_awarded", "Not awarded"


# Open or being reviewed: the referral's live requirement (one at most, a database constraint).
LIVE_STATUSES = (Status.OPEN, Status.CLOSED)


def is_referrals_officer(requirement, user) -> bool:
    return is_allocated_officer(requirement.referral, user)


def is_referrals_practitioner(requirement, user) -> bool:
    """Who may withdraw the referral (its referrer or the person's practitioner) withdraws its requirement with it."""
    return may_withdraw(requirement.referral, user)


def referral_withdrawn(requirement) -> bool:
    """The referral has not been withdrawn."""
    return requirement.referral.state == ReferralState.WITHDRAWN


def closing_time_passed(requirement) -> bool:
    """Bidding is still open: wait for the closing time."""
    return requirement.closes_at <= timezone.now()


def bid_selected(requirement) -> bool:
    """Select the winning bid, with a reason, first."""
    return requirement.selected_bid_id is not None


def reason_given(requirement) -> bool:
    """Say why no bid is awarded."""
    return bool(requirement.selection_reason.strip())


class RequirementWorkflow(ConcurrentTransitionMixin, models.Model):
    status = FSMField(max_length=16, default=Status.OPEN, choices=Status.choices, protected=True)

    class Meta:
        abstract = True

    @transition(
        status,
        source=Status.OPEN,
        target=Status.CLOSED,
        permission=is_referrals_officer,
        conditions=[closing_time_passed],
    )
    def close(self):
        """After the closing time the bids are opened for review."""

    @transition(
        status, source=Status.CLOSED, target=Status.AWARDED, permission=is_referrals_officer, conditions=[bid_selected]
    )
    def award(self):
        """The service agreement is made with the selected bidder."""

    @transition(
        status,
        source=Status.CLOSED,
        target=Status.NOT_AWARDED,
        permission=is_referrals_officer,
        conditions=[reason_given],
    )
    def end_without_award(self):
        """Republished, or a provider off the framework is used instead: no bid is awarded."""

    @transition(
        status,
        source=[Status.OPEN, Status.CLOSED],
        target=Status.NOT_AWARDED,
        permission=is_referrals_practitioner,
        conditions=[referral_withdrawn],
    )
    def withdraw(self):
        """The referral was withdrawn: bidding stops and no bid is awarded."""


LAYOUT = {Status.OPEN: (0, 0), Status.CLOSED: (0, 1), Status.AWARDED: (0, 2), Status.NOT_AWARDED: (1, 2)}
