"""A change's steps, from the change referral's page: thin views over changes.services. A form for a step that
cannot be taken now says why instead."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import record_refusal
from core.exceptions import ActionRefused
from referrals.work_views import refused_on_referral, with_own_work

from . import services
from .forms import ArrangeForm, RecommenceForm
from .models import CHANGE_MACHINE

with_change = with_own_work(
    services.work_of, missing="No change is being made for this referral: an officer takes it first."
)
_refused = refused_on_referral


@require_http_methods(["GET", "POST"])
@with_change
def arrange(request, change):
    referral = change.referral
    if change.state != change.State.REQUESTED:  # the same form sent twice, say
        return _refused(request, change, ActionRefused(f"The {change.called} is already arranged."))
    if not CHANGE_MACHINE.may(change, "arrange", request.user):
        return _refused(request, change, ActionRefused("Only the officer this referral is allocated to arranges it."))
    form = ArrangeForm(request.POST or None, change=change)
    if request.method == "POST" and form.is_valid():
        try:
            services.arrange(change, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            record_refusal(actor=request.user, obj=referral, person=referral.person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"The {change.called} is arranged and the purchase order revised.")
            return redirect(referral.get_absolute_url())
    return render(
        request,
        "changes/arrange_form.html",
        {"form": form, "referral": referral, "change": change, "package": change.package},
        status=400 if form.errors else 200,
    )


@require_POST
@with_change
def recommence(request, change):
    form = RecommenceForm(request.POST)
    if not form.is_valid():
        return _refused(request, change, ActionRefused(next(iter(form.errors.values()))[0]))
    try:
        change = services.set_recommencement(change, acting_user=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        return _refused(request, change, refusal)
    day = form.cleaned_data["recommences_on"]
    if change.state == change.State.FINISHED:
        messages.success(request, f"The service has recommenced, from {day:%-d %B %Y}: the purchase order is revised.")
    else:
        messages.success(request, f"The service will recommence on {day:%-d %B %Y}: the purchase order shows it.")
    return redirect(change.referral.get_absolute_url())


@require_POST
@with_change
def person_told(request, change):
    try:
        services.record_person_told(change, acting_user=request.user)
    except ActionRefused as refusal:
        return _refused(request, change, refusal)
    messages.success(request, f"Recorded that {change.referral.person} was told.")
    return redirect(change.referral.get_absolute_url())
