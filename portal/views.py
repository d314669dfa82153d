"""The provider portal: anonymised requirements and bidding, then, once awarded, the person's package.

Every view is for provider users only (`provider_required`) and reads through portal.access, so
another organisation's ids are "not found". Requirement pages see only a `RequirementBrief`: the
referral and the person are never in their context.
"""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import record_refusal, record_view
from brokerage.models import ServiceAgreement
from core.documents import stored_pdf
from core.exceptions import ActionRefused
from core.pagination import keyset_page
from core.spreadsheets import safe_cell
from dps.selectors import bids_by_provider
from dps.services import submit_bid
from shared_lives.selectors import for_scheme
from supported_living.selectors import assessments_for

from .access import (
    access_agreement,
    access_purchase_order,
    access_requirement,
    may_read_requirement,
    own_bid,
    provider_of,
    provider_required,
)
from .forms import BidForm
from .selectors import (
    AGREEMENTS_ORDER,
    BID_STATUS_COLOURS,
    BIDS_ORDER,
    OPEN_REQUIREMENTS_ORDER,
    BidStatus,
    agreements_awarded_to,
    bid_status,
    open_requirements,
    own_bids,
    requirement_brief,
    shared_record,
)

HOME_SHOWN = 10  # of each list on the portal's home page; each has its own page for the rest
LIST_PAGE_SIZE = 25


@require_GET
@provider_required
def home(request):
    provider = provider_of(request.user)
    requirements = list(open_requirements(provider)[: HOME_SHOWN + 1])
    bids = list(bids_by_provider(provider)[: HOME_SHOWN + 1])
    agreements = list(agreements_awarded_to(provider)[: HOME_SHOWN + 1])
    return render(
        request,
        "portal/home.html",
        {
            "provider": provider,
            "open_requirements": requirements[:HOME_SHOWN],
            "more_requirements": len(requirements) > HOME_SHOWN,
            "bids": own_bids(provider, bids[:HOME_SHOWN]),
            "more_bids": len(bids) > HOME_SHOWN,
            "agreements": agreements[:HOME_SHOWN],
            "more_agreements": len(agreements) > HOME_SHOWN,
            "shared_lives_referrals": for_scheme(provider.pk).count(),  # a count: the names are on their own page
            "supported_living": assessments_for(provider),
        },
    )


def _page(request, queryset, ordering):
    return keyset_page(
        queryset,
        ordering=ordering,
        size=LIST_PAGE_SIZE,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )


@require_GET
@provider_required
def requirement_list(request):
    provider = provider_of(request.user)
    page = _page(request, open_requirements(provider), OPEN_REQUIREMENTS_ORDER)
    return render(
        request,
        "portal/requirement_list.html",
        {"provider": provider, "open_requirements": page.object_list, "pagination": page.navigation(request.GET)},
    )


@require_GET
@provider_required
def bid_list(request):
    provider = provider_of(request.user)
    page = _page(request, bids_by_provider(provider), BIDS_ORDER)
    return render(
        request,
        "portal/bid_list.html",
        {
            "provider": provider,
            "bids": own_bids(provider, page.object_list),
            "pagination": page.navigation(request.GET),
        },
    )


@require_GET
@provider_required
def agreement_list(request):
    provider = provider_of(request.user)
    page = _page(request, agreements_awarded_to(provider), AGREEMENTS_ORDER)
    return render(
        request,
        "portal/agreement_list.html",
        {"provider": provider, "agreements": page.object_list, "pagination": page.navigation(request.GET)},
    )


@require_http_methods(["GET", "POST"])
@provider_required
def requirement_detail(request, requirement_id: int):
    requirement = access_requirement(request.user, requirement_id)
    bid = own_bid(request.user, requirement)
    if not may_read_requirement(requirement, provider_of(request.user), bid):
        if bid is None:
            raise Http404("No such requirement, or not one open to your organisation")
        return render(
            request,
            "portal/bid_outcome.html",
            {"requirement_reference": requirement.reference, "bid": bid, "status": bid_status(requirement, bid)},
        )
    brief = requirement_brief(requirement)
    form = BidForm(request.POST or None, outcomes=brief.outcomes, weekly_hours=brief.weekly_hours, bid=bid)
    if request.method == "POST":
        valid = form.is_valid()
        # After the closing time the service gives the reason, whatever was typed.
        if valid or not brief.is_open_for_bids:
            try:
                submit_bid(requirement, acting_user=request.user, **form.bid_fields())
            except ActionRefused as refusal:
                record_refusal(actor=request.user, obj=requirement, reason=refusal.message)
                if not brief.is_open_for_bids:
                    form.errors.clear()
                form.add_error(None, refusal.message)
            else:
                done = "changed" if bid else "submitted"
                messages.success(
                    request, f"Your bid on {brief.reference} has been {done}. You can change it until bidding closes."
                )
                return redirect("portal:requirement", requirement.pk)
    answers = {a.outcome_id: a.answer for a in bid.answers.all()} if bid else {}
    status = bid_status(requirement, bid) if bid else None
    agreement = (
        ServiceAgreement.objects.filter(bid=bid, provider=bid.provider_id).values_list("pk", flat=True).first()
        if status == BidStatus.AWARDED
        else None
    )
    return render(
        request,
        "portal/requirement_detail.html",
        {
            "requirement": brief,
            "bid": bid,
            "bid_answers": [(o, answers.get(o.pk, "")) for o in brief.outcomes],
            "bid_status": status,
            "bid_status_colour": BID_STATUS_COLOURS[status] if status else "",
            "agreement_id": agreement,
            "form": form,
            "answer_fields": form.answer_fields(),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@provider_required
def requirement_export(request, requirement_id: int):
    requirement = access_requirement(request.user, requirement_id)
    if not may_read_requirement(requirement, provider_of(request.user), own_bid(request.user, requirement)):
        raise Http404("This requirement has been decided: only the outcome of your bid is shown")
    brief = requirement_brief(requirement)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{brief.reference}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the £ sign and accents as UTF-8
    writer = csv.writer(response)
    writer.writerow(["Field", "Value"])
    for key, value in brief.rows:
        writer.writerow([key, safe_cell(value)])
    writer.writerow(["Weight of quality (%)", brief.quality_weight])
    writer.writerow(["Weight of price (%)", brief.price_weight])
    for line in brief.scoring:
        writer.writerow(["How bids are scored", safe_cell(line)])
    writer.writerow([])
    writer.writerow(["Outcome statement", "Text"])
    for outcome in brief.outcomes:
        writer.writerow([outcome.position, safe_cell(outcome.text)])
    return response


@require_GET
@provider_required
def agreement_detail(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    record_view(
        actor=request.user,
        obj=agreement,
        person=agreement.person,
        what=f"service agreement {agreement.reference} in the provider portal",
    )
    return render(
        request, "portal/agreement_detail.html", {"record": shared_record(agreement), "agreement_id": agreement.pk}
    )


@require_GET
@provider_required
def purchase_order_pdf(request, order_id: int):
    order = access_purchase_order(request.user, order_id)
    # The order names the person: downloading it is a view of their record.
    return stored_pdf(
        request,
        file=order.pdf,
        filename=f"{order.number}-r{order.revision}.pdf",
        obj=order,
        person=order.agreement.person,
        what=f"purchase order {order.display_number} in the provider portal",
        pending="portal/pdf_pending.html",
        context={"order": order, "agreement_id": order.agreement_id},
    )
