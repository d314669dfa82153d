"""Reading placements: the page's rows, and the lists on home pages. Each list is one query."""

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import FeeOffer, Placement, PlacementAssessment, PlacementHome, PlacementTransition
from .workflows import State


def fee_approvals_awaiting(user) -> QuerySet[Placement]:
    """Placements whose negotiated fee waits for a head of service, oldest first."""
    return (
        Placement.objects.filter(state=State.AWAITING_FEE_APPROVAL)
        .select_related("person", "service_type", "referral__plan")
        .order_by("modified_at", "id")
    )


def viewings_for(worker) -> QuerySet[Placement]:
    """The social worker's people with care homes to view, oldest first."""
    return (
        Placement.objects.filter(state=State.VIEWINGS, person__allocated_worker=worker)
        .select_related("person", "service_type")
        .order_by("modified_at", "id")
    )


def placement_for_referral(referral) -> Placement | None:
    return Placement.objects.filter(referral=referral).first()


@dataclass(frozen=True)
class PlacementPage:
    homes: list[PlacementHome]
    assessments: list[PlacementAssessment]
    offers: list[FeeOffer]
    transitions: list[PlacementTransition]


def placement_page(placement) -> PlacementPage:
    """Everything a placement's page lists: four queries."""
    return PlacementPage(
        homes=list(placement.homes.select_related("provider", "bid", "recorded_by")),
        assessments=list(placement.assessments.select_related("home__provider", "arranged_by")),
        offers=list(placement.offers.select_related("recorded_by")),
        transitions=list(placement.transitions.select_related("by")),
    )
