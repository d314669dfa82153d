from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import record_refusal, record_view
from core.documents import stored_pdf
from core.exceptions import ActionRefused
from core.views import refuse
from people.access import can_view_person

from . import forms, services
from .access import access_home, access_placement
from .models import PLACEMENT_MACHINE
from .selectors import placement_page
from .workflows import State, is_officer, is_persons_worker

# The placement page's forms: the step's slug in its URL → (the form, the service it calls, what it says after).
STEPS = {
    "close-bidding": (None, services.close_bidding, "Bidding has closed."),
    "send-for-viewings": (None, services.send_for_viewings, "The homes have been sent to the social worker."),
    "off-framework": (forms.OffFrameworkForm, services.use_home_off_framework, "The home is on the viewing list."),
    "arrange-assessment": (forms.AssessmentForm, services.arrange_assessment, "The assessment is arranged."),
    "assessment-result": (forms.AssessmentResultForm, services.record_assessment, "The assessment is recorded."),
    "cost": (forms.CostForm, services.record_cost, "The home's cost is recorded."),
    "offer": (forms.OfferForm, services.add_offer, "The offer is recorded."),
    "agree-fee": (forms.FeeForm, services.agree_fee, "The fee is agreed."),
    "fee-approval": (forms.FeeApprovalForm, services.request_fee_approval, "A head of service has been asked."),
    "decide-fee": (forms.DecideFeeForm, services.decide_fee, "Your decision on the fee is recorded."),
    "admission": (forms.AdmissionForm, services.set_admission_date, "The admission date is set."),
    "commission": (None, services.commission, "Commissioned: the purchase order and the contract are being made."),
    "withdraw": (forms.WithdrawForm, services.withdraw, "The placement has ended: the person is not placed."),
}


def _form(slug, placement, bound):
    form_class = STEPS[slug][0]
    if isinstance(bound, form_class):
        return bound
    return form_class(placement=placement, prefix=slug)


def placement_page_response(request, placement, *, bound=None, bound_slug: str = ""):
    record_view(actor=request.user, obj=placement, person=placement.person, what=f"placement {placement.reference}")
    user = request.user
    actions = PLACEMENT_MACHINE.actions(placement, user)
    page = placement_page(placement)
    step_forms = {
        slug.replace("-", "_"): _form(slug, placement, bound) for slug, (form_class, *_) in STEPS.items() if form_class
    }
    may_view = is_persons_worker(placement, user) and placement.state == State.VIEWINGS
    viewing_forms = (
        {
            home.pk: (
                bound
                if bound_slug == f"home-{home.pk}"
                else forms.ViewingForm(placement=placement, prefix=f"home-{home.pk}")
            )
            for home in page.homes
        }
        if may_view
        else {}
    )
    context = {
        "placement": placement,
        "person": placement.person,
        "referral": placement.referral,
        "actions": actions,
        "forms": step_forms,
        "form": bound,
        "homes": [(home, viewing_forms.get(home.pk)) for home in page.homes],
        "assessments": page.assessments,
        "offers": page.offers,
        "transitions": page.transitions,
        "may_offer": placement.state == State.NEGOTIATING and is_officer(placement, user),
        "is_officer": is_officer(placement, user),
        "picture": PLACEMENT_MACHINE.picture(placement.state),
    }
    return render(request, "placements/placement_detail.html", context, status=400 if bound is not None else 200)


@require_GET
def placement_detail(request, placement_id: int):
    return placement_page_response(request, access_placement(request.user, placement_id))


@require_POST
def step(request, placement_id: int, step: str):
    if step not in STEPS:
        raise Http404("No such step")
    placement = access_placement(request.user, placement_id)
    form_class, action, success = STEPS[step]
    data = {}
    if form_class is not None:
        form = form_class(request.POST, placement=placement, prefix=step)
        if not form.is_valid():
            return placement_page_response(request, placement, bound=form, bound_slug=step)
        data = form.cleaned_data
    try:
        action(placement, acting_user=request.user, **data)
    except ActionRefused as refusal:
        return refuse(
            request, refusal, obj=placement, person=placement.person, redirect_to=placement.get_absolute_url()
        )
    messages.success(request, success)
    if not can_view_person(request.user, placement.person):
        return redirect("home")  # a head of service's need to see the person ends with the decision
    return redirect(placement.get_absolute_url())


@require_POST
def record_viewing(request, placement_id: int, home_id: int):
    home = access_home(request.user, placement_id, home_id)
    placement = home.placement
    form = forms.ViewingForm(request.POST, placement=placement, prefix=f"home-{home.pk}")
    if not form.is_valid():
        if not (is_persons_worker(placement, request.user) and placement.state == State.VIEWINGS):
            return refuse(
                request,
                ActionRefused("Only the person's social worker records their viewings, while homes are being viewed."),
                obj=placement,
                person=placement.person,
                redirect_to=placement.get_absolute_url(),
            )
        return placement_page_response(request, placement, bound=form, bound_slug=f"home-{home.pk}")
    try:
        services.record_viewing(home, acting_user=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        return refuse(
            request, refusal, obj=placement, person=placement.person, redirect_to=placement.get_absolute_url()
        )
    messages.success(request, f"The viewing of {home.provider} is recorded.")
    return redirect(placement.get_absolute_url())


@require_http_methods(["GET", "POST"])
def publish(request, placement_id: int):
    placement = access_placement(request.user, placement_id)
    if not PLACEMENT_MACHINE.may(placement, "publish_requirement", request.user):
        refusal = ActionRefused(
            (PLACEMENT_MACHINE.unmet_conditions(placement, "publish_requirement") or [""])[0]
            if PLACEMENT_MACHINE.step(placement, "publish_requirement") is None
            else "Only the officer this referral is allocated to can publish its requirement."
        )
        return refuse(
            request, refusal, obj=placement, person=placement.person, redirect_to=placement.get_absolute_url()
        )
    form = forms.PublishForm(request.POST or None, placement=placement)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_requirement(placement, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            record_refusal(actor=request.user, obj=placement, person=placement.person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "The requirement is on the DPS, open for bids.")
            return redirect(placement.get_absolute_url())
    return render(
        request,
        "placements/publish.html",
        {"form": form, "placement": placement, "referral": placement.referral},
        status=400 if form.errors else 200,
    )


@require_GET
def contract_pdf(request, placement_id: int):
    placement = access_placement(request.user, placement_id)
    if placement.agreement_id is None:
        raise Http404("This placement has no contract yet")
    return stored_pdf(
        request,
        file=placement.contract_pdf,
        filename=f"{placement.reference}-contract.pdf",
        obj=placement,
        person=placement.person,
        what=f"placement contract {placement.reference}",
        pending="placements/contract_pending.html",
        context={"placement": placement},
    )
