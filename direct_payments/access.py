from django.http import Http404

from people.access import can_view_person

from .models import DirectPayment


def access_direct_payment(user, direct_payment_id: int) -> DirectPayment:
    """A direct payment whose person the user may see (people.access), or not found."""
    direct_payment = (
        DirectPayment.objects.select_related("person__allocated_worker", "referral__plan", "referral__allocated_to")
        .filter(pk=direct_payment_id)
        .first()
    )
    if direct_payment is None or not can_view_person(user, direct_payment.person):
        raise Http404("No such direct payment, or not one you can see")
    return direct_payment
