"""The commission's steps, each from the referral's page (or, to choose a bid, the requirement's): thin views over
commissioning.services. A form for a step that cannot be taken now says why instead."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import record_refusal, record_view
from brokerage.forms import AgreementForm
from brokerage.services import agreement_pricing
from core.exceptions import ActionRefused
from core.views import refuse
from dps.access import access_requirement_for_officer
from dps.forms import RepublishForm, RequirementForm, SelectBidForm, SpotContractForm
from referrals.access import access_referral
from referrals.work_views import refused_on_referral, with_own_work

from . import services
from .forms import AttachExplanationForm, ChallengeForm, InHouseForm, QualityAlertForm, RequestExplanationForm
from .models import COMMISSION_MACHINE, Explanation


def _team_referral(request, referral_id: int):
    """The referral, for the Brokerage team working it; not found if the user cannot see it."""
    referral = access_referral(request.user, referral_id)
    if not (request.user.is_brokerage and request.user.team_id == referral.team_id):
        raise PermissionDenied("Commissioning is done by the Brokerage team working the case.")
    return referral


with_commission = with_own_work(
    services.work_of,
    missing="Nothing is being commissioned for this referral: an officer takes it first.",
    access=_team_referral,
)
_refused = refused_on_referral


def _refuse_unless_may(request, commission, step: str):
    """Opening a form for a step that cannot be taken now says why, instead of a form that will fail."""
    # Conditions the form itself supplies (a requirement, a chosen provider) are checked on submit.
    if COMMISSION_MACHINE.may(commission, step, request.user):
        return None
    return _refused(
        request, commission, ActionRefused("Only the officer this referral is allocated to can do this, and only now.")
    )


def _requirement_form_page(request, commission, form_class, action, title, step):
    referral = commission.referral
    if request.method == "GET" and (refused := _refuse_unless_may(request, commission, step)):
        return refused
    form = form_class(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            requirement = action(commission, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            record_refusal(actor=request.user, obj=referral, person=referral.person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"Requirement {requirement.reference} is open for bids.")
            return redirect("dps:requirement", requirement.pk)
    return render(
        request,
        "dps/requirement_form.html",
        {"form": form, "referral": referral, "plan": referral.plan, "title": title},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@with_commission
def publish(request, commission):
    return _requirement_form_page(
        request,
        commission,
        RequirementForm,
        services.publish_requirement,
        "Publish a requirement",
        "publish_requirement",
    )


@require_http_methods(["GET", "POST"])
@with_commission
def republish(request, commission):
    return _requirement_form_page(
        request,
        commission,
        RepublishForm,
        services.republish_requirement,
        "Publish the requirement again",
        "republish",
    )


@require_POST
@with_commission
def close_bidding(request, commission):
    try:
        requirement = services.close_bidding(commission, acting_user=request.user)
    except ActionRefused as refusal:
        return _refused(request, commission, refusal)
    messages.success(request, "Bidding is closed. Score the answers, then choose a provider.")
    return redirect("dps:requirement", requirement.pk)


@require_POST
def select(request, requirement_id: int):
    requirement = access_requirement_for_officer(request.user, requirement_id)
    here = reverse("dps:requirement", args=[requirement.pk])
    commission = services.work_of(requirement.referral)
    if commission is None:
        return refuse(
            request,
            ActionRefused("Nothing is being commissioned for this referral."),
            obj=requirement,
            redirect_to=here,
        )
    commission.referral = access_referral(request.user, requirement.referral_id)
    form = SelectBidForm(request.POST, requirement=requirement)
    if not form.is_valid():
        messages.error(request, "Choose a provider and give the reason.")
        return redirect(here)
    try:
        services.select_bid(commission, acting_user=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        return refuse(request, refusal, obj=requirement, person=commission.referral.person, redirect_to=here)
    messages.success(request, f"{form.cleaned_data['bid'].provider} is selected. Now make the service agreement.")
    return redirect("referrals:detail", requirement.referral_id)


@require_http_methods(["GET", "POST"])
@with_commission
def spot_contract(request, commission):
    referral = commission.referral
    if request.method == "GET" and (refused := _refuse_unless_may(request, commission, "commission_spot_contract")):
        return refused
    form = SpotContractForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.commission_spot_contract(commission, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            record_refusal(actor=request.user, obj=referral, person=referral.person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request, f"Spot contract with {form.cleaned_data['provider']}: the DPS team has been told."
            )
            return redirect(referral.get_absolute_url())
    return render(
        request,
        "commissioning/spot_contract_form.html",
        {"form": form, "referral": referral},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@with_commission
def in_house(request, commission):
    referral = commission.referral
    if request.method == "GET" and (refused := _refuse_unless_may(request, commission, "choose_in_house")):
        return refused
    form = InHouseForm(request.POST if request.method == "POST" else None, referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.choose_in_house(commission, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            record_refusal(actor=request.user, obj=referral, person=referral.person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"A place at {form.cleaned_data['provider']}. Now make the service agreement.")
            return redirect(referral.get_absolute_url())
    return render(
        request,
        "commissioning/in_house_form.html",
        {"form": form, "referral": referral},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@with_commission
def award(request, commission):
    referral = commission.referral
    if request.method == "GET" and not COMMISSION_MACHINE.may(commission, "award", request.user):
        refusal = ActionRefused("The agreement is made by the allocated officer once a provider is chosen.")
        return _refused(request, commission, refusal)
    pricing = agreement_pricing(referral, commission.chosen_bid)
    requirement = referral.live_requirement
    initial = {"start_date": requirement.start_date if requirement else None, pricing.field: pricing.price}
    form = AgreementForm(request.POST or None, basis=pricing.basis, hours=pricing.weekly_hours, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.award(commission, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            record_refusal(actor=request.user, obj=referral, person=referral.person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                f"Service agreement {agreement.reference} made. {agreement.provider} can now "
                "see the person's details and plan, and the social worker has been told.",
            )
            return redirect(referral.get_absolute_url())
    return render(
        request,
        "commissioning/agreement_form.html",
        {
            "form": form,
            "referral": referral,
            "commission": commission,
            "provider": commission.chosen_provider,
            "bid": commission.chosen_bid,
            "hours": pricing.weekly_hours,
            "title": "Make the service agreement",
        },
        status=400 if form.errors else 200,
    )


@require_POST
@with_commission
def issue_purchase_order(request, commission):
    try:
        version = services.issue_purchase_order(commission, acting_user=request.user)
    except ActionRefused as refusal:
        return _refused(request, commission, refusal)
    order = version.purchase_order
    messages.success(request, f"Purchase order {order.number} issued. The service is active; the PDF is being made.")
    return redirect(commission.referral.get_absolute_url())


# A change of provider's challenge ------------------------------------------------------------------------------------
def _challenge_page(request, commission, *, status=200, **forms):
    referral = commission.referral
    explanations = list(commission.explanations.select_related("requested_by", "attached_by"))
    for explanation in explanations:  # each awaited one has its own form, its ids prefixed by its own
        if explanation.received_on is None:
            sent = forms.get("attach_form") if forms.get("attaching") == explanation.pk else None
            explanation.form = sent or AttachExplanationForm(prefix=f"explanation-{explanation.pk}")
    errors = next((f for f in forms.values() if hasattr(f, "errors") and f.errors), None)
    context = {
        "referral": referral,
        "commission": commission,
        "explanations": explanations,
        "form": errors,  # the error summary's
        "quality_alert": commission.quality_alert,
        "outcome_form": forms.get("outcome_form") or ChallengeForm(initial={"outcome": commission.challenge_outcome}),
        "request_form": forms.get("request_form") or RequestExplanationForm(),
        "alert_form": forms.get("alert_form") or QualityAlertForm(initial={"details": commission.challenge_outcome}),
        "unmet": COMMISSION_MACHINE.unmet_conditions(commission, "confirm_change"),
    }
    return render(request, "commissioning/challenge.html", context, status=status)


def _challenge_url(commission) -> str:
    return reverse("commissioning:challenge", args=[commission.referral_id])


def _refuse_unless_challenging(request, commission):
    if COMMISSION_MACHINE.may(commission, "confirm_change", request.user):
        return None
    return _refused(
        request,
        commission,
        ActionRefused(
            "Only the officer this referral is allocated to challenges a change of provider, and only first."
        ),
    )


def _challenge_step(request, commission, form, act, done: str, slot: str, **page):
    """One of the challenge's forms sent: its step taken and the page shown again with what was done, or the page
    with the form's errors (a refusal among them) and nothing changed."""
    if refused := _refuse_unless_challenging(request, commission):
        return refused
    if form.is_valid():
        try:
            result = act(acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, done(result) if callable(done) else done)
            return redirect(_challenge_url(commission))
    return _challenge_page(request, commission, status=400, **{slot: form}, **page)


@require_http_methods(["GET", "POST"])
@with_commission
def challenge(request, commission):
    if request.method == "GET":
        return _refuse_unless_challenging(request, commission) or _challenge_page(request, commission)
    act = partial(services.record_challenge, commission)
    return _challenge_step(
        request, commission, ChallengeForm(request.POST), act, "The challenge is recorded.", "outcome_form"
    )


@require_POST
@with_commission
def request_explanation(request, commission):
    def done(explanation):
        return f"Asked {explanation.get_from_whom_display().lower()} for a written explanation."

    act = partial(services.request_explanation, commission)
    return _challenge_step(request, commission, RequestExplanationForm(request.POST), act, done, "request_form")


def _explanation(request, explanation_id: int) -> Explanation:
    """The explanation, for the Brokerage team working its referral; not found otherwise."""
    explanation = Explanation.objects.select_related("commission").filter(pk=explanation_id).first()
    if explanation is None:
        raise Http404("No such explanation")
    explanation.commission.referral = _team_referral(request, explanation.commission.referral_id)
    return explanation


@require_POST
def attach_explanation(request, explanation_id: int):
    explanation = _explanation(request, explanation_id)
    form = AttachExplanationForm(request.POST, request.FILES, prefix=f"explanation-{explanation.pk}")
    done = f"The explanation from {explanation.get_from_whom_display().lower()} is attached."
    act = partial(services.attach_explanation, explanation)
    return _challenge_step(request, explanation.commission, form, act, done, "attach_form", attaching=explanation.pk)


@require_GET
def explanation_document(request, explanation_id: int):
    explanation = _explanation(request, explanation_id)
    if not explanation.document:
        raise Http404("No document was attached")
    referral = explanation.commission.referral
    record_view(actor=request.user, obj=referral, person=referral.person, what="a written explanation")
    return FileResponse(
        explanation.document.open("rb"),
        as_attachment=True,
        filename=f"explanation-{explanation.pk}.pdf",
        content_type="application/pdf",
    )


@require_POST
@with_commission
def quality_alert(request, commission):
    done = "The quality alert has gone to contract monitoring."
    act = partial(services.send_quality_alert, commission)
    return _challenge_step(request, commission, QualityAlertForm(request.POST), act, done, "alert_form")


@require_POST
@with_commission
def confirm_change(request, commission):
    try:
        services.confirm_change(commission, acting_user=request.user)
    except ActionRefused as refusal:
        return refuse(
            request,
            refusal,
            obj=commission.referral,
            person=commission.referral.person,
            redirect_to=_challenge_url(commission),
        )
    messages.success(request, "The change of provider is confirmed: find a new provider as for a new package.")
    return redirect(commission.referral.get_absolute_url())
