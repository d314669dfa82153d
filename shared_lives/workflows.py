"""A shared lives arrangement's state machine: the Haringey procedure for shared lives (SPEC §4 "Shared lives"),
from the social worker's referral to the shared lives scheme to the purchase order.

The matching happens before the plan reaches Brokerage, between the social worker and the scheme (an outsourced
provider, Ategi in Haringey): the scheme finds a carer, then taster sessions and overnight trial stays; the social
worker presents the case at the Care Authorisation Panel; once funded, the plan goes to Brokerage as a referral, and
the officer who takes it updates the record and issues the scheme the purchase order. Each condition's docstring is
the reason shown when it is unmet; each permission is a rule about who may act. Side effects (the panel's approval,
the referral, the agreement, the package, reviews) live in shared_lives.services.
"""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.roles import Role
from approvals.selectors import is_approved
from approvals.workflows import Kind
from referrals.workflows import State as ReferralState
from referrals.workflows import is_allocated_officer, may_withdraw


class State(models.TextChoices):
    REFERRED = "referred", "Referred to the scheme: finding a match"
    MATCHED = "matched", "Matched with a carer: taster sessions"
    TRIAL_STAYS = "trial_stays", "Tasters went well: overnight trial stays"
    AT_PANEL = "at_panel", "At the Care Authorisation Panel"
    FUNDED = "funded", "Funded: plan to send to Brokerage"
    WITH_BROKERAGE = "with_brokerage", "With Brokerage: purchase order to issue"
    COMMISSIONED = "commissioned", "Commissioned: purchase order issued"
    NO_MATCH = "no_match", "No carer could be matched"
    ENDED = "ended", "Ended: not arranged"
    STOPPED = "stopped", "Stopped: referral withdrawn"


ENDED_STATES = (State.COMMISSIONED, State.NO_MATCH, State.ENDED, State.STOPPED)
# Ended without being arranged: the scheme no longer needs to see the person.
NOT_ARRANGED = (State.NO_MATCH, State.ENDED, State.STOPPED)
LIVE_STATES = tuple(s for s in State.values if s not in ENDED_STATES)
# The social worker or the scheme ends it before the panel; once funded, before it goes to Brokerage. At the panel
# the panel decides first; with Brokerage, withdrawing the referral stops it.
ENDABLE = [State.REFERRED, State.MATCHED, State.TRIAL_STAYS, State.FUNDED]


# Who may act ------------------------------------------------------------------------------
def is_scheme(arrangement, user) -> bool:
    """The shared lives scheme's staff (a provider user of the scheme the person was referred to): the match, the
    tasters and the trial stays are theirs to record."""
    return user.has_role(Role.PROVIDER_USER) and user.provider_id == arrangement.scheme_id


def is_persons_worker(arrangement, user) -> bool:
    """The person's allocated social worker: the panel and the referral to Brokerage."""
    return user.is_practitioner and arrangement.person.allocated_worker_id == user.pk


def is_panel_member(arrangement, user) -> bool:
    return user.has_role(Role.CAP_MEMBER)


def is_officer(arrangement, user) -> bool:
    """The officer the arrangement's referral to Brokerage is allocated to."""
    return arrangement.referral_id is not None and is_allocated_officer(arrangement.referral, user)


def may_end(arrangement, user) -> bool:
    return is_persons_worker(arrangement, user) or is_scheme(arrangement, user)


def may_withdraw_referral(arrangement, user) -> bool:
    """Who withdraws the referral (its referrer or the person's practitioner) stops the arrangement with it."""
    return arrangement.referral_id is not None and may_withdraw(arrangement.referral, user)


# What must be true ------------------------------------------------------------------------
def carer_named(arrangement) -> bool:
    """Name the matched shared lives carer."""
    return bool(arrangement.carer_name.strip())


def a_taster_went_well(arrangement) -> bool:
    """No taster session has gone well yet: record how each went."""
    return arrangement.visits.filter(kind="taster", outcome="went_well").exists()


def a_trial_stay_went_well(arrangement) -> bool:
    """No overnight trial stay has gone well yet: record how each went."""
    return arrangement.visits.filter(kind="trial_stay", outcome="went_well").exists()


def panel_approved(arrangement) -> bool:
    """The Care Authorisation Panel has not approved funding for the plan."""
    return is_approved(arrangement.plan_id, kinds=(Kind.PANEL,))


def referral_withdrawn(arrangement) -> bool:
    """The referral to Brokerage has not been withdrawn."""
    return arrangement.referral_id is not None and arrangement.referral.state == ReferralState.WITHDRAWN


def cost_within_approval(arrangement) -> bool:
    """Enter the weekly cost: above £0 and within the panel's approved weekly amount."""
    return arrangement.cost_is_authorised


def start_date_set(arrangement) -> bool:
    """Enter the date the arrangement starts."""
    return arrangement.start_date is not None


def ending_reason_given(arrangement) -> bool:
    """Say why the arrangement ends."""
    return bool(arrangement.ending_reason.strip())


class ArrangementWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.REFERRED, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=State.REFERRED,
        target=State.MATCHED,
        permission=is_scheme,
        conditions=[carer_named],
        custom={"action": "shared_lives/actions/match.html", "form_supplies": [carer_named]},
    )
    def record_match(self):
        """The scheme has found a shared lives carer for the person: taster sessions follow."""

    @transition(
        state,
        source=State.REFERRED,
        target=State.NO_MATCH,
        permission=is_scheme,
        conditions=[ending_reason_given],
        custom={"action": "shared_lives/actions/no_match.html", "form_supplies": [ending_reason_given]},
    )
    def record_no_match(self):
        """The scheme cannot find a suitable carer: the arrangement ends, with the reason."""

    @transition(
        state,
        source=State.MATCHED,
        target=State.TRIAL_STAYS,
        permission=is_scheme,
        conditions=[a_taster_went_well],
        custom={"action": "shared_lives/actions/start_trial_stays.html"},
    )
    def start_trial_stays(self):
        """The taster sessions went well: overnight stays of one night follow, for a trial period."""

    @transition(
        state,
        source=State.TRIAL_STAYS,
        target=State.AT_PANEL,
        permission=is_persons_worker,
        conditions=[a_taster_went_well, a_trial_stay_went_well],
        custom={"action": "shared_lives/actions/send_to_panel.html"},
    )
    def send_to_panel(self):
        """The social worker presents the case at the Care Authorisation Panel for funding."""

    @transition(
        state,
        source=State.AT_PANEL,
        target=State.FUNDED,
        permission=is_panel_member,
        conditions=[panel_approved],
        custom={"action": "shared_lives/actions/decide_funding.html", "form_supplies": [panel_approved]},
    )
    def approve_funding(self):
        """The panel approves funding, up to a weekly amount."""

    @transition(state, source=State.AT_PANEL, target=State.TRIAL_STAYS, permission=is_panel_member)
    def decline_funding(self):
        """The panel declines funding: the social worker may present the case again, or end the arrangement."""

    @transition(state, source=State.AT_PANEL, target=State.AT_PANEL, permission=is_panel_member)
    def defer_funding(self):
        """The panel defers its decision: the case stays with the panel."""

    @transition(
        state,
        source=State.FUNDED,
        target=State.WITH_BROKERAGE,
        permission=is_persons_worker,
        conditions=[panel_approved],
        custom={"action": "shared_lives/actions/send_to_brokerage.html"},
    )
    def send_to_brokerage(self):
        """The funded plan goes to Brokerage: a referral in the team's queue."""

    @transition(
        state,
        source=State.WITH_BROKERAGE,
        target=State.COMMISSIONED,
        permission=is_officer,
        conditions=[panel_approved, cost_within_approval, start_date_set],
        custom={
            "action": "shared_lives/actions/commission.html",
            "form_supplies": [cost_within_approval, start_date_set],
        },
    )
    def commission(self):
        """The officer updates the record: the agreement with the scheme, the care package and its purchase order."""

    @transition(
        state,
        source=ENDABLE,
        target=State.ENDED,
        permission=may_end,
        conditions=[ending_reason_given],
        custom={"action": "shared_lives/actions/end.html", "form_supplies": [ending_reason_given]},
    )
    def end(self):
        """The arrangement ends before it is commissioned (the tasters or the stays did not go well, say): the
        reason is kept."""

    @transition(
        state,
        source=State.WITH_BROKERAGE,
        target=State.STOPPED,
        permission=may_withdraw_referral,
        conditions=[referral_withdrawn],
    )
    def stop(self):
        """The referral to Brokerage was withdrawn before the purchase order: the arrangement ends with it."""


LAYOUT = {
    State.REFERRED: (0, 0),
    State.MATCHED: (0, 1),
    State.TRIAL_STAYS: (0, 2),
    State.AT_PANEL: (0, 3),
    State.FUNDED: (0, 4),
    State.WITH_BROKERAGE: (0, 5),
    State.COMMISSIONED: (0, 6),
    State.NO_MATCH: (1, 0),
    State.ENDED: (1, 3),
    State.STOPPED: (1, 5),
}
