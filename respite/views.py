from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import record_refusal, record_view
from core.documents import stored_pdf
from core.exceptions import ActionRefused
from core.views import refuse

from . import forms, services
from .access import access_allowance, access_booking
from .models import ALLOWANCE_MACHINE, BOOKING_MACHINE
from .selectors import allowance_page
from .workflows import State, is_officer

# The allowance page's forms: the step's slug in its URL → (the form, the service it calls, what it says after).
STEPS = {
    "load": (forms.LoadForm, services.load_allowance, "The allowance is loaded: the letter is being made."),
    "send-letter": (forms.LetterForm, services.send_letter, "The letter is recorded as sent: respite can be booked."),
}


def _back(request, allowance, refusal):
    return refuse(request, refusal, obj=allowance, person=allowance.person, redirect_to=allowance.get_absolute_url())


def allowance_page_response(request, allowance, *, bound=None, bound_slug: str = ""):
    record_view(actor=request.user, obj=allowance, person=allowance.person, what=f"respite {allowance.reference}")
    user = request.user
    page = allowance_page(allowance)
    step_forms = {
        slug.replace("-", "_"): bound if slug == bound_slug else form_class(allowance=allowance, prefix=slug)
        for slug, (form_class, *_) in STEPS.items()
    }
    bookings = []
    for booking in page.bookings:
        booking.allowance = allowance
        actions = BOOKING_MACHINE.actions(booking, user)
        form = bound if bound_slug == f"cancel-{booking.pk}" else forms.CancelForm(prefix=f"cancel-{booking.pk}")
        bookings.append((booking, actions, form))
    context = {
        "allowance": allowance,
        "person": allowance.person,
        "referral": allowance.referral,
        "actions": ALLOWANCE_MACHINE.actions(allowance, user),
        "forms": step_forms,
        "form": bound,
        "bookings": bookings,
        "may_book": allowance.state == State.LETTER_SENT and is_officer(allowance, user),
        "transitions": page.transitions,
        "picture": ALLOWANCE_MACHINE.picture(allowance.state),
        "booking_picture": BOOKING_MACHINE.picture(),
    }
    return render(request, "respite/allowance_detail.html", context, status=400 if bound is not None else 200)


@require_GET
def allowance_detail(request, allowance_id: int):
    return allowance_page_response(request, access_allowance(request.user, allowance_id))


@require_POST
def step(request, allowance_id: int, step: str):
    if step not in STEPS:
        raise Http404("No such step")
    allowance = access_allowance(request.user, allowance_id)
    form_class, action, success = STEPS[step]
    form = form_class(request.POST, allowance=allowance, prefix=step)
    if not form.is_valid():
        return allowance_page_response(request, allowance, bound=form, bound_slug=step)
    try:
        action(allowance, acting_user=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        return _back(request, allowance, refusal)
    messages.success(request, success)
    return redirect(allowance.get_absolute_url())


@require_http_methods(["GET", "POST"])
def book(request, allowance_id: int):
    allowance = access_allowance(request.user, allowance_id)
    if not is_officer(allowance, request.user):
        return _back(request, allowance, ActionRefused("Only the officer this referral is allocated to books respite."))
    if allowance.state != State.LETTER_SENT:
        return _back(request, allowance, ActionRefused("Respite is booked while the allowance is in use."))
    form = forms.BookingForm(request.POST or None, allowance=allowance)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.book_respite(allowance, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            record_refusal(actor=request.user, obj=allowance, person=allowance.person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request, f"Respite booked with {booking.provider}: purchase order {booking.purchase_order.number}."
            )
            return redirect(allowance.get_absolute_url())
    return render(
        request,
        "respite/book.html",
        {"form": form, "allowance": allowance, "referral": allowance.referral},
        status=400 if form.errors else 200,
    )


@require_POST
def cancel(request, allowance_id: int, booking_id: int):
    booking = access_booking(request.user, allowance_id, booking_id)
    allowance = booking.allowance
    form = forms.CancelForm(request.POST, prefix=f"cancel-{booking.pk}")
    if not form.is_valid():
        if not BOOKING_MACHINE.may(booking, "cancel", request.user):
            return _back(request, allowance, ActionRefused("Only the officer this referral is allocated to cancels."))
        return allowance_page_response(request, allowance, bound=form, bound_slug=f"cancel-{booking.pk}")
    try:
        services.cancel_booking(booking, acting_user=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        return _back(request, allowance, refusal)
    messages.success(request, f"Booking {booking.reference} is cancelled: its cost is back on the allowance.")
    return redirect(allowance.get_absolute_url())


@require_GET
def letter_pdf(request, allowance_id: int):
    allowance = access_allowance(request.user, allowance_id)
    if allowance.amount is None:
        raise Http404("This allowance has no letter yet")
    return stored_pdf(
        request,
        file=allowance.letter_pdf,
        filename=f"{allowance.reference}-letter.pdf",
        obj=allowance,
        person=allowance.person,
        what=f"respite letter {allowance.reference}",
        pending="respite/letter_pending.html",
        context={"allowance": allowance},
    )
