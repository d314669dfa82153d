"""The invoice's state machine (SPEC §5 "Payment"; issue 16): a provider's invoice for a service other than home care
(home care is paid from call monitoring), recorded by finance against its purchase order, checked against the order's
value and period, then approved for payment, queried with the provider, or rejected.

Each condition's docstring is the reason shown when it is unmet; the permission is the rule about who may act. The
note a step needs is typed into its form: the service puts it on the invoice (`step_note`, not a column: it is kept on
the transition's log row) before the machine asks. Side effects (the check, who decided and when) live in
invoices.services.
"""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.roles import Role


class State(models.TextChoices):
    RECEIVED = "received", "Received: to check"
    QUERIED = "queried", "Queried with the provider"
    APPROVED = "approved", "Approved for payment"
    REJECTED = "rejected", "Rejected"


WAITING_STATES = (State.RECEIVED, State.QUERIED)


# Who may act ------------------------------------------------------------------------------
def is_finance_officer(invoice, user) -> bool:
    """A finance officer checks, approves, queries and rejects invoices."""
    return user.is_authenticated and user.has_role(Role.FINANCE_OFFICER)


# What must be true ------------------------------------------------------------------------
def _note(invoice) -> str:
    return (getattr(invoice, "step_note", "") or "").strip()


def flags_explained(invoice) -> bool:
    """The check flagged this invoice: say why it is approved all the same."""
    return not invoice.is_flagged or bool(_note(invoice))


def query_said(invoice) -> bool:
    """Say what the provider is asked about the invoice."""
    return bool(_note(invoice))


def rejection_said(invoice) -> bool:
    """Say why the invoice is rejected."""
    return bool(_note(invoice))


class InvoiceWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.RECEIVED, choices=State.choices, protected=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=State.RECEIVED,
        target=State.APPROVED,
        permission=is_finance_officer,
        conditions=[flags_explained],
        custom={"action": "invoices/actions/approve.html", "form_supplies": [flags_explained]},
    )
    def approve(self):
        """Finance approves the invoice for payment: the payment run pays it."""

    @transition(
        state,
        source=State.RECEIVED,
        target=State.QUERIED,
        permission=is_finance_officer,
        conditions=[query_said],
        custom={"action": "invoices/actions/query.html", "form_supplies": [query_said]},
    )
    def query(self):
        """Finance asks the provider about the invoice: it waits for the answer."""

    @transition(
        state,
        source=State.QUERIED,
        target=State.RECEIVED,
        permission=is_finance_officer,
        custom={"action": "invoices/actions/answer.html"},
    )
    def answer(self):
        """The provider answered: a corrected amount or period may be recorded, and the invoice is checked again."""

    @transition(
        state,
        source=WAITING_STATES,
        target=State.REJECTED,
        permission=is_finance_officer,
        conditions=[rejection_said],
        custom={"action": "invoices/actions/reject.html", "form_supplies": [rejection_said]},
    )
    def reject(self):
        """Finance rejects the invoice: it is not paid."""


LAYOUT = {
    State.RECEIVED: (0, 0),
    State.QUERIED: (1, 0),
    State.APPROVED: (0, 1),
    State.REJECTED: (1, 1),
}
