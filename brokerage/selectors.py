"""The Brokerage task queue: every list in it is written once, here, with a fixed query count."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from referrals.models import Referral
from referrals.workflows import BROKERAGE_STATES, State


class QueueView:
    UNALLOCATED = "unallocated"
    MINE = "mine"
    TEAM = "team"


@dataclass(frozen=True)
class QueueFilters:
    view: str = QueueView.UNALLOCATED
    service_type: str = ""
    state: str = ""
    officer_id: int | None = None
    overdue: bool = False


def queue(user: User, filters: QueueFilters) -> QuerySet[Referral]:
    """The user's team's Brokerage work: urgent first, then oldest first."""
    qs = Referral.objects.filter(team=user.team, state__in=BROKERAGE_STATES)
    if filters.view == QueueView.UNALLOCATED:
        qs = qs.filter(state=State.QUEUED)
    elif filters.view == QueueView.MINE:
        qs = qs.filter(allocated_to=user)
    elif filters.view == QueueView.TEAM and not user.is_team_lead:
        return qs.none()
    if filters.service_type:
        qs = qs.filter(service_type=filters.service_type)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.officer_id:
        qs = qs.filter(allocated_to_id=filters.officer_id)
    if filters.overdue:
        qs = qs.filter(due_by__lt=timezone.now())
    return (
        qs.select_related("person", "allocated_to")
        .only(
            "id",
            "kind",
            "change",
            "service_type",
            "urgent",
            "state",
            "queued_at",
            "due_by",
            "team",
            "person__id",
            "person__first_name",
            "person__last_name",
            "person__postcode",
            "allocated_to__id",
            "allocated_to__first_name",
            "allocated_to__last_name",
            "allocated_to__username",
        )
        .order_by("-urgent", "queued_at", "id")
    )


def team_officers(team: str) -> QuerySet[User]:
    brokerage_members = User.objects.filter(groups__name__in=[Role.BROKERAGE_OFFICER, Role.TEAM_LEAD]).values("pk")
    return User.objects.filter(team=team, is_active=True, pk__in=brokerage_members).order_by("first_name", "last_name")


def queue_counts(user: User) -> dict[str, int]:
    """Headline numbers for an officer's home page, in one query."""
    from django.db.models import Count, Q

    now = timezone.now()
    return Referral.objects.filter(team=user.team, state__in=BROKERAGE_STATES).aggregate(
        unallocated=Count("id", filter=Q(state=State.QUEUED)),
        urgent=Count("id", filter=Q(state=State.QUEUED, urgent=True)),
        mine=Count("id", filter=Q(allocated_to=user)),
        mine_overdue=Count("id", filter=Q(allocated_to=user, due_by__lt=now)),
        overdue=Count("id", filter=Q(due_by__lt=now)),
    )


def contacts_for_referral(referral):
    return referral.contacts.select_related("recorded_by")


def team_workload(team: str) -> list[dict]:
    """Open tasks per officer in a team, for the team lead: one query."""
    from django.db.models import Count, Q

    now = timezone.now()
    return list(
        team_officers(team)
        .annotate(
            open_tasks=Count("referrals_allocated", filter=Q(referrals_allocated__state__in=BROKERAGE_STATES)),
            overdue_tasks=Count(
                "referrals_allocated",
                filter=Q(referrals_allocated__state__in=BROKERAGE_STATES, referrals_allocated__due_by__lt=now),
            ),
        )
        .values("id", "first_name", "last_name", "username", "open_tasks", "overdue_tasks")
    )
