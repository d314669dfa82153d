"""A change to a running care package (SPEC §4 "Changes to an active service"): a suspension, a reduction or an
increase, from the change referral that asked for it to the package's new terms.

Taking a change referral starts its change (catalogue.sourcing); arranging it makes the referral active. Some
changes then wait for a day: a suspension begins on its first day and recommences on its last, a temporary
increase reverts when it ends. The daily sweep (changes.services.apply_due_changes) takes those steps as their
days come; the officer may recommence a suspension sooner, when the social worker says.

Each condition's docstring is the reason shown when it is unmet; each permission is a rule about who may act. Side
effects (the package, its purchase orders, reviews, the log and the audit trail) live in changes.services.
"""

from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from referrals.models import Referral
from referrals.workflows import State as ReferralState
from referrals.workflows import is_allocated_officer, is_team_officer, may_withdraw

Kind = Referral.Change
# What each change is called in a sentence ("the suspension is arranged").
CALLED = {Kind.SUSPEND: "suspension", Kind.REDUCE: "reduction", Kind.INCREASE: "increase"}


class State(models.TextChoices):
    REQUESTED = "requested", "To arrange"
    ARRANGED = "arranged", "Arranged: the provider told, the order revised"
    SUSPENDED = "suspended", "Service suspended"
    FINISHED = "finished", "Finished: recommenced or reverted"
    STOPPED = "stopped", "Stopped: the referral was withdrawn"


WORKING_STATES = (State.REQUESTED,)
MADE_STATES = (State.ARRANGED, State.SUSPENDED, State.FINISHED)


# Who may act ------------------------------------------------------------------------------
def is_officer(change, user) -> bool:
    """The officer the change referral is allocated to arranges it."""
    return is_allocated_officer(change.referral, user)


def is_package_team(change, user) -> bool:
    """Once arranged, the Brokerage team that administers the package (a scheduled step is taken in the name of the
    officer who arranged it)."""
    return is_team_officer(change.referral, user)


def may_withdraw_referral(change, user) -> bool:
    """Who withdraws the referral stops its change with it."""
    return may_withdraw(change.referral, user)


# What must be true ------------------------------------------------------------------------
def referral_with_brokerage(change) -> bool:
    """The referral is no longer with Brokerage (withdrawn, say): nothing more is arranged for it."""
    return change.referral.state == ReferralState.ALLOCATED


def provider_told(change) -> bool:
    """Record how and when the provider was told first."""
    return change.provider_told_on is not None and bool(change.provider_told_how.strip())


def increase_funded(change) -> bool:
    """Brokerage never increases a service without an approved plan: wait for the panel's decision."""
    return change.kind != Kind.INCREASE or change.referral.has_approved_funding


def is_suspension(change) -> bool:
    """Only a suspension is suspended and recommences."""
    return change.kind == Kind.SUSPEND


def first_day_come(change) -> bool:
    """The suspension has not started yet: it begins on its first day."""
    return change.starts_on is not None and change.starts_on <= timezone.localdate()


def recommencement_come(change) -> bool:
    """Set the day the service recommences; it recommences when that day comes."""
    return change.ends_on is not None and change.ends_on <= timezone.localdate()


def is_temporary_increase(change) -> bool:
    """Only a temporary increase goes back to the terms before it."""
    return change.kind == Kind.INCREASE and change.ends_on is not None


def referral_withdrawn(change) -> bool:
    """The referral has not been withdrawn."""
    return change.referral.state == ReferralState.WITHDRAWN


class ChangeWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.REQUESTED, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=State.REQUESTED,
        target=State.ARRANGED,
        permission=is_officer,
        conditions=[referral_with_brokerage, increase_funded, provider_told],
        custom={"action": "changes/actions/arrange.html", "form_supplies": [provider_told]},
    )
    def arrange(self):
        """The provider is told and the package changed from the date: its new terms, or its suspension, with a
        revised purchase order."""

    @transition(
        state,
        source=State.ARRANGED,
        target=State.SUSPENDED,
        permission=is_package_team,
        conditions=[is_suspension, first_day_come],
    )
    def suspend(self):
        """The suspension's first day: the package is suspended."""

    @transition(
        state,
        source=State.SUSPENDED,
        target=State.FINISHED,
        permission=is_package_team,
        conditions=[is_suspension, recommencement_come],
        custom={"action": "changes/actions/recommence.html", "form_supplies": [recommencement_come]},
    )
    def recommence(self):
        """The service starts again, on the day set (when the social worker says): a revised purchase order."""

    @transition(
        state,
        source=State.ARRANGED,
        target=State.FINISHED,
        permission=is_package_team,
        conditions=[is_temporary_increase, recommencement_come],
    )
    def revert(self):
        """A temporary increase ends: the package goes back to the terms before it, with a revised purchase order."""

    @transition(
        state,
        source=State.REQUESTED,
        target=State.STOPPED,
        permission=may_withdraw_referral,
        conditions=[referral_withdrawn],
    )
    def stop(self):
        """The referral was withdrawn before the change was arranged."""


LAYOUT = {
    State.REQUESTED: (0, 0),
    State.STOPPED: (1, 0),
    State.ARRANGED: (0, 1),
    State.SUSPENDED: (1, 2),
    State.FINISHED: (0, 3),
}
