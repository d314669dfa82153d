"""A care package's state machine: the service a person receives, from its first purchase order to its end.

Each condition's docstring is the reason shown when it is unmet; each permission is a rule about who may act.
Side effects (versions, agreements, purchase orders, the log and the audit trail) live in packages.services.

A package is suspended and recommences as its suspensions' days come (packages.models.PackageSuspension, arranged
by the changes app, which also sweeps the scheduled ones).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
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


def suspended_today(package) -> bool:
    """The suspension has not started yet: it begins on its first day."""
    today = timezone.localdate()
    return package.suspensions.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today), valid_from__lte=today).exists()


def not_suspended_today(package) -> bool:
    """The service is suspended until its recommencement date."""
    return not suspended_today(package)


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

    @transition(
        state,
        source=State.ACTIVE,
        target=State.SUSPENDED,
        permission=is_team_officer,
        conditions=[suspended_today],
    )
    def suspend(self):
        """The first day of a suspension: no service is delivered, nor paid, until it recommences."""

    @transition(
        state,
        source=State.SUSPENDED,
        target=State.ACTIVE,
        permission=is_team_officer,
        conditions=[not_suspended_today],
    )
    def recommence(self):
        """The suspension is over: the service is delivered again on the same terms."""

    @transition(state, source=LIVE_STATES, target=State.ENDED, permission=is_team_officer, conditions=[has_last_day])
    def end(self):
        """The service ends on its last day: the agreement ends and its purchase order is closed."""
