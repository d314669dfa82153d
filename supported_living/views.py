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
from .access import access_placement
from .models import SUPPORTED_LIVING_MACHINE as MACHINE
from .selectors import placement_page
from .workflows import State, is_officer, is_persons_worker

# The page's forms: the step's slug in its URL → (the form, the service it calls, what it says after).
STEPS = {
    "close-bidding": (None, services.close_bidding, "Bidding has closed."),
    "share-details": (forms.ShareDetailsForm, services.share_details, "The person's details are shared."),
    "off-framework": (
        forms.OffFrameworkForm,
        services.use_provider_off_framework,
        "The provider off the DPS will assess the person. The DPS team has been told.",
    ),
    "review-proposals": (None, services.review_proposals, "The proposals are ready to review."),
    "start-negotiation": (None, services.start_negotiation, "You can now negotiate."),
    "agree-terms": (forms.AgreeTermsForm, services.agree_terms, "The terms are agreed."),
    "viewing": (forms.ViewingForm, services.record_viewing, "The viewing is recorded."),
    "decide-funding": (forms.FundingForm, services.decide_funding, "The panel's decision is recorded."),
    "commission": (
        forms.CommissionForm,
        services.commission,
        "Commissioned: the purchase order and the agreement are being made.",
    ),
    "withdraw": (forms.WithdrawForm, services.withdraw, "The placement has ended: the person is not placed."),
}


def _form(slug, placement, bound):
    form_class = STEPS[slug][0]
    if isinstance(bound, form_class):
        return bound
    return form_class(placement=placement, prefix=slug)


def placement_page_response(request, placement, *, bound=None, bound_slug: str = ""):
    record_view(
        actor=request.user, obj=placement, person=placement.person, what=f"supported living {placement.reference}"
    )
    user = request.user
    page = placement_page(placement)
    officer, worker = is_officer(placement, user), is_persons_worker(placement, user)
    reviewing = placement.state == State.JOINT_REVIEW
    reviewed = {r.by_role for r in page.reviews}
    may_review = reviewing and ((officer and "officer" not in reviewed) or (worker and "social_worker" not in reviewed))
    may_propose = officer and placement.state == State.ASSESSMENTS
    context = {
        "placement": placement,
        "person": placement.person,
        "referral": placement.referral,
        "plan": placement.plan,
        "actions": MACHINE.actions(placement, user),
        "forms": {
            slug.replace("-", "_"): _form(slug, placement, bound)
            for slug, (form_class, *_) in STEPS.items()
            if form_class
        },
        "form": bound,
        "chosen": page.chosen,
        "reviews": page.reviews,
        "transitions": page.transitions,
        "is_officer": officer,
        "review_form": (bound if bound_slug == "review" else forms.ReviewForm(placement=placement, prefix="review"))
        if may_review
        else None,
        "proposal_form": (
            bound if bound_slug == "proposal" else forms.OfficerProposalForm(placement=placement, prefix="proposal")
        )
        if may_propose
        else None,
        "picture": MACHINE.picture(placement.state),
    }
    return render(request, "supported_living/placement_detail.html", context, status=400 if bound is not None else 200)


@require_GET
def placement_detail(request, placement_id: int):
    return placement_page_response(request, access_placement(request.user, placement_id))


def _refused(request, placement, refusal):
    return refuse(request, refusal, obj=placement, person=placement.person, redirect_to=placement.get_absolute_url())


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
        return _refused(request, placement, refusal)
    messages.success(request, success)
    if not can_view_person(request.user, placement.person):
        return redirect("home")  # a panel member's need to see the person ends with the decision
    return redirect(placement.get_absolute_url())


@require_POST
def record_review(request, placement_id: int):
    placement = access_placement(request.user, placement_id)
    form = forms.ReviewForm(request.POST, placement=placement, prefix="review")
    if not form.is_valid():
        if placement.state != State.JOINT_REVIEW:
            return _refused(request, placement, ActionRefused("Reviews are recorded while the proposals are reviewed."))
        return placement_page_response(request, placement, bound=form, bound_slug="review")
    try:
        services.record_review(placement, acting_user=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        return _refused(request, placement, refusal)
    messages.success(request, "Your review is recorded.")
    return redirect(placement.get_absolute_url())


@require_POST
def record_proposal(request, placement_id: int):
    placement = access_placement(request.user, placement_id)
    form = forms.OfficerProposalForm(request.POST, placement=placement, prefix="proposal")
    if not form.is_valid():
        if not (is_officer(placement, request.user) and placement.state == State.ASSESSMENTS):
            return _refused(
                request, placement, ActionRefused("Only the officer records a proposal, while providers assess.")
            )
        return placement_page_response(request, placement, bound=form, bound_slug="proposal")
    try:
        services.submit_proposal(form.cleaned_data["chosen"], acting_user=request.user, **form.proposal_fields())
    except ActionRefused as refusal:
        return _refused(request, placement, refusal)
    messages.success(request, f"{form.cleaned_data['chosen'].provider}'s proposal is recorded.")
    return redirect(placement.get_absolute_url())


@require_http_methods(["GET", "POST"])
def publish(request, placement_id: int):
    placement = access_placement(request.user, placement_id)
    if not MACHINE.may(placement, "publish_requirement", request.user):
        refusal = ActionRefused(
            (MACHINE.unmet_conditions(placement, "publish_requirement") or [""])[0]
            if MACHINE.step(placement, "publish_requirement") is None
            else "Only the officer this referral is allocated to can publish its requirement."
        )
        return _refused(request, placement, refusal)
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
        "supported_living/publish.html",
        {"form": form, "placement": placement, "referral": placement.referral, "plan": placement.plan},
        status=400 if form.errors else 200,
    )


def agreement_file_response(request, placement, *, where: str = ""):
    """The agreement PDF, its download audited as a view of the person's record; 202 while it is being made."""
    if placement.agreement_id is None:
        raise Http404("This placement has no agreement yet")
    return stored_pdf(
        request,
        file=placement.agreement_pdf,
        filename=f"{placement.reference}-agreement.pdf",
        obj=placement,
        person=placement.person,
        what=f"supported living agreement {placement.reference}{where}",
        pending="supported_living/agreement_pending.html",
        context={"placement": placement},
    )


@require_GET
def agreement_pdf(request, placement_id: int):
    return agreement_file_response(request, access_placement(request.user, placement_id))
