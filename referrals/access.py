from django.http import Http404

from people.access import can_view_person

from .models import Referral


def access_referral(user, referral_id: int) -> Referral:
    """A referral the user may see (they may see its person), or not found."""
    referral = (
        Referral.objects.select_related("person__area", "person__allocated_worker", "plan", "referred_by", "allocated_to")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or not can_view_person(user, referral.person):
        raise Http404("No such referral, or not one you can see")
    return referral
