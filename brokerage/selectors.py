"""The Brokerage task queue: every list in it is written once, here, with a fixed query count."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from catalogue.sourcing import referrals_at_stage, stage_annotations, stage_label
from core.urls import url_for
from purchase_orders.selectors import current_orders
from referrals.models import Referral
from referrals.workflows import BROKERAGE_STATES, State

from .models import ServiceAgreement


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
    # One condition on the state, never "in the queue's states and queued": PostgreSQL takes the two as
    # independent, expects a few dozen rows for thousands, and joins them all before sorting.
    stage = filters.state if ":" in filters.state else ""  # where the service type's own work is (catalogue.sourcing)
    wanted = State.ALLOCATED if stage else filters.state
    states = [s for s in BROKERAGE_STATES if not wanted or s == wanted]
    if filters.view == QueueView.UNALLOCATED:
        states = [s for s in states if s == State.QUEUED]
    qs = Referral.objects.filter(team=user.team_id)
    if not states or (filters.view == QueueView.TEAM and not user.is_team_lead):
        return qs.none()
    qs = qs.filter(state=states[0]) if len(states) == 1 else qs.filter(state__in=states)
    if filters.view == QueueView.MINE:
        qs = qs.filter(allocated_to=user)
    if filters.service_type:
        qs = qs.filter(service_type_id=filters.service_type)
    if stage:
        qs = qs.filter(pk__in=referrals_at_stage(stage))
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


KIND_LABELS, CHANGE_LABELS = dict(Referral.Kind.choices), dict(Referral.Change.choices)
STATE_LABELS = dict(State.choices)


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A row of a task list as the page shows it: worked out once here, so the template only prints."""

    reference: str
    url: str
    urgent: bool
    person: str
    task: str
    state: str
    officer: str
    due_by: str  # as shown, local time: the template's date filter costs more than the rest of the row
    overdue: bool


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y %H:%M}"


# What a task row needs, read as plain values: fifty rows of model instances cost more than their query.
TASK_ROW_FIELDS = (
    "id",
    "kind",
    "change",
    "service_type__name",
    "urgent",
    "state",
    "due_by",
    "allocated_to_id",
    "person__first_name",
    "person__last_name",
    "allocated_to__first_name",
    "allocated_to__last_name",
    "allocated_to__username",
)


def task_values(referrals: QuerySet[Referral]) -> QuerySet:
    """A task list's referrals as the plain values its rows need, with where each one's sourcing is: the service
    type's own work (catalogue.sourcing), read in the same query."""
    stages = stage_annotations()
    return referrals.annotate(**stages).values(*TASK_ROW_FIELDS, *stages, "person_id")


def task_rows(referrals, *, now: datetime | None = None) -> list[TaskRow]:
    """Rows for a task list from referrals read by task_values()."""
    now = now or timezone.now()
    rows = []
    for r in referrals:
        task = KIND_LABELS[r["kind"]] + (f" ({CHANGE_LABELS[r['change']].lower()})" if r["change"] else "")
        officer = "Not allocated"
        if r["allocated_to_id"]:
            name = f"{r['allocated_to__first_name']} {r['allocated_to__last_name']}".strip()
            officer = name or r["allocated_to__username"]
        rows.append(
            TaskRow(
                reference=f"BR-{r['id']:06d}",
                url=url_for("referrals:detail", r["id"]),
                urgent=r["urgent"],
                person=f"{r['person__first_name']} {r['person__last_name']}",
                task=f"{task}: {r['service_type__name']}",
                # An allocated task's sourcing is its service type's own work: the row says where that is.
                state=(r["state"] == State.ALLOCATED and stage_label(r)) or STATE_LABELS[r["state"]],
                officer=officer,
                due_by=_when(r["due_by"]),
                overdue=r["due_by"] is not None and r["due_by"] < now,
            )
        )
    return rows


def team_officers(team: str) -> QuerySet[User]:
    brokerage_members = User.objects.filter(groups__name__in=[Role.BROKERAGE_OFFICER, Role.TEAM_LEAD]).values("pk")
    return User.objects.filter(team=team, is_active=True, pk__in=brokerage_members).order_by("first_name", "last_name")


def queue_counts(user: User) -> dict[str, int]:
    """Headline numbers for an officer's home page, in one query."""
    now = timezone.now()
    return Referral.objects.filter(team=user.team_id, state__in=BROKERAGE_STATES).aggregate(
        unallocated=Count("id", filter=Q(state=State.QUEUED)),
        urgent=Count("id", filter=Q(state=State.QUEUED, urgent=True)),
        mine=Count("id", filter=Q(allocated_to=user)),
        mine_overdue=Count("id", filter=Q(allocated_to=user, due_by__lt=now)),
        overdue=Count("id", filter=Q(due_by__lt=now)),
    )


def contacts_for_referral(referral):
    return referral.contacts.select_related("recorded_by")


def team_workload(team: str) -> list[dict]:
    """Open and overdue tasks per officer in a team, for the team lead: two queries.

    The team's open work is counted first, on its own index (referral_team_queue: a few thousand rows),
    then put beside the officers; joining the officers to every referral they were ever given would
    read years of them."""
    now = timezone.now()
    counts = {
        row["allocated_to"]: row
        for row in Referral.objects.filter(team=team, state__in=BROKERAGE_STATES, allocated_to__isnull=False)
        .values("allocated_to")
        .annotate(open_tasks=Count("id"), overdue_tasks=Count("id", filter=Q(due_by__lt=now)))
        .order_by()
    }
    return [
        {
            **officer,
            "open_tasks": counts.get(officer["id"], {}).get("open_tasks", 0),
            "overdue_tasks": counts.get(officer["id"], {}).get("overdue_tasks", 0),
        }
        for officer in team_officers(team).values("id", "first_name", "last_name", "username")
    ]


# A person's services ------------------------------------------------------------------------------
PAST_SERVICES_SHOWN = 20  # a person's page shows the latest ended agreements, up to this many


@dataclass(frozen=True)
class PersonAgreements:
    current: list[ServiceAgreement]  # active and not ended: every one
    past: list[ServiceAgreement]  # ended: the latest PAST_SERVICES_SHOWN
    more_past: bool  # there are older ended ones than those in `past`


def agreements_for_person(person, *, today=None) -> PersonAgreements:
    """The person's service agreements, latest start first, each with its provider and, as `current_orders`, the
    purchase order in force for it. Four queries however many agreements and orders (two when none has ended)."""
    today = today or timezone.localdate()
    orders = current_orders().only(
        "id", "agreement_id", "year", "sequence", "revision", "status", "issued_at", "last_day", "pdf"
    )
    agreements = (
        ServiceAgreement.objects.filter(person=person)
        .select_related("provider", "service_type")
        .only(
            "id",
            "referral_id",
            "person_id",
            "provider__id",
            "provider__name",
            "service_type__name",
            "start_date",
            "end_date",
            "weekly_hours",
            "weekly_cost",
            "status",
        )
        .prefetch_related(Prefetch("purchase_orders", queryset=orders, to_attr="current_orders"))
        .order_by("-start_date", "-id")
    )
    in_force = Q(status=ServiceAgreement.Status.ACTIVE) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    ended = Q(status=ServiceAgreement.Status.ENDED) | Q(end_date__lt=today)
    past = list(agreements.filter(ended)[: PAST_SERVICES_SHOWN + 1])
    return PersonAgreements(
        current=list(agreements.filter(in_force)),
        past=past[:PAST_SERVICES_SHOWN],
        more_past=len(past) > PAST_SERVICES_SHOWN,
    )
