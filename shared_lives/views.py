"""Shared lives' pages: the referral to the scheme, the arrangement's page (the social worker, the scheme's staff,
the panel and the officer each see the steps that are theirs, from the machine) and the scheme's list."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import record_list_view, record_refusal, record_view
from core.exceptions import ActionRefused
from core.once import redirect_after, submit_once
from core.views import refuse
from people.access import access_person, can_change_person

from . import forms, services
from .access import access_arrangement, scheme_of
from .models import ARRANGEMENT_MACHINE
from .selectors import arrangement_page, for_scheme
from .workflows import State, is_scheme

# The arrangement page's forms: the step's slug in its URL → (the form, the service it calls, what it says after).
STEPS = {
    "match": (forms.MatchForm, services.record_match, "The match is recorded: taster sessions follow."),
    "no-match": (forms.NoMatchForm, services.record_no_match, "The arrangement has ended: no carer could be matched."),
    "taster": (forms.TasterForm, services.record_visit, "The taster session is recorded."),
    "start-trial-stays": (None, services.start_trial_stays, "Overnight trial stays can now be recorded."),
    "trial-stay": (forms.TrialStayForm, services.record_visit, "The overnight trial stay is recorded."),
    "send-to-panel": (None, services.send_to_panel, "The case is with the Care Authorisation Panel."),
    "decide-funding": (forms.DecideFundingForm, services.decide_funding, "The panel's decision is recorded."),
    "send-to-brokerage": (forms.SendToBrokerageForm, services.send_to_brokerage, "The plan has gone to Brokerage."),
    "commission": (forms.CommissionForm, services.commission, "Commissioned: the purchase order has been issued."),
    "end": (forms.EndForm, services.end, "The arrangement has ended."),
}
# Which visit form shows, for the scheme, in which state.
VISIT_FORMS = {State.MATCHED: "taster", State.TRIAL_STAYS: "trial_stay"}


def _form(slug, arrangement, bound):
    form_class = STEPS[slug][0]
    if isinstance(bound, form_class):
        return bound
    return form_class(arrangement=arrangement, prefix=slug)


def arrangement_page_response(request, arrangement, *, bound=None):
    user = request.user
    record_view(
        actor=user, obj=arrangement, person=arrangement.person, what=f"shared lives arrangement {arrangement.reference}"
    )
    page = arrangement_page(arrangement)
    step_forms = {
        slug.replace("-", "_"): _form(slug, arrangement, bound)
        for slug, (form_class, *_) in STEPS.items()
        if form_class
    }
    visit_form = VISIT_FORMS.get(arrangement.state) if is_scheme(arrangement, user) else None
    context = {
        "arrangement": arrangement,
        "person": arrangement.person,
        "plan": arrangement.plan,
        "referral": arrangement.referral,
        "actions": ARRANGEMENT_MACHINE.actions(arrangement, user),
        "forms": step_forms,
        "form": bound,
        "visit_form": visit_form,
        "tasters": page.tasters,
        "trial_stays": page.trial_stays,
        "transitions": page.transitions,
        "is_scheme": scheme_of(user) is not None,
        "picture": ARRANGEMENT_MACHINE.picture(arrangement.state),
    }
    return render(request, "shared_lives/arrangement_detail.html", context, status=400 if bound is not None else 200)


@require_GET
def arrangement_detail(request, arrangement_id: int):
    return arrangement_page_response(request, access_arrangement(request.user, arrangement_id))


@require_POST
def step(request, arrangement_id: int, step: str):
    if step not in STEPS:
        raise Http404("No such step")
    arrangement = access_arrangement(request.user, arrangement_id)
    form_class, action, success = STEPS[step]
    data = {}
    if form_class is not None:
        form = form_class(request.POST, arrangement=arrangement, prefix=step)
        if not form.is_valid():
            return arrangement_page_response(request, arrangement, bound=form)
        data = form.cleaned_data
    try:
        action(arrangement, acting_user=request.user, **data)
    except ActionRefused as refusal:
        return refuse(
            request, refusal, obj=arrangement, person=arrangement.person, redirect_to=arrangement.get_absolute_url()
        )
    messages.success(request, success)
    try:
        access_arrangement(request.user, arrangement.pk)
    except Http404:
        return redirect("home")  # the panel's, or an ended arrangement's scheme's, need to see the person ends
    return redirect(arrangement.get_absolute_url())


@require_http_methods(["GET", "POST"])
def refer(request, person_id: int):
    """The social worker sends the person's referral form to a shared lives scheme."""
    person = access_person(request.user, person_id)
    if not can_change_person(request.user, person):
        raise Http404("No such person, or not one of yours")
    form = forms.ReferForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            sent = submit_once(
                form,
                user=request.user,
                action=lambda data: services.refer_to_scheme(acting_user=request.user, person=person, **data),
            )
        except ActionRefused as refusal:
            record_refusal(actor=request.user, obj=person, person=person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            return redirect_after(
                request, sent, lambda arrangement: f"{arrangement.reference}: referred to {arrangement.scheme}."
            )
    if form.errors:
        form.renew_token()
    return render(
        request, "shared_lives/refer.html", {"form": form, "person": person}, status=400 if form.errors else 200
    )


@require_GET
def scheme_list(request):
    """The scheme's staff: the people referred to their scheme."""
    arrangements = list(for_scheme(scheme_of(request.user)))
    record_list_view(
        actor=request.user, what="their shared lives referrals", people=[a.person_id for a in arrangements]
    )
    return render(request, "shared_lives/scheme_list.html", {"arrangements": arrangements})
