"""Who sees a supported living placement's person, and scoped look-ups.

- A Care Authorisation Panel member sees the person while their placement waits for the panel's funding decision
  (people.access); the decision ends it.
- A provider sees the person and the plan only once the officer chose it for an assessment, while the placement has
  work for it (the assessment, its proposal, the negotiation, the funding), and then only if it is the provider the
  terms were agreed with; any other provider gets "not found".
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from accounts.roles import Role
from people.access import can_view_person

from .models import ChosenProvider, SupportedLivingPlacement
from .workflows import SHARED_STATES, State


def funding_decision_awaits(user) -> Q | None:
    """A panel member sees the people whose supported living waits for the panel's decision (people.access)."""
    if not user.has_role(Role.CAP_MEMBER):
        return None
    return Q(Exists(SupportedLivingPlacement.objects.filter(person=OuterRef("pk"), state=State.AWAITING_FUNDING)))


def access_placement(user, placement_id: int) -> SupportedLivingPlacement:
    """A placement whose person the user may see (people.access), or not found."""
    placement = (
        SupportedLivingPlacement.objects.select_related(
            "person__allocated_worker", "referral__plan", "requirement", "agreed_with__provider", "funding_approval"
        )
        .filter(pk=placement_id)
        .first()
    )
    if placement is None or not can_view_person(user, placement.person):
        raise Http404("No such placement, or not one you can see")
    return placement


OPEN_TO_ALL_CHOSEN = (State.ASSESSMENTS, State.JOINT_REVIEW, State.NEGOTIATING)


def may_see(chosen: ChosenProvider) -> bool:
    """While proposals are made, reviewed and negotiated, every chosen provider whose provision the person has not
    turned down; once terms are agreed, only that provider."""
    placement = chosen.placement
    if placement.state == State.COMMISSIONED:
        return placement.agreed_with_id == chosen.pk
    if placement.state not in SHARED_STATES or chosen.outcome == ChosenProvider.Outcome.NOT_SUITABLE:
        return False
    return placement.state in OPEN_TO_ALL_CHOSEN or placement.agreed_with_id == chosen.pk


def access_chosen_for_provider(provider, chosen_id: int) -> ChosenProvider:
    """One of this provider's assessments, while it may see the person; anything else is not found."""
    chosen = (
        ChosenProvider.objects.select_related(
            "provider", "placement__person", "placement__referral__plan", "placement__agreed_with"
        )
        .filter(pk=chosen_id, provider=provider)
        .first()
    )
    if chosen is None or not may_see(chosen):
        raise Http404("No such assessment, or not one shared with your organisation")
    return chosen
