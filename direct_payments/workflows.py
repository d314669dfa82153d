"""A direct payment's state machine: a cash personal budget paid to the person or their representative (SPEC §3:
"anything from a computer to gym membership"). No provider, no DPS and no bid: an agreement with the person or
their representative, signed, then a schedule of payments.

The referral keeps intake, the panel's funding, the queue and allocation; taking it starts a direct payment
(catalogue.sourcing), and scheduling its payments makes the referral active. Each condition's docstring is the
reason shown when it is unmet; each permission is a rule about who may act. Side effects (the schedule, the
referral made active, the audit trail) live in direct_payments.services.
"""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from referrals.workflows import State as ReferralState
from referrals.workflows import is_allocated_officer, may_withdraw


class State(models.TextChoices):
    AGREEMENT_TO_DRAFT = "agreement_to_draft", "Agreement to draft"
    AGREEMENT_SENT = "agreement_sent", "Agreement sent: waiting for the signature"
    AGREEMENT_SIGNED = "agreement_signed", "Agreement signed: payments to schedule"
    ACTIVE = "active", "Active: payments scheduled"
    ENDED = "ended", "Ended"
    STOPPED = "stopped", "Stopped: the referral was withdrawn"


# Where a direct payment waits while Brokerage works it: a task list can be filtered by each.
WORKING_STATES = (State.AGREEMENT_TO_DRAFT, State.AGREEMENT_SENT, State.AGREEMENT_SIGNED)
COMMISSIONED_STATES = (State.ACTIVE, State.ENDED)


# Who may act ------------------------------------------------------------------------------
def is_officer(direct_payment, user) -> bool:
    """The officer the referral is allocated to does every step."""
    return is_allocated_officer(direct_payment.referral, user)


def may_withdraw_referral(direct_payment, user) -> bool:
    """Who withdraws the referral (its referrer or the person's practitioner) stops its direct payment with it."""
    return may_withdraw(direct_payment.referral, user)


# What must be true ------------------------------------------------------------------------
def referral_with_brokerage(direct_payment) -> bool:
    """The referral is no longer with Brokerage (withdrawn, say): nothing more is arranged for it."""
    return direct_payment.referral.state == ReferralState.ALLOCATED


def terms_recorded(direct_payment) -> bool:
    """Record who receives the payments, what the budget pays for, the amount, how often and the first payment
    date."""
    dp = direct_payment
    return bool(dp.recipient_name.strip() and dp.purpose.strip() and dp.amount and dp.period and dp.first_payment_on)


def within_approved_funding(direct_payment) -> bool:
    """The amount is more than the approved funding allows: a weekly payment at most the approved weekly amount, a
    four-weekly one at most four times it, a one-off payment at most a year's funding (52 times it)."""
    return direct_payment.amount_is_funded


def signature_recorded(direct_payment) -> bool:
    """Record the day the agreement was signed, and by whom."""
    return direct_payment.signed_on is not None and bool(direct_payment.signed_by_name.strip())


def payments_scheduled(direct_payment) -> bool:
    """Schedule the payments first."""
    return direct_payment.payments.exists()


def ending_recorded(direct_payment) -> bool:
    """Give the last day of the direct payment and why it ends."""
    return direct_payment.ended_on is not None and bool(direct_payment.ending_reason.strip())


def referral_withdrawn(direct_payment) -> bool:
    """The referral has not been withdrawn."""
    return direct_payment.referral.state == ReferralState.WITHDRAWN


WITH_BROKERAGE = [referral_with_brokerage]


class DirectPaymentWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.AGREEMENT_TO_DRAFT, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=State.AGREEMENT_TO_DRAFT,
        target=State.AGREEMENT_SENT,
        permission=is_officer,
        conditions=[*WITH_BROKERAGE, terms_recorded, within_approved_funding],
        custom={
            "action": "direct_payments/actions/send_agreement.html",
            "form_supplies": [terms_recorded, within_approved_funding],
        },
    )
    def send_agreement(self):
        """The agreement (who receives the payments, what they pay for, how much and how often) is sent to the
        person or their representative to sign."""

    @transition(
        state,
        source=State.AGREEMENT_SENT,
        target=State.AGREEMENT_TO_DRAFT,
        permission=is_officer,
        conditions=WITH_BROKERAGE,
        custom={"action": "direct_payments/actions/redraft.html"},
    )
    def redraft(self):
        """The person or their representative asks for a change before signing: the agreement is drafted again."""

    @transition(
        state,
        source=State.AGREEMENT_SENT,
        target=State.AGREEMENT_SIGNED,
        permission=is_officer,
        conditions=[*WITH_BROKERAGE, signature_recorded],
        custom={"action": "direct_payments/actions/record_signature.html", "form_supplies": [signature_recorded]},
    )
    def record_signature(self):
        """The signed agreement has come back."""

    @transition(
        state,
        source=State.AGREEMENT_SIGNED,
        target=State.ACTIVE,
        permission=is_officer,
        conditions=[*WITH_BROKERAGE, within_approved_funding, payments_scheduled],
        custom={"action": "direct_payments/actions/schedule_payments.html", "form_supplies": [payments_scheduled]},
    )
    def schedule_payments(self):
        """The payments for the year are scheduled: the direct payment is the service the person receives, and
        the referral is active."""

    @transition(
        state,
        source=State.ACTIVE,
        target=State.ENDED,
        permission=is_officer,
        conditions=[ending_recorded],
        custom={"action": "direct_payments/actions/end.html", "form_supplies": [ending_recorded]},
    )
    def end(self):
        """The direct payment ends on a day, with the reason: the payments due after it are cancelled."""

    @transition(
        state,
        source=list(WORKING_STATES),
        target=State.STOPPED,
        permission=may_withdraw_referral,
        conditions=[referral_withdrawn],
    )
    def stop(self):
        """The referral was withdrawn before any payment was scheduled."""


# Where each state sits in the picture (column, row): straight down, the ends alongside.
LAYOUT = {
    State.AGREEMENT_TO_DRAFT: (0, 0),
    State.STOPPED: (1, 0),
    State.AGREEMENT_SENT: (0, 1),
    State.AGREEMENT_SIGNED: (0, 2),
    State.ACTIVE: (0, 3),
    State.ENDED: (1, 3),
}
