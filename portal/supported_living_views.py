"""Supported living in the provider portal: a provider the officer chose for an assessment reads the person's details
and plan (each view audited), sends its proposal of 1:1 hours and a cost breakdown, and downloads the agreement once
commissioned with it. A provider not chosen, or no longer needed, gets "not found" (supported_living.access)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import record_refusal, record_view
from core.exceptions import ActionRefused
from supported_living.access import access_chosen_for_provider
from supported_living.forms import ProposalForm
from supported_living.models import Proposal
from supported_living.services import submit_proposal
from supported_living.views import agreement_file_response
from supported_living.workflows import State

from .access import provider_of, provider_required
from .selectors import long_date, money, shared_record_rows


@require_http_methods(["GET", "POST"])
@provider_required
def assessment(request, chosen_id: int):
    chosen = access_chosen_for_provider(provider_of(request.user), chosen_id)
    placement = chosen.placement
    proposal = Proposal.objects.filter(chosen=chosen).prefetch_related("lines").first()
    may_propose = placement.state == State.ASSESSMENTS
    initial = {}
    if proposal is not None:
        initial = {"one_to_one_hours": proposal.one_to_one_hours, "notes": proposal.notes}
        for line in proposal.lines.all():
            initial[line.kind] = line.weekly_amount
            if line.kind == "other":
                initial["other_description"] = line.description
    form = ProposalForm(request.POST or None, initial=initial) if may_propose else None
    if request.method == "POST":
        if form is None:
            refusal = ActionRefused("Proposals are sent while the chosen providers are assessing the person.")
            record_refusal(actor=request.user, obj=placement, person=placement.person, reason=refusal.message)
            messages.error(request, refusal.message)
            return redirect("portal:supported_living_assessment", chosen.pk)
        if form.is_valid():
            try:
                submit_proposal(chosen, acting_user=request.user, **form.proposal_fields())
            except ActionRefused as refusal:
                record_refusal(actor=request.user, obj=placement, person=placement.person, reason=refusal.message)
                form.add_error(None, refusal.message)
            else:
                messages.success(request, "Your proposal has been sent to Brokerage.")
                return redirect("portal:supported_living_assessment", chosen.pk)
    record_view(
        actor=request.user,
        obj=placement,
        person=placement.person,
        what=f"supported living {placement.reference} in the provider portal",
    )
    plan = placement.referral.plan
    person_rows, plan_rows = shared_record_rows(placement.person, plan)
    if plan is not None:
        plan_rows = [
            ("Kind of supported living provision", plan.get_provision_kind_display()),
            ("1:1 hours a week", str(plan.one_to_one_hours) if plan.one_to_one_hours is not None else ""),
            *plan_rows,
        ]
    return render(
        request,
        "portal/supported_living_assessment.html",
        {
            "chosen": chosen,
            "placement": placement,
            "person_name": placement.person.full_name,
            "person_rows": person_rows,
            "plan_rows": plan_rows,
            "proposal": proposal,
            "proposal_rows": [
                *[(line.get_kind_display(), money(line.weekly_amount)) for line in proposal.lines.all()],
                ("Weekly cost", money(proposal.weekly_cost)),
                ("1:1 hours a week", str(proposal.one_to_one_hours)),
                ("Sent", long_date(proposal.submitted_at.date())),
            ]
            if proposal
            else [],
            "form": form,
            "commissioned": placement.state == State.COMMISSIONED and placement.agreement_id is not None,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_GET
@provider_required
def agreement(request, chosen_id: int):
    chosen = access_chosen_for_provider(provider_of(request.user), chosen_id)
    return agreement_file_response(request, chosen.placement, where=" in the provider portal")
