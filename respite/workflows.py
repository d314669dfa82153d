"""Respite's state machines (SPEC §4 "Respite"; Haringey procedure, respite steps 3 and 4): the annual allowance the
panel approved, loaded by Brokerage for the year and made known to the person by letter; and each booking (a spot
contract for a stay) that draws on it.

The referral keeps intake, the panel's decision (an approvals "respite_allowance"), the queue and allocation; taking
it starts an allowance (catalogue.sourcing). Loading it is Brokerage's work on the referral: the referral is active
from then. Each condition's docstring is the reason shown when it is unmet; each permission is a rule about who may
act. Side effects (the letter, the agreement and purchase order of a booking, the balance) live in respite.services.
"""

from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from referrals.workflows import State as ReferralState
from referrals.workflows import is_allocated_officer, may_withdraw


class State(models.TextChoices):
    TO_LOAD = "to_load", "Allowance to load"
    LOADED = "loaded", "Loaded: letter to send"
    LETTER_SENT = "letter_sent", "Letter sent: respite can be booked"
    ENDED = "ended", "The allowance year has ended"
    STOPPED = "stopped", "Stopped: the referral was withdrawn"


ENDED_STATES = (State.ENDED, State.STOPPED)
WORKING_STATES = (State.TO_LOAD,)  # Brokerage's task list: what waits for the officer


class BookingState(models.TextChoices):
    BOOKED = "booked", "Booked: purchase order issued"
    CANCELLED = "cancelled", "Cancelled: its cost given back to the allowance"


# Who may act ------------------------------------------------------------------------------
def is_officer(allowance, user) -> bool:
    """The officer the referral is allocated to: loads the allowance, books and cancels respite."""
    return is_allocated_officer(allowance.referral, user)


def is_persons_worker(allowance, user) -> bool:
    """The person's allocated social worker sends the letter (the procedure's step 4)."""
    return user.is_practitioner and allowance.person.allocated_worker_id == user.pk


def may_withdraw_referral(allowance, user) -> bool:
    """Who withdraws the referral (its referrer or the person's practitioner) stops its allowance with it."""
    return may_withdraw(allowance.referral, user)


def is_booking_officer(booking, user) -> bool:
    """The officer the allowance's referral is allocated to."""
    return is_allocated_officer(booking.allowance.referral, user)


# What must be true ------------------------------------------------------------------------
def allowance_approved(allowance) -> bool:
    """The Care Authorisation Panel has not approved an annual respite allowance on this plan."""
    approval = allowance.approval
    return approval is not None and approval.state == approval.State.APPROVED and bool(approval.approved_annual_amount)


def year_entered(allowance) -> bool:
    """Enter the day the allowance year starts."""
    return (
        allowance.year_start is not None
        and allowance.year_end is not None
        and allowance.year_end > allowance.year_start
    )


def amount_within_approval(allowance) -> bool:
    """The allowance loaded must be the amount the panel approved, above £0."""
    approval = allowance.approval
    return (
        allowance.amount is not None
        and approval is not None
        and 0 < allowance.amount <= (approval.approved_annual_amount or 0)
    )


def letter_made(allowance) -> bool:
    """The letter is still being made: reload the page in a moment."""
    return bool(allowance.letter_pdf)


def recipient_given(allowance) -> bool:
    """Say who the letter was sent to: the person or their representative."""
    return bool(allowance.letter_sent_to.strip())


def year_over(allowance) -> bool:
    """The allowance year has not ended yet."""
    return allowance.year_end is not None and allowance.year_end < timezone.localdate()


def referral_withdrawn(allowance) -> bool:
    """The referral has not been withdrawn."""
    return allowance.referral.state == ReferralState.WITHDRAWN


def stay_not_begun(booking) -> bool:
    """The stay has begun: it cannot be cancelled."""
    return booking.start_date > timezone.localdate()


def cancel_reason_given(booking) -> bool:
    """Say why the booking is cancelled."""
    return bool(booking.cancel_reason.strip())


class RespiteAllowanceWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.TO_LOAD, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=State.TO_LOAD,
        target=State.LOADED,
        permission=is_officer,
        conditions=[allowance_approved, year_entered, amount_within_approval],
        custom={"action": "respite/actions/load.html", "form_supplies": [year_entered, amount_within_approval]},
    )
    def load(self):
        """Brokerage loads the annual allowance the panel approved, for the year: its work on the referral is done,
        and the letter is made."""

    @transition(
        state,
        source=State.LOADED,
        target=State.LETTER_SENT,
        permission=is_persons_worker,
        conditions=[letter_made, recipient_given],
        custom={"action": "respite/actions/send_letter.html", "form_supplies": [recipient_given]},
    )
    def send_letter(self):
        """The social worker sends the person the letter with their allowance and how to arrange respite: respite
        can be booked from now."""

    @transition(state, source=State.LETTER_SENT, target=State.ENDED, permission=is_officer, conditions=[year_over])
    def end_year(self):
        """The allowance year is over (the nightly sweep): nothing more is booked on it."""

    @transition(
        state,
        source=State.TO_LOAD,
        target=State.STOPPED,
        permission=may_withdraw_referral,
        conditions=[referral_withdrawn],
    )
    def stop(self):
        """The referral was withdrawn before the allowance was loaded."""


class RespiteBookingWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=BookingState.BOOKED, choices=BookingState.choices, protected=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=BookingState.BOOKED,
        target=BookingState.CANCELLED,
        permission=is_booking_officer,
        conditions=[stay_not_begun, cancel_reason_given],
        custom={"action": "respite/actions/cancel.html", "form_supplies": [cancel_reason_given]},
    )
    def cancel(self):
        """The stay will not happen: its purchase order is closed and its cost goes back to the allowance."""


LAYOUT = {
    State.TO_LOAD: (0, 0),
    State.LOADED: (0, 1),
    State.LETTER_SENT: (0, 2),
    State.ENDED: (0, 3),
    State.STOPPED: (1, 1),
}
BOOKING_LAYOUT = {BookingState.BOOKED: (0, 0), BookingState.CANCELLED: (1, 0)}
