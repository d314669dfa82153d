"""Domain actions on supported living placements. Each takes the acting user, runs the step through
SUPPORTED_LIVING_MACHINE (who may, from which state, with what data) under the placement's row lock, and writes its
rows, the log and the audit trail in one transaction; or is refused with the reason and changes nothing. Other apps'
rows are written by their services: dps (the requirement, the spot contract notice), approvals (the panel's funding
approval), brokerage (the agreement), packages (the package and its purchase order), reviews, and referrals (the
referral made active)."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from approvals.models import Approval
from approvals.services import decide_approval, request_approval
from audit.services import record_change
from brokerage.services import make_routed_agreement
from catalogue.sourcing import commissioned_when, work_finder
from core.exceptions import ActionRefused
from core.tasks import enqueue
from dps import services as dps
from packages.services import start_routed_package
from referrals.services import record_commissioned
from reviews.services import schedule_first_reviews

from .models import SUPPORTED_LIVING_MACHINE, ChosenProvider, CostLine, JointReview, Proposal, SupportedLivingPlacement
from .tasks import notify_assessment, render_supported_living_agreement
from .workflows import State, is_officer, is_persons_worker, providers_chosen

MACHINE = SUPPORTED_LIVING_MACHINE
PENNY = Decimal("0.01")


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _hours(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


# The route (catalogue.sourcing) ---------------------------------------------------------------------------------
def start_placement(referral, *, acting_user) -> SupportedLivingPlacement:
    """Called by referrals.services in the transaction that first gives the referral to an officer."""
    placement = SupportedLivingPlacement(
        referral=referral, person=referral.person, team_id=referral.team_id, created_by=acting_user
    )
    placement.full_clean(exclude=["state", "referral"])
    placement.save()
    record_change(
        actor=acting_user,
        obj=placement,
        person=referral.person,
        created=True,
        summary=f"Started supported living placement {placement.reference} for {referral.reference}",
    )
    return placement


is_commissioned = commissioned_when(SupportedLivingPlacement, State.COMMISSIONED)


work_of = work_finder(SupportedLivingPlacement)


def stop(referral, *, acting_user, reason: str) -> SupportedLivingPlacement | None:
    """Called by referrals.services in the transaction that withdraws the referral: the person is not placed, and a
    requirement still live is withdrawn, so providers can no longer bid on it."""
    placement = work_of(referral)
    if placement is None or placement.state in (State.COMMISSIONED, State.NOT_PLACED):
        return None
    placement = _locked(placement)
    placement.ending_reason = f"The referral was withdrawn: {reason}"
    dps.withdraw_live_requirement(placement.referral, acting_user=acting_user, reason=reason)
    return _step(placement, "stop", acting_user=acting_user, note=reason)


# Steps ------------------------------------------------------------------------------------------------------------
def _locked(placement) -> SupportedLivingPlacement:
    return (
        SupportedLivingPlacement.objects.select_for_update(of=("self",))
        .select_related("referral__plan", "person__allocated_worker", "requirement", "funding_approval", "agreed_with")
        .get(pk=placement.pk)
    )


def _step(placement, name: str, *, acting_user, note: str = "") -> SupportedLivingPlacement:
    return MACHINE.apply(placement, name, acting_user=acting_user, note=note)


def _refuse_unmet(placement, name: str) -> None:
    if unmet := MACHINE.unmet_conditions(placement, name):
        raise ActionRefused(" ".join(unmet))


def requirement_summary(plan, summary: str, areas_to_avoid: str) -> str:
    """What bidders read: the officer's summary, the kind of provision and 1:1 hours from the plan (choices and a
    number, never the plan's free text), and the areas to avoid as areas only."""
    lines = [summary.strip()]
    if plan is not None and plan.provision_kind:
        lines.append(f"Kind of provision: {plan.get_provision_kind_display()}.")
    if plan is not None and plan.one_to_one_hours is not None:
        lines.append(f"1:1 hours a week: {_hours(plan.one_to_one_hours)}.")
    if areas_to_avoid.strip():
        lines.append(f"Areas to avoid: {' '.join(areas_to_avoid.split())}.")
    return "\n\n".join(lines)


@transaction.atomic
def publish_requirement(
    placement, *, acting_user, summary: str, areas_to_avoid: str = "", **fields
) -> SupportedLivingPlacement:
    """The requirement goes on the DPS with only the postcode district of the person, the kind of provision, the
    1:1 hours and any areas to avoid (checked, as all its text is, for personal details)."""
    placement = _locked(placement)
    MACHINE.ensure_may(placement, "publish_requirement", acting_user)
    requirement = dps.publish_routed_requirement(
        placement.referral,
        acting_user=acting_user,
        summary=requirement_summary(placement.plan, summary, areas_to_avoid),
        **fields,
    )
    placement.requirement = requirement
    return _step(placement, "publish_requirement", acting_user=acting_user, note=requirement.reference)


@transaction.atomic
def close_bidding(placement, *, acting_user) -> SupportedLivingPlacement:
    placement = _locked(placement)
    MACHINE.ensure_may(placement, "close_bidding", acting_user)
    _refuse_unmet(placement, "close_bidding")
    requirement = dps.close_routed_bidding(placement.requirement, acting_user=acting_user)
    note = f"{requirement.reference}: {requirement.bids.count()} bid(s)"
    return _step(placement, "close_bidding", acting_user=acting_user, note=note)


@transaction.atomic
def share_details(placement, *, acting_user, bids) -> SupportedLivingPlacement:
    """The officer chooses one or more bidders after reviewing the bids: the person's details and plan are shared
    with exactly those providers (in their portal) for their assessments."""
    placement = _locked(placement)
    MACHINE.ensure_may(placement, "share_details", acting_user)
    if unmet := MACHINE.unmet_conditions(placement, "share_details", skip=(providers_chosen,)):
        raise ActionRefused(" ".join(unmet))
    bids = list(bids)
    if not bids:
        raise ActionRefused("Choose at least one bidding provider to share the person's details with.")
    if any(bid.requirement_id != placement.requirement_id for bid in bids):
        raise ActionRefused("Choose providers that bid on this placement's requirement.")
    for bid in bids:
        chosen = ChosenProvider.objects.create(
            placement=placement, provider=bid.provider, bid=bid, shared_by=acting_user
        )
        enqueue(notify_assessment, chosen.pk)
    names = ", ".join(sorted(str(bid.provider) for bid in bids))
    record_change(
        actor=acting_user,
        obj=placement,
        person=placement.person,
        summary=f"Shared the person's details and plan with {names} for their assessments",
        changes={"providers": [bid.provider_id for bid in bids]},
    )
    return _step(placement, "share_details", acting_user=acting_user, note=names)


@transaction.atomic
def use_provider_off_framework(placement, *, acting_user, provider, reason: str) -> SupportedLivingPlacement:
    """No DPS provider can deliver: a provider off the DPS, on a spot contract with the reason, assesses the person
    and is shared their details; a closed requirement is not awarded and the DPS team is told, so it can invite the
    provider to enrol."""
    placement = _locked(placement)
    MACHINE.ensure_may(placement, "use_provider_off_framework", acting_user)
    reason = reason.strip()
    if not reason:
        raise ActionRefused("Give the reason no DPS provider can deliver.")
    dps.record_routed_spot_contract(placement.referral, acting_user=acting_user, provider=provider, reason=reason)
    chosen = ChosenProvider.objects.create(
        placement=placement, provider=provider, off_framework_reason=reason, shared_by=acting_user
    )
    enqueue(notify_assessment, chosen.pk)
    record_change(
        actor=acting_user,
        obj=placement,
        person=placement.person,
        summary=f"Shared the person's details and plan with {provider} (off the DPS) for its assessment",
        changes={"providers": [provider.pk], "reason": reason},
    )
    return _step(placement, "use_provider_off_framework", acting_user=acting_user, note=f"{provider}: {reason}")


def _amount(value, what: str) -> Decimal:
    if value is None or value <= 0 or value != value.quantize(PENNY):
        raise ActionRefused(f"Enter {what} in pounds and pence, above £0.")
    return value


@transaction.atomic
def submit_proposal(
    chosen: ChosenProvider, *, acting_user, one_to_one_hours: Decimal, lines: dict, notes: str = ""
) -> Proposal:
    """A chosen provider's proposal after its assessment: the 1:1 hours a week and its weekly cost as line items
    (`lines`: a CostLine kind → amount, or → (amount, description)), which sum to the weekly cost. Sent by the
    provider's staff in their portal or recorded by the officer for it, while providers are assessing; sent again,
    it replaces the last."""
    placement = _locked(chosen.placement)
    chosen = ChosenProvider.objects.select_for_update().select_related("provider").get(pk=chosen.pk)
    by_provider = acting_user.provider_id is not None and acting_user.provider_id == chosen.provider_id
    if not (by_provider or is_officer(placement, acting_user)):
        raise ActionRefused("Only the provider, or the officer for it, sends its proposal.")
    if placement.state != State.ASSESSMENTS:
        raise ActionRefused("Proposals are sent while the chosen providers are assessing the person.")
    if one_to_one_hours is None or not Decimal("0") <= one_to_one_hours <= 168:
        raise ActionRefused("Enter the 1:1 hours a week, from 0 to 168.")
    cleaned = {}
    for kind, value in lines.items():
        amount, description = value if isinstance(value, tuple) else (value, "")
        if kind not in CostLine.Kind.values:
            raise ActionRefused("Each line of the breakdown is core support, 1:1 support, sleep-in or other.")
        if amount in (None, Decimal("0")):
            continue
        label = CostLine.Kind(kind).label.lower()
        cleaned[kind] = (_amount(amount, f"the weekly cost of {label}"), description.strip()[:200])
    if not cleaned:
        raise ActionRefused("Enter the weekly cost of at least one line of the breakdown.")
    if "other" in cleaned and not cleaned["other"][1]:
        raise ActionRefused("Say what the other cost is for.")
    total = sum((amount for amount, _ in cleaned.values()), Decimal("0"))
    proposal, created = Proposal.objects.update_or_create(
        chosen=chosen,
        defaults={
            "one_to_one_hours": one_to_one_hours,
            "weekly_cost": total,
            "notes": notes.strip(),
            "submitted_by": acting_user,
        },
    )
    proposal.lines.all().delete()
    CostLine.objects.bulk_create(
        CostLine(proposal=proposal, kind=kind, weekly_amount=amount, description=description)
        for kind, (amount, description) in cleaned.items()
    )
    record_change(
        actor=acting_user,
        obj=placement,
        person=placement.person,
        summary=f"{chosen.provider} proposed {_hours(one_to_one_hours)} 1:1 hours a week at {_money(total)} a week",
        changes={
            "provider": chosen.provider_id,
            "one_to_one_hours": one_to_one_hours,
            "lines": {kind: amount for kind, (amount, _) in cleaned.items()},
            "replaced": not created,
        },
    )
    return proposal


@transaction.atomic
def review_proposals(placement, *, acting_user) -> SupportedLivingPlacement:
    placement = _locked(placement)
    count = Proposal.objects.filter(chosen__placement=placement).count()
    return _step(placement, "review_proposals", acting_user=acting_user, note=f"{count} proposal(s)")


@transaction.atomic
def record_review(placement, *, acting_user, notes: str, preferred: ChosenProvider | None = None) -> JointReview:
    """The officer's or the social worker's review of the proposals, once each, while they are being reviewed."""
    placement = _locked(placement)
    if is_officer(placement, acting_user):
        by_role = JointReview.By.OFFICER
    elif is_persons_worker(placement, acting_user):
        by_role = JointReview.By.SOCIAL_WORKER
    else:
        raise ActionRefused("Only the officer and the person's social worker review the proposals.")
    if placement.state != State.JOINT_REVIEW:
        raise ActionRefused("Reviews are recorded while the proposals are being reviewed.")
    if placement.reviews.filter(by_role=by_role).exists():
        raise ActionRefused(f"The {JointReview.By(by_role).label.lower()}'s review is already recorded.")
    if not notes.strip():
        raise ActionRefused("Enter your review of the proposals.")
    if preferred is not None and (preferred.placement_id != placement.pk or not hasattr(preferred, "proposal")):
        raise ActionRefused("Choose a provider that sent a proposal.")
    review = JointReview.objects.create(
        placement=placement, by_role=by_role, preferred=preferred, notes=notes.strip(), reviewed_by=acting_user
    )
    record_change(
        actor=acting_user,
        obj=placement,
        person=placement.person,
        summary=f"{review.get_by_role_display()}'s review of the proposals recorded",
        changes={"preferred": str(preferred.provider) if preferred else "", "notes": review.notes},
    )
    return review


@transaction.atomic
def start_negotiation(placement, *, acting_user) -> SupportedLivingPlacement:
    placement = _locked(placement)
    return _step(placement, "start_negotiation", acting_user=acting_user)


@transaction.atomic
def agree_terms(
    placement, *, acting_user, chosen: ChosenProvider, one_to_one_hours: Decimal, weekly_cost: Decimal, note: str = ""
) -> SupportedLivingPlacement:
    """After negotiation, the 1:1 hours and weekly cost are agreed with one provider that sent a proposal."""
    placement = _locked(placement)
    MACHINE.ensure_may(placement, "agree_terms", acting_user)
    if chosen is None or chosen.placement_id != placement.pk or not Proposal.objects.filter(chosen=chosen).exists():
        raise ActionRefused("Choose a provider that sent a proposal.")
    if chosen.outcome == ChosenProvider.Outcome.NOT_SUITABLE:
        raise ActionRefused(f"The person found {chosen.provider}'s provision not suitable.")
    if one_to_one_hours is None or not Decimal("0") <= one_to_one_hours <= 168:
        raise ActionRefused("Enter the agreed 1:1 hours a week, from 0 to 168.")
    placement.agreed_with = chosen
    placement.agreed_one_to_one_hours = one_to_one_hours
    placement.agreed_weekly_cost = _amount(weekly_cost, "the agreed weekly cost")
    text = f"{chosen.provider}: {_hours(one_to_one_hours)} 1:1 hours, {_money(weekly_cost)} a week"
    return _step(placement, "agree_terms", acting_user=acting_user, note=f"{text}. {note.strip()}".strip(". "))


@transaction.atomic
def record_viewing(
    placement, *, acting_user, suitable: bool, viewed_on: date, notes: str = ""
) -> SupportedLivingPlacement:
    """The social worker took the person to view the provision. Suitable: the case goes to the panel for funding
    (a Care Authorisation Panel approval is asked on the plan). Not suitable: Brokerage negotiates again."""
    placement = _locked(placement)
    name = "present_to_panel" if suitable else "provision_not_suitable"
    MACHINE.ensure_may(placement, name, acting_user)
    if viewed_on is None or viewed_on > timezone.localdate():
        raise ActionRefused("Enter the date of the viewing: it cannot be in the future.")
    if not suitable and not notes.strip():
        raise ActionRefused("Say why the provision did not suit the person.")
    chosen = ChosenProvider.objects.select_for_update().select_related("provider").get(pk=placement.agreed_with_id)
    chosen.outcome = ChosenProvider.Outcome.SUITABLE if suitable else ChosenProvider.Outcome.NOT_SUITABLE
    chosen.viewed_on, chosen.viewing_notes = viewed_on, notes.strip()
    chosen.save(update_fields=["outcome", "viewed_on", "viewing_notes"])
    placement.agreed_with = chosen
    note = f"{chosen.provider}, viewed {_long(viewed_on)}. {notes.strip()}".strip(". ")
    if suitable:
        plan = placement.plan
        if plan is None:
            raise ActionRefused("The panel decides on a care and support plan: this referral has none.")
        placement.funding_approval = request_approval(plan=plan, kind=Approval.Kind.PANEL, acting_user=acting_user)
        return _step(placement, name, acting_user=acting_user, note=note)
    placement = _step(placement, name, acting_user=acting_user, note=note)
    placement.agreed_with = None  # Brokerage negotiates afresh, with another provider
    placement.agreed_one_to_one_hours = placement.agreed_weekly_cost = None
    placement.save(update_fields=["agreed_with", "agreed_one_to_one_hours", "agreed_weekly_cost", "modified_at"])
    return placement


DECISIONS = {"approved": "approve_funding", "declined": "decline_funding", "deferred": "defer_funding"}


@transaction.atomic
def decide_funding(
    placement, *, acting_user, decision: str, approved_weekly_amount: Decimal | None = None, notes: str = ""
) -> SupportedLivingPlacement:
    """A panel member approves funding (a weekly amount that covers the agreed cost), declines it (Brokerage
    negotiates again) or defers it. The decision is the panel approval's (approvals) and the placement's step."""
    placement = _locked(placement)
    name = DECISIONS.get(decision)
    if name is None:
        raise ActionRefused("Choose whether funding is approved, declined or deferred.")
    MACHINE.ensure_may(placement, name, acting_user)
    if decision == "approved":
        amount = _amount(approved_weekly_amount, "the approved weekly amount")
        if amount < placement.agreed_weekly_cost:
            raise ActionRefused(
                f"The approved weekly amount must cover the agreed cost of {_money(placement.agreed_weekly_cost)}."
            )
    elif not notes.strip():
        raise ActionRefused("Say why, so the social worker and Brokerage know what to do next.")
    placement.funding_approval = decide_approval(
        placement.funding_approval,
        acting_user=acting_user,
        decision=decision,
        approved_weekly_amount=approved_weekly_amount if decision == "approved" else None,
        notes=notes.strip(),
    )
    if decision == "approved":
        text = f"Approved {_money(approved_weekly_amount)} a week"
    else:
        text = decision.capitalize()
    return _step(placement, name, acting_user=acting_user, note=f"{text}. {notes.strip()}".strip(". "))


@transaction.atomic
def commission(placement, *, acting_user, start_date: date, provision_address: str = "") -> SupportedLivingPlacement:
    """The record is updated: the service agreement with the agreed provider at the agreed weekly cost from the
    start date, the care package and its first purchase order, the 6-week review for the person's social worker and
    the 12-month review for the review team; the supported living agreement is made as a PDF; the referral is
    active."""
    placement = _locked(placement)
    MACHINE.ensure_may(placement, "commission", acting_user)
    if start_date is None or start_date < timezone.localdate():
        raise ActionRefused("The start date cannot be in the past.")
    placement.start_date = start_date
    placement.provision_address = provision_address.strip()
    _refuse_unmet(placement, "commission")
    chosen = ChosenProvider.objects.select_related("provider", "bid").get(pk=placement.agreed_with_id)
    referral = placement.referral
    agreement = make_routed_agreement(
        referral,
        acting_user=acting_user,
        provider=chosen.provider,
        bid=chosen.bid,
        spot_contract_reason=chosen.off_framework_reason,
        start_date=start_date,
        weekly_cost=placement.agreed_weekly_cost,
    )
    requirement = placement.requirement
    if chosen.bid_id is not None and requirement.status == requirement.Status.CLOSED:
        dps.award_routed_requirement(
            requirement, acting_user=acting_user, bid=chosen.bid, reason=f"Supported living {placement.reference}"
        )
    version = start_routed_package(referral, agreement, acting_user=acting_user)
    placement.agreement, placement.package = agreement, version.package
    schedule_first_reviews(
        placement.package,
        starts_on=placement.start_date,
        acting_user=acting_user,
        note=f"Supported living {placement.reference}: from {_long(placement.start_date)}",
    )
    order = version.purchase_order
    placement = _step(
        placement,
        "commission",
        acting_user=acting_user,
        note=f"{agreement.reference} with {chosen.provider}, {_money(agreement.weekly_cost)} a week from "
        f"{_long(start_date)}; purchase order {order.number}",
    )
    record_commissioned(referral, acting_user=acting_user, note=f"{placement.reference}: purchase order {order.number}")
    enqueue(render_supported_living_agreement, placement.pk)
    return placement


@transaction.atomic
def withdraw(placement, *, acting_user, reason: str) -> SupportedLivingPlacement:
    """The person is not placed through this referral, with the reason. A closed requirement is not awarded."""
    placement = _locked(placement)
    placement.ending_reason = reason.strip()
    MACHINE.ensure_may(placement, "withdraw", acting_user)
    _refuse_unmet(placement, "withdraw")
    requirement = placement.requirement
    if requirement is not None and requirement.status == requirement.Status.CLOSED:
        dps.end_routed_requirement(
            requirement, acting_user=acting_user, reason=f"Not placed: {placement.ending_reason}"
        )
    return _step(placement, "withdraw", acting_user=acting_user, note=placement.ending_reason)


# The agreement PDF ----------------------------------------------------------------------------------------------
def render_agreement(placement_id: int) -> bool:
    """Render and keep the supported living agreement's PDF unless it has one. True if this call stored it."""
    from .pdf import render_agreement_pdf

    placement = SupportedLivingPlacement.objects.select_related(
        "person", "agreement__provider", "package", "referral__plan", "agreed_with"
    ).get(pk=placement_id)
    if placement.agreement_pdf or placement.agreement_id is None:
        return False
    return store_agreement(placement.pk, render_agreement_pdf(placement))


@transaction.atomic
def store_agreement(placement_id: int, pdf_bytes: bytes) -> bool:
    from django.core.files.base import ContentFile

    placement = SupportedLivingPlacement.objects.select_for_update().get(pk=placement_id)
    if placement.agreement_pdf:
        return False
    name = f"{placement.reference}-agreement.pdf"
    placement.agreement_pdf.storage.delete(placement.agreement_pdf.field.generate_filename(placement, name))
    placement.agreement_pdf.save(name, ContentFile(pdf_bytes), save=False)
    placement.agreement_rendered_at = timezone.now()
    placement.save(update_fields=["agreement_pdf", "agreement_rendered_at"])
    return True
