"""Who may open a shared lives arrangement: the object, or not found.

Council staff see it while they may see its person (people.access: the social worker holding the case, the panel
while the case waits for it, the Brokerage team once the referral is in its queue). The scheme's staff see the
arrangements referred to their scheme, and only those, until one ends without being arranged: they need the
person's details and plan to find a carer. Someone else's id is "not found", whatever it is.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from accounts.roles import Role
from people.access import can_view_person

from .models import SharedLivesArrangement
from .workflows import NOT_ARRANGED, State


def panel_decision_awaits(user) -> Q | None:
    """A panel member sees the people whose shared lives case waits for the panel (people.access)."""
    if not user.has_role(Role.CAP_MEMBER):
        return None
    return Q(Exists(SharedLivesArrangement.objects.filter(person=OuterRef("pk"), state=State.AT_PANEL)))


def scheme_of(user):
    """The scheme a provider user works for, or None for anyone else."""
    if user.is_authenticated and user.has_role(Role.PROVIDER_USER) and user.provider_id is not None:
        return user.provider_id
    return None


def access_arrangement(user, arrangement_id: int) -> SharedLivesArrangement:
    arrangement = (
        SharedLivesArrangement.objects.select_related(
            "person__allocated_worker", "person__area", "plan", "scheme", "referral__allocated_to", "panel_approval"
        )
        .filter(pk=arrangement_id)
        .first()
    )
    if arrangement is None:
        raise Http404("No such shared lives arrangement, or not one you can see")
    scheme = scheme_of(user)
    if scheme is not None:
        if arrangement.scheme_id != scheme or arrangement.state in NOT_ARRANGED:
            raise Http404("No such shared lives arrangement, or not one referred to your scheme")
    elif user.provider_id is not None or not can_view_person(user, arrangement.person):
        raise Http404("No such shared lives arrangement, or not one you can see")
    return arrangement
