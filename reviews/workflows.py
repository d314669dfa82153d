"""A review's state machine: a 6-week review for the worker who asked for the change or set the admission date, a
12-month review for the review team (SPEC §4-§5).

scheduled → done (the outcome recorded) or cancelled (with the reason). Reminders, and the "due" and "overdue"
states a beat sweep will move a review into, come later: they join OPEN_STATES, and the two steps below leave from
every open state, so nothing here changes shape when they do.

Each condition's docstring is the reason shown when it is unmet; each permission is a rule about who may act. Side
effects (the log and the audit trail) live in reviews.services.
"""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.roles import Role


class Kind(models.TextChoices):
    SIX_WEEK = "six_week", "6-week review"
    TWELVE_MONTH = "twelve_month", "12-month review"


class State(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


# Still to be carried out: at most one such review of a kind for a package (a database constraint). "Due" and
# "overdue" join here when reminders come.
OPEN_STATES = (State.SCHEDULED,)
NOT_THE_REVIEWER = {
    Kind.SIX_WEEK: "Only the worker a 6-week review is assigned to can record it.",
    Kind.TWELVE_MONTH: "Only the review team can record a 12-month review.",
}
NOT_THE_CANCELLER = (
    "Only the Brokerage team working the package, or the worker the review is assigned to, can cancel it."
)


# Who may act ------------------------------------------------------------------------------
def is_reviewer(review, user) -> bool:
    """The worker a 6-week review is assigned to; any member of the review team for a 12-month review."""
    if review.kind == Kind.TWELVE_MONTH:
        return user.has_role(Role.REVIEW_TEAM)
    return review.assigned_to_id is not None and review.assigned_to_id == user.pk


def may_cancel(review, user) -> bool:
    """The Brokerage team that administers the package, or the worker a 6-week review is assigned to."""
    team_id = review.package.team_id
    return (user.is_brokerage and user.team_id == team_id) or (
        review.assigned_to_id is not None and review.assigned_to_id == user.pk
    )


# What must be true ------------------------------------------------------------------------
def outcome_recorded(review) -> bool:
    """Enter what the review found."""
    return bool(review.outcome.strip())


def cancel_reason_given(review) -> bool:
    """Enter why the review is cancelled."""
    return bool(review.cancel_reason.strip())


class ReviewWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(max_length=16, default=State.SCHEDULED, choices=State.choices, protected=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=OPEN_STATES,
        target=State.DONE,
        permission=is_reviewer,
        conditions=[outcome_recorded],
        custom={"action": "reviews/actions/record.html", "form_supplies": [outcome_recorded]},
    )
    def record(self):
        """The review was carried out: what it found is recorded."""

    @transition(
        state,
        source=OPEN_STATES,
        target=State.CANCELLED,
        permission=may_cancel,
        conditions=[cancel_reason_given],
        custom={"action": "reviews/actions/cancel.html", "form_supplies": [cancel_reason_given]},
    )
    def cancel(self):
        """The review is no longer needed (the package ended, or it was scheduled in error)."""


LAYOUT = {State.SCHEDULED: (0, 0), State.DONE: (0, 1), State.CANCELLED: (1, 1)}
