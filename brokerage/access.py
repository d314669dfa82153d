from django.http import Http404

from people.access import can_view_person

from .models import ServiceAgreement


def access_agreement(user, agreement_id: int) -> ServiceAgreement:
    """An agreement whose person the user may see (council staff), or not found."""
    agreement = (
        ServiceAgreement.objects.select_related("person", "provider", "referral").filter(pk=agreement_id).first()
    )
    if agreement is None or not can_view_person(user, agreement.person):
        raise Http404("No such agreement, or not one you can see")
    return agreement
