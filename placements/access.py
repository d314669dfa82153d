from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from accounts.roles import Role
from people.access import can_view_person

from .models import Placement, PlacementHome
from .workflows import State


def fee_approval_awaits(user) -> Q | None:
    """A head of service sees the people whose placement fee waits for their approval (people.access)."""
    if not user.has_role(Role.HEAD_OF_SERVICE):
        return None
    return Q(Exists(Placement.objects.filter(person=OuterRef("pk"), state=State.AWAITING_FEE_APPROVAL)))


def access_placement(user, placement_id: int) -> Placement:
    """A placement whose person the user may see (people.access), or not found."""
    # Not the fee approval and the agreement, which come late in a placement and are read by their key if it has
    # them: each table joined costs PostgreSQL more to plan than to run, 4 ms at nine tables against 1 at seven.
    placement = (
        Placement.objects.select_related("person__allocated_worker", "referral__plan", "service_type", "requirement")
        .filter(pk=placement_id)
        .first()
    )
    if placement is None or not can_view_person(user, placement.person):
        raise Http404("No such placement, or not one you can see")
    return placement


def access_home(user, placement_id: int, home_id: int) -> PlacementHome:
    placement = access_placement(user, placement_id)
    home = placement.homes.select_related("provider").filter(pk=home_id).first()
    if home is None:
        raise Http404("No such home on this placement")
    home.placement = placement
    return home
