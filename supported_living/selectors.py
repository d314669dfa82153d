"""Reading supported living placements: the page's rows, the lists on home pages and in the portal."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from .access import may_see
from .models import ChosenProvider, CostLine, JointReview, SupportedLivingPlacement, SupportedLivingTransition
from .workflows import SHARED_STATES, State


def funding_awaiting() -> QuerySet[SupportedLivingPlacement]:
    """Supported living cases waiting for the panel's funding decision, oldest first."""
    return (
        SupportedLivingPlacement.objects.filter(state=State.AWAITING_FUNDING)
        .select_related("person")
        .order_by("modified_at", "id")
    )


def for_worker(worker) -> QuerySet[SupportedLivingPlacement]:
    """The social worker's people whose supported living needs them: the proposals to review or a viewing."""
    return (
        SupportedLivingPlacement.objects.filter(
            state__in=(State.JOINT_REVIEW, State.VIEWING), person__allocated_worker=worker
        )
        .select_related("person")
        .order_by("modified_at", "id")
    )


def assessments_for(provider) -> list[ChosenProvider]:
    """The supported living assessments this provider was chosen for and may see now, newest first. The person's
    name is not read here: it is shown on the assessment's own page, where each view is audited."""
    rows = (
        ChosenProvider.objects.filter(provider=provider, placement__state__in=(*SHARED_STATES, State.COMMISSIONED))
        .select_related("placement")
        .order_by("-shared_at", "-id")
    )
    return [chosen for chosen in rows if may_see(chosen)]


@dataclass(frozen=True)
class PlacementPage:
    chosen: list[ChosenProvider]
    reviews: list[JointReview]
    transitions: list[SupportedLivingTransition]


def placement_page(placement) -> PlacementPage:
    """Everything the page lists: the chosen providers with their proposals and lines, the reviews, the steps."""
    chosen = (
        placement.chosen.select_related("provider", "bid", "proposal__submitted_by")
        .prefetch_related(Prefetch("proposal__lines", queryset=CostLine.objects.order_by("id")))
        .order_by("id")
    )
    return PlacementPage(
        chosen=list(chosen),
        reviews=list(placement.reviews.select_related("reviewed_by", "preferred__provider")),
        transitions=list(placement.transitions.select_related("by")),
    )
