from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import record_list_view, record_refusal, record_view
from core.exceptions import ActionRefused
from core.once import redirect_after, submit_once
from core.pagination import keyset_page
from core.views import refuse
from people.access import access_person
from referrals.access import access_referral

from . import services
from .access import access_concern
from .forms import CloseConcernForm, ConcernForm
from .selectors import CLOSED_ORDER, NEEDING_ACTION_SHOWN, closed_for, contact_details_for, needing_action

CLOSED_PAGE_SIZE = 25


def inbox_page(request):
    needing = list(needing_action(request.user)[: NEEDING_ACTION_SHOWN + 1])
    closed = keyset_page(
        closed_for(request.user),
        ordering=CLOSED_ORDER,
        size=CLOSED_PAGE_SIZE,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    shown = needing[:NEEDING_ACTION_SHOWN]
    record_list_view(
        actor=request.user, what="the concerns inbox", people=[c.person_id for c in [*shown, *closed.object_list]]
    )
    return render(
        request,
        "concerns/inbox.html",
        {
            "needing_action": shown,
            "more_needing_action": len(needing) > NEEDING_ACTION_SHOWN,
            "closed": closed.object_list,
            "pagination": closed.navigation(request.GET),
        },
    )


@require_http_methods(["GET", "POST"])
def concern_create(request, person_id: int):
    person = access_person(request.user, person_id)
    referral = None
    if request.GET.get("referral") or request.POST.get("referral"):
        try:
            referral = access_referral(request.user, int(request.GET.get("referral") or request.POST.get("referral")))
        except ValueError:
            referral = None
        if referral is not None and referral.person_id != person.pk:
            referral = None
    form = ConcernForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        back = referral.get_absolute_url() if referral else person.get_absolute_url()
        try:
            sent = submit_once(
                form,
                user=request.user,
                url=lambda _: back,
                action=lambda data: services.raise_concern(
                    acting_user=request.user, person=person, referral=referral, **data
                ),
            )
        except ActionRefused as refusal:
            record_refusal(actor=request.user, obj=person, person=person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            return redirect_after(
                request,
                sent,
                lambda concern: (
                    f"Your {concern.get_kind_display().lower()} has been sent to the {concern.get_routed_to_display()} "
                    f"(reference C-{concern.pk})."
                ),
            )
    return render(
        request,
        "concerns/concern_form.html",
        {"form": form, "person": person, "referral": referral},
        status=400 if form.errors else 200,
    )


def concern_detail(request, concern_id: int):
    concern = access_concern(request.user, concern_id)
    contact_details = contact_details_for(concern, request.user)
    what = f"concern C-{concern.pk}" + (" with the person's address and phone number" if contact_details else "")
    record_view(actor=request.user, obj=concern, person=concern.person, what=what)
    return render(
        request,
        "concerns/concern_detail.html",
        {
            "concern": concern,
            "can_handle": request.user.has_role(concern.routed_to),
            "close_form": CloseConcernForm(),
            "contact_details": contact_details,
        },
    )


@require_POST
def concern_acknowledge(request, concern_id: int):
    concern = access_concern(request.user, concern_id)
    try:
        services.acknowledge_concern(concern, acting_user=request.user)
    except ActionRefused as refusal:
        return refuse(
            request,
            refusal,
            obj=concern,
            person=concern.person,
            redirect_to=reverse("concerns:detail", args=[concern.pk]),
        )
    messages.success(request, "Acknowledged.")
    return redirect("concerns:detail", concern.pk)


@require_POST
def concern_close(request, concern_id: int):
    concern = access_concern(request.user, concern_id)
    form = CloseConcernForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Record the outcome before closing.")
        return redirect("concerns:detail", concern.pk)
    try:
        services.close_concern(concern, acting_user=request.user, outcome=form.cleaned_data["outcome"])
    except ActionRefused as refusal:
        return refuse(
            request,
            refusal,
            obj=concern,
            person=concern.person,
            redirect_to=reverse("concerns:detail", args=[concern.pk]),
        )
    messages.success(request, "Closed.")
    return redirect("concerns:detail", concern.pk)
