"""A review's state machine: a 6-week review for the worker who asked for the change or set the admission date, a
12-month review for the review team (SPEC §4-§5).

scheduled → due (REMIND_BEFORE days before its due date: the worker, or the review team, is reminded) → overdue (its
due date passed without an outcome: escalated to the team lead). A review first seen after its due date (scheduled
late, or a sweep missed) goes straight from scheduled to overdue, and is escalated all the same. From every open
state it is recorded as done (the outcome) or cancelled (the reason).

Nobody moves a review to due or overdue by hand: the daily sweep does (reviews.services.sweep_reviews), set-based,
for the reviews these conditions pick out; its test holds it to them.

Each condition's docstring is the reason shown when it is unmet; each permission is a rule about who may act. Side
effects (the log, the audit trail, the e-mails) live in reviews.services.
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.roles import Role

# A reminder goes this long before the review is due.
REMIND_BEFORE = timedelta(days=7)


class Kind(models.TextChoices):
    SIX_WEEK = "six_week", "6-week review"
    TWELVE_MONTH = "twelve_month", "12-month review"


class State(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DUE = "due", "Due"
    OVERDUE = "overdue", "Overdue"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


# Still to be carried out: at most one such review of a kind for a package (a database constraint).
OPEN_STATES = (State.SCHEDULED, State.DUE, State.OVERDUE)
# What the daily sweep may still move on: an overdue review has been escalated, and stays as it is until recorded.
SWEPT_STATES = (State.SCHEDULED, State.DUE)
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
    if user is None:
        return False
    if review.kind == Kind.TWELVE_MONTH:
        return user.has_role(Role.REVIEW_TEAM)
    return review.assigned_to_id is not None and review.assigned_to_id == user.pk


def may_cancel(review, user) -> bool:
    """The Brokerage team that administers the package, or the worker a 6-week review is assigned to."""
    if user is None:
        return False
    team_id = review.package.team_id
    return (user.is_brokerage and user.team_id == team_id) or (
        review.assigned_to_id is not None and review.assigned_to_id == user.pk
    )


def is_the_sweep(review, user) -> bool:
    """Nobody by hand: the daily sweep (no acting user) moves a review on as its dates come."""
    return user is None


# What must be true ------------------------------------------------------------------------
def outcome_recorded(review) -> bool:
    """Enter what the review found."""
    return bool(review.outcome.strip())


def cancel_reason_given(review) -> bool:
    """Enter why the review is cancelled."""
    return bool(review.cancel_reason.strip())


def within_reminder_time(review) -> bool:
    """A reminder goes a week before the review is due, not sooner."""
    return review.due_on <= timezone.localdate() + REMIND_BEFORE


def not_yet_past_due(review) -> bool:
    """A review whose due date has passed is overdue, not reminded."""
    return review.due_on >= timezone.localdate()


def due_date_passed(review) -> bool:
    """A review is overdue only once its due date has passed without an outcome."""
    return review.due_on < timezone.localdate()


class ReviewWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(max_length=16, default=State.SCHEDULED, choices=State.choices, protected=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=State.SCHEDULED,
        target=State.DUE,
        permission=is_the_sweep,
        conditions=[within_reminder_time, not_yet_past_due],
    )
    def remind(self):
        """The review is due within the week: the worker, or the review team, is reminded."""

    @transition(state, source=SWEPT_STATES, target=State.OVERDUE, permission=is_the_sweep, conditions=[due_date_passed])
    def mark_overdue(self):
        """The due date passed without an outcome: the review is escalated to the team lead."""

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


LAYOUT = {
    State.SCHEDULED: (0, 0),
    State.DUE: (0, 1),
    State.OVERDUE: (0, 2),
    State.DONE: (1, 0),
    State.CANCELLED: (1, 2),
}
