"""A care package's state machine: the service a person receives, from its first purchase order to its end.

Each condition's docstring is the reason shown when it is unmet; each permission is a rule about who may act.
Side effects (versions, agreements, purchase orders, the log and the audit trail) live in packages.services.

Suspending and recommencing are the next issue's (PackageChange: a suspension's reason, from date and recommence
date, from the social worker): the state is here so the machine has its shape, but no transition leads to it yet.
"""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class State(models.TextChoices):
    PENDING_START = "pending_start", "Pending start"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    ENDED = "ended", "Ended"


LIVE_STATES = (State.PENDING_START, State.ACTIVE, State.SUSPENDED)
NOT_THE_TEAM = "Only the Brokerage team working this case can change its package."


# Who may act ------------------------------------------------------------------------------
def is_team_officer(package, user) -> bool:
    """An officer or team lead of the Brokerage team that administers the package."""
    return user.is_brokerage and user.team_id == package.team_id


# What must be true ------------------------------------------------------------------------
def has_purchase_order(package) -> bool:
    """Issue the package's first purchase order first."""
    return package.versions.filter(purchase_order__isnull=False).exists()


def has_last_day(package) -> bool:
    """Set the package's last day of service first."""
    return not package.versions.filter(valid_to__isnull=True).exists()


class PackageWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.PENDING_START, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(
        state,
        source=State.PENDING_START,
        target=State.ACTIVE,
        permission=is_team_officer,
        conditions=[has_purchase_order],
    )
    def start(self):
        """The first purchase order is issued: the service is active."""

    @transition(state, source=LIVE_STATES, target=State.ENDED, permission=is_team_officer, conditions=[has_last_day])
    def end(self):
        """The service ends on its last day: the agreement ends and its purchase order is closed."""
