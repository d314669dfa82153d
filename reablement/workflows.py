"""A reablement case's state machine: from the hospital's pathway referral to SPA, to the end of the service, only
through the single point of access (SPEC §4 "Reablement"; the Haringey procedure, "Reablement").

SPA screens the referral, writes the reablement plan and sends it to Brokerage, which sources it as home care on
the referral's own steps. While the package runs, an increase or decrease comes only from an SPA re-assessment and
termination only from SPA, for one of the two reasons the procedure allows; Brokerage applies each (it liaises with
the provider and changes the record, steps 3 to 5 of the procedure) and SPA is told.

Each condition's docstring is the reason shown when it is unmet; each permission is a rule about who may act.
Side effects (the plan, the referral, the package, e-mails, the log and the audit trail) live in
reablement.services.
"""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.roles import Role
from packages.selectors import package_for_referral


class State(models.TextChoices):
    REFERRED = "referred", "Referred by the hospital"
    NOT_ACCEPTED = "not_accepted", "Not accepted by SPA"
    ACCEPTED = "accepted", "Accepted: plan to write"
    PLANNED = "planned", "Reablement plan written"
    WITH_BROKERAGE = "with_brokerage", "With Brokerage"
    CHANGE_REQUESTED = "change_requested", "Re-assessed: change waiting for Brokerage"
    TERMINATION_REQUESTED = "termination_requested", "Ending waiting for Brokerage"
    TERMINATED = "terminated", "Ended"


OPEN_STATES = (
    State.REFERRED,
    State.ACCEPTED,
    State.PLANNED,
    State.WITH_BROKERAGE,
    State.CHANGE_REQUESTED,
    State.TERMINATION_REQUESTED,
)
NOT_SPA = (
    "Reablement is asked for, changed and ended only through the single point of access (SPA) team; "
    "Brokerage applies what SPA asks."
)
LAYOUT = {
    State.REFERRED: (0, 0),
    State.NOT_ACCEPTED: (1, 0),
    State.ACCEPTED: (0, 1),
    State.PLANNED: (0, 2),
    State.WITH_BROKERAGE: (0, 3),
    State.CHANGE_REQUESTED: (1, 3),
    State.TERMINATION_REQUESTED: (0, 4),
    State.TERMINATED: (0, 5),
}


# Who may act ------------------------------------------------------------------------------
def is_spa(case, user) -> bool:
    """A worker of the single point of access team."""
    return user.is_authenticated and user.has_role(Role.SPA_WORKER)


def is_brokerage_team(case, user) -> bool:
    """An officer or team lead of the Brokerage team the reablement referral went to."""
    return case.referral_id is not None and user.is_brokerage and user.team_id == case.referral.team_id


# What must be true ------------------------------------------------------------------------
def has_reason_not_accepted(case) -> bool:
    """Say why SPA does not accept the referral."""
    return bool(case.not_accepted_reason.strip())


def has_plan(case) -> bool:
    """Write the reablement plan first: hours a week, a breakdown by day, a start date and the reablement worker."""
    return (
        case.weekly_hours is not None
        and case.start_date is not None
        and case.worker_id is not None
        and case.days.filter(reassessment__isnull=True).exists()
    )


def package_is_active(case) -> bool:
    """Brokerage has not started the package yet: it can be changed or ended once it is active."""
    package = package_for_referral(case.referral_id) if case.referral_id else None
    return package is not None and package.state == "active"


def has_pending_reassessment(case) -> bool:
    """Record the re-assessment first: the new hours a week, the breakdown by day and the date it takes effect."""
    return case.pending_reassessment is not None


def decrease_has_evidence(case) -> bool:
    """A decrease needs the evidence that the reduced service will still be enough for the person to reach their
    baseline independence."""
    reassessment = case.pending_reassessment
    return reassessment is None or not reassessment.is_decrease or bool(reassessment.evidence.strip())


def termination_reason_allowed(case) -> bool:
    """Reablement ends only when the person is back at their baseline independence, or has been in hospital for a
    week or longer with no expected discharge date."""
    return case.termination_reason_problem() is None


class CaseWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.REFERRED, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=State.REFERRED,
        target=State.ACCEPTED,
        permission=is_spa,
        custom={"action": "reablement/actions/accept.html"},
    )
    def accept(self):
        """SPA screens the hospital's referral and accepts it."""

    @transition(
        state,
        source=State.REFERRED,
        target=State.NOT_ACCEPTED,
        permission=is_spa,
        conditions=[has_reason_not_accepted],
        custom={"action": "reablement/actions/not_accept.html", "form_supplies": [has_reason_not_accepted]},
    )
    def not_accept(self):
        """SPA screens the referral and does not accept it, saying why."""

    @transition(
        state,
        source=State.ACCEPTED,
        target=State.PLANNED,
        permission=is_spa,
        conditions=[has_plan],
        custom={"action": "reablement/actions/write_plan.html", "form_supplies": [has_plan]},
    )
    def write_plan(self):
        """SPA writes the reablement plan."""

    @transition(
        state,
        source=State.PLANNED,
        target=State.WITH_BROKERAGE,
        permission=is_spa,
        conditions=[has_plan],
        custom={"action": "reablement/actions/send_to_brokerage.html"},
    )
    def send_to_brokerage(self):
        """SPA sends the plan to Brokerage: the referral joins the team's queue, needing no panel."""

    @transition(
        state,
        source=State.WITH_BROKERAGE,
        target=State.CHANGE_REQUESTED,
        permission=is_spa,
        conditions=[package_is_active, has_pending_reassessment, decrease_has_evidence],
        custom={
            "action": "reablement/actions/reassess.html",
            "form_supplies": [has_pending_reassessment, decrease_has_evidence],
        },
    )
    def reassess(self):
        """SPA re-assesses and asks Brokerage to increase or decrease the service."""

    @transition(
        state,
        source=State.CHANGE_REQUESTED,
        target=State.WITH_BROKERAGE,
        permission=is_brokerage_team,
        conditions=[package_is_active, has_pending_reassessment],
        custom={"action": "reablement/actions/apply_change.html"},
    )
    def apply_change(self):
        """Brokerage applies the re-assessment to the package, tells the provider, and SPA is told."""

    @transition(
        state,
        source=State.WITH_BROKERAGE,
        target=State.TERMINATION_REQUESTED,
        permission=is_spa,
        conditions=[package_is_active, termination_reason_allowed],
        custom={"action": "reablement/actions/request_termination.html", "form_supplies": [termination_reason_allowed]},
    )
    def request_termination(self):
        """SPA asks Brokerage to end reablement from a date, for a reason the procedure allows."""

    @transition(
        state,
        source=State.TERMINATION_REQUESTED,
        target=State.TERMINATED,
        permission=is_brokerage_team,
        conditions=[package_is_active],
        custom={"action": "reablement/actions/terminate.html"},
    )
    def terminate(self):
        """Brokerage ends the package on the date SPA gave, tells the provider, and SPA is told."""
