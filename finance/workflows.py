"""A reconciled visit's small machine: a visit that matched its plan is payable as it stands; any other outcome
(missed, short, late, unplanned, duplicate) is an exception that a finance officer accepts (it is paid) or rejects
(it is not), with a note either way. Paying (finance.payments) never changes a line: a payment line points at it,
once."""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.roles import Role


class Outcome(models.TextChoices):
    MATCHED = "matched", "Matched"
    SHORT = "short", "Short"
    LATE = "late", "Late or early"
    MISSED = "missed", "Missed"
    UNPLANNED = "unplanned", "Unplanned"
    DUPLICATE = "duplicate", "Duplicate"


class LineState(models.TextChoices):
    PAYABLE = "payable", "Payable: matched its plan"
    OPEN = "open", "Exception to decide"
    ACCEPTED = "accepted", "Accepted: to be paid"
    REJECTED = "rejected", "Rejected: not paid"


PAYABLE_STATES = (LineState.PAYABLE, LineState.ACCEPTED)
DECIDED_STATES = (LineState.ACCEPTED, LineState.REJECTED)


def is_finance_officer(line, user) -> bool:
    """A finance officer works the exceptions."""
    return user.has_role(Role.FINANCE_OFFICER)


def note_given(line) -> bool:
    """Say why, in the note."""
    return bool(line.note.strip())


def not_paid(line) -> bool:
    """This visit has been paid in a payment run: its decision stands."""
    return not line.paid


class VisitLineWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=LineState.OPEN, choices=LineState.choices, protected=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=LineState.OPEN,
        target=LineState.ACCEPTED,
        permission=is_finance_officer,
        conditions=[note_given, not_paid],
        custom={"action": "finance/actions/decide.html", "form_supplies": [note_given]},
    )
    def accept(self):
        """Pay the visit as it is: at the pay basis for a short or late visit, the planned time for a missed one,
        the time the carer stayed for an unplanned or duplicate one."""

    @transition(
        state,
        source=LineState.OPEN,
        target=LineState.REJECTED,
        permission=is_finance_officer,
        conditions=[note_given, not_paid],
        custom={"action": "finance/actions/decide.html", "form_supplies": [note_given]},
    )
    def reject(self):
        """Do not pay the visit."""
