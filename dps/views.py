from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from approvals.selectors import approved_weekly_amount
from audit.services import record_refusal, record_view
from core.exceptions import ActionRefused
from core.views import refuse

from . import services
from .access import access_notice, access_referral_for_shortlist, access_requirement_for_officer
from .forms import ClosingTimeForm, ScoreForm, SelectBidForm
from .models import REQUIREMENT_MACHINE, BidAnswer, DPSRequirement
from .selectors import rank_bids, spot_contract_notices
from .shortlist import off_framework_for, shortlist_for

NOTICES_PAGE_SIZE = 25
SHORTLIST_SHOWN = 20


@require_GET
def shortlist(request, referral_id: int):
    referral = access_referral_for_shortlist(request.user, referral_id)
    # A shortlist is short: every provider is ranked, the best are shown.
    ranked = shortlist_for(referral, best=SHORTLIST_SHOWN)
    off_framework = off_framework_for(referral, best=SHORTLIST_SHOWN)
    return render(
        request,
        "dps/shortlist.html",
        {
            "referral": referral,
            "plan": referral.plan,
            "district": referral.person.postcode_district,
            "approved_weekly_amount": approved_weekly_amount(referral.plan_id),
            "entries": ranked.entries,
            "entries_total": ranked.total,
            "off_framework": off_framework.entries,
            "off_framework_total": off_framework.total,
        },
    )


def requirement_detail(request, requirement_id: int):
    """The officer's view: the package as providers see it; once bidding closes, the bids to score."""
    requirement = access_requirement_for_officer(request.user, requirement_id)
    referral = requirement.referral
    record_view(
        actor=request.user, obj=requirement, person=referral.person, what=f"requirement {requirement.reference}"
    )
    closed = requirement.status != DPSRequirement.Status.OPEN
    answers = (
        list(
            BidAnswer.objects.filter(bid__requirement=requirement)
            .select_related("bid__provider", "outcome")
            .order_by("bid__provider__name", "outcome__position")
        )
        if closed
        else []
    )
    approved = approved_weekly_amount(referral.plan_id)
    ranked = rank_bids(requirement, approved_weekly_amount=approved) if closed else []
    reviewing = services.is_reviewing_bids(requirement)
    return render(
        request,
        "dps/requirement_detail.html",
        {
            "requirement": requirement,
            "referral": referral,
            "outcomes": requirement.outcomes.all(),
            "bid_count": requirement.bids.count(),
            "ranked": ranked,
            "reviewing": reviewing,
            "score_form": ScoreForm(answers=answers) if reviewing else None,
            "select_form": (
                SelectBidForm(requirement=requirement, approved_weekly_amount=approved)
                if reviewing and ranked
                else None
            ),
            "can_change_closing_time": services.why_closing_time_is_fixed(requirement, request.user) is None,
            "answers_by_bid": _answers_by_bid(answers, {r.bid.pk: r.above_approved_by for r in ranked}),
            "approved_weekly_amount": approved,
            "history": requirement.transitions.select_related("by"),
            "picture": REQUIREMENT_MACHINE.picture(requirement.status),
        },
    )


def _answers_by_bid(answers, above_approved_by: dict):
    """(bid, how much it is above the approved amount or None, its answers) for each bid, in the answers' order."""
    grouped = {}
    for answer in answers:
        grouped.setdefault(answer.bid, []).append(answer)
    return [(bid, above_approved_by.get(bid.pk), bid_answers) for bid, bid_answers in grouped.items()]


@require_http_methods(["GET", "POST"])
def change_closing_time(request, requirement_id: int):
    requirement = access_requirement_for_officer(request.user, requirement_id)
    referral = requirement.referral
    here = reverse("dps:requirement", args=[requirement.pk])
    if request.method == "GET" and (why := services.why_closing_time_is_fixed(requirement, request.user)):
        return refuse(request, ActionRefused(why), obj=requirement, person=referral.person, redirect_to=here)
    form = ClosingTimeForm(request.POST or None, requirement=requirement)
    if request.method == "POST" and form.is_valid():
        try:
            requirement = services.change_closing_time(requirement, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            record_refusal(actor=request.user, obj=requirement, person=referral.person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                f"Bidding now closes at {services.time_and_day(requirement.closes_at)}. "
                "The providers it went to, and any that bid, have been told.",
            )
            return redirect(here)
    return render(
        request,
        "dps/closing_time_form.html",
        {
            "form": form,
            "requirement": requirement,
            "referral": referral,
            "minimum_notice": services.length_in_words(services.MINIMUM_NOTICE_OF_CHANGE),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def score(request, requirement_id: int):
    requirement = access_requirement_for_officer(request.user, requirement_id)
    answers = list(BidAnswer.objects.filter(bid__requirement=requirement).select_related("bid__provider", "outcome"))
    form = ScoreForm(request.POST, answers=answers)
    if not form.is_valid():
        messages.error(request, "Each score is a whole number from 0 to 5.")
        return redirect("dps:requirement", requirement.pk)
    try:
        services.score_answers(requirement, acting_user=request.user, scores=form.scores())
    except ActionRefused as refusal:
        return refuse(
            request,
            refusal,
            obj=requirement,
            person=requirement.referral.person,
            redirect_to=reverse("dps:requirement", args=[requirement.pk]),
        )
    messages.success(request, "Scores saved.")
    return redirect("dps:requirement", requirement.pk)


def notices(request):
    page = Paginator(spot_contract_notices(), NOTICES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dps/notices.html", {"notices": page.object_list, "page_obj": page, "querystring": ""})


@require_POST
def acknowledge_notice(request, notice_id: int):
    notice = access_notice(request.user, notice_id)
    try:
        services.acknowledge_spot_contract_notice(notice, acting_user=request.user)
    except ActionRefused as refusal:
        return refuse(request, refusal, obj=notice, redirect_to="dps:notices")
    messages.success(request, "Acknowledged.")
    return redirect("dps:notices")
