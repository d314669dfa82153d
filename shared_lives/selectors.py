"""Reading shared lives arrangements: the page's rows, and the lists on home pages. Each list is one query."""

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import ArrangementTransition, SharedLivesArrangement, Visit
from .workflows import NOT_ARRANGED, State


def at_panel() -> QuerySet[SharedLivesArrangement]:
    """Shared lives cases waiting for the Care Authorisation Panel, oldest first."""
    return (
        SharedLivesArrangement.objects.filter(state=State.AT_PANEL)
        .select_related("person", "scheme")
        .order_by("modified_at", "id")
    )


def for_scheme(provider_id: int) -> QuerySet[SharedLivesArrangement]:
    """The arrangements referred to a scheme that it may still open, newest first."""
    return (
        SharedLivesArrangement.objects.filter(scheme_id=provider_id)
        .exclude(state__in=NOT_ARRANGED)
        .select_related("person")
        .order_by("-created_at", "-id")
    )


def for_person(person) -> QuerySet[SharedLivesArrangement]:
    return SharedLivesArrangement.objects.filter(person=person).select_related("scheme").order_by("-created_at", "-id")


@dataclass(frozen=True)
class ArrangementPage:
    tasters: list[Visit]
    trial_stays: list[Visit]
    transitions: list[ArrangementTransition]


def arrangement_page(arrangement) -> ArrangementPage:
    """Everything an arrangement's page lists: two queries."""
    visits = list(arrangement.visits.select_related("recorded_by"))
    return ArrangementPage(
        tasters=[v for v in visits if v.kind == Visit.Kind.TASTER],
        trial_stays=[v for v in visits if v.kind == Visit.Kind.TRIAL_STAY],
        transitions=list(arrangement.transitions.select_related("by")),
    )
