from django.http import Http404

from people.access import can_view_person

from .models import RespiteAllowance, RespiteBooking


def access_allowance(user, allowance_id: int) -> RespiteAllowance:
    """An allowance whose person the user may see (people.access), or not found."""
    allowance = (
        RespiteAllowance.objects.select_related(
            "person__allocated_worker", "referral__allocated_to", "team", "approval"
        )
        .filter(pk=allowance_id)
        .first()
    )
    if allowance is None or not can_view_person(user, allowance.person):
        raise Http404("No such respite allowance, or not one you can see")
    return allowance


def access_booking(user, allowance_id: int, booking_id: int) -> RespiteBooking:
    allowance = access_allowance(user, allowance_id)
    booking = allowance.bookings.select_related("provider").filter(pk=booking_id).first()
    if booking is None:
        raise Http404("No such booking on this allowance")
    booking.allowance = allowance
    return booking
