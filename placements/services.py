"""Domain actions on placements. Each takes the acting user, runs the placement's step through PLACEMENT_MACHINE
(who may, from which state, with what data) under the placement's row lock, and writes its rows, the log and the
audit trail in one transaction; or is refused with the reason and changes nothing. Other apps' rows are written
by their services: dps (the requirement, the spot contract notice), approvals (the fee approval), brokerage (the
agreement), packages (the package and its purchase order), reviews, and referrals (the referral made active)."""

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

from .models import PLACEMENT_MACHINE, FeeOffer, Placement, PlacementAssessment, PlacementHome
from .tasks import notify_fee_approval_requested, notify_viewings, render_placement_contract
from .workflows import State, is_officer


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


# The route (catalogue.sourcing) ---------------------------------------------------------------------------------
def start_placement(referral, *, acting_user) -> Placement:
    """Called by referrals.services in the transaction that first gives the referral to an officer: the placement
    starts, with the location the person asked for from their plan."""
    plan = referral.plan
    placement = Placement(
        referral=referral,
        person=referral.person,
        service_type_id=referral.service_type_id,
        team_id=referral.team_id,
        requested_location=(plan.preferred_locations if plan else "")[:200],
        created_by=acting_user,
    )
    placement.full_clean(exclude=["state", "referral"])
    placement.save()
    record_change(
        actor=acting_user,
        obj=placement,
        person=referral.person,
        created=True,
        summary=f"Started placement {placement.reference} for {referral.reference}",
    )
    return placement


is_commissioned = commissioned_when(Placement, State.COMMISSIONED)


work_of = work_finder(Placement)


def stop(referral, *, acting_user, reason: str) -> Placement | None:
    """Called by referrals.services in the transaction that withdraws the referral: the person is not placed, and a
    requirement still live is withdrawn, so homes can no longer bid on it."""
    placement = work_of(referral)
    if placement is None or placement.state in (State.COMMISSIONED, State.NOT_PLACED):
        return None
    placement = _locked(placement)
    placement.ending_reason = f"The referral was withdrawn: {reason}"
    dps.withdraw_live_requirement(placement.referral, acting_user=acting_user, reason=reason)
    return _step(placement, "stop", acting_user=acting_user, note=reason)


# Steps ------------------------------------------------------------------------------------------------------------
def _locked(placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("referral__plan", "person__allocated_worker", "requirement", "fee_approval")
        .get(pk=placement.pk)
    )


def _step(placement, name: str, *, acting_user, note: str = "") -> Placement:
    return PLACEMENT_MACHINE.apply(placement, name, acting_user=acting_user, note=note)


@transaction.atomic
def publish_requirement(placement, *, acting_user, preferred_location: str = "", **fields) -> Placement:
    """The requirement goes on the DPS with the location the person asked for (checked, as all its text is, for
    personal details); the referral stays allocated."""
    placement = _locked(placement)
    PLACEMENT_MACHINE.ensure_may(placement, "publish_requirement", acting_user)
    requirement = dps.publish_routed_requirement(
        placement.referral, acting_user=acting_user, preferred_location=preferred_location, **fields
    )
    placement.requirement = requirement
    return _step(placement, "publish_requirement", acting_user=acting_user, note=requirement.reference)


@transaction.atomic
def close_bidding(placement, *, acting_user) -> Placement:
    placement = _locked(placement)
    PLACEMENT_MACHINE.ensure_may(placement, "close_bidding", acting_user)
    if PLACEMENT_MACHINE.unmet_conditions(placement, "close_bidding"):
        raise ActionRefused(" ".join(PLACEMENT_MACHINE.unmet_conditions(placement, "close_bidding")))
    requirement = dps.close_routed_bidding(placement.requirement, acting_user=acting_user)
    note = f"{requirement.reference}: {requirement.bids.count()} bid(s)"
    return _step(placement, "close_bidding", acting_user=acting_user, note=note)


@transaction.atomic
def send_for_viewings(placement, *, acting_user) -> Placement:
    """Each bidding home goes on the viewing list, and the social worker is told there is a list to see."""
    placement = _locked(placement)
    PLACEMENT_MACHINE.ensure_may(placement, "send_for_viewings", acting_user)
    bids = list(placement.requirement.bids.select_related("provider").order_by("weekly_price", "id"))
    known = set(placement.homes.values_list("provider_id", flat=True))
    PlacementHome.objects.bulk_create(
        PlacementHome(placement=placement, provider=b.provider, bid=b) for b in bids if b.provider_id not in known
    )
    placement = _step(
        placement, "send_for_viewings", acting_user=acting_user, note=", ".join(str(b.provider) for b in bids)
    )
    enqueue(notify_viewings, placement.pk)
    return placement


@transaction.atomic
def use_home_off_framework(placement, *, acting_user, provider, reason: str) -> Placement:
    """No framework home can deliver: a home off the framework joins the viewing list with the reason; a closed
    requirement is not awarded and the DPS team is told, so it can invite the home to enrol."""
    placement = _locked(placement)
    PLACEMENT_MACHINE.ensure_may(placement, "use_home_off_framework", acting_user)
    reason = reason.strip()
    if not reason:
        raise ActionRefused("Give the reason no framework home can deliver.")
    if placement.homes.filter(provider=provider).exists():
        raise ActionRefused(f"{provider} is already on the viewing list.")
    dps.record_routed_spot_contract(placement.referral, acting_user=acting_user, provider=provider, reason=reason)
    PlacementHome.objects.create(placement=placement, provider=provider, off_framework_reason=reason)
    placement = _step(placement, "use_home_off_framework", acting_user=acting_user, note=f"{provider}: {reason}")
    enqueue(notify_viewings, placement.pk)
    return placement


@transaction.atomic
def record_viewing(
    home: PlacementHome, *, acting_user, outcome: str, viewed_on: date, notes: str = ""
) -> PlacementHome:
    """The social worker records how the person's viewing of a home went. Only while homes are being viewed."""
    placement = _locked(home.placement)
    home = PlacementHome.objects.select_for_update().select_related("provider").get(pk=home.pk, placement=placement)
    if placement.person.allocated_worker_id != acting_user.pk or not acting_user.is_practitioner:
        raise ActionRefused("Only the person's social worker records their viewings.")
    if placement.state != State.VIEWINGS:
        raise ActionRefused("Viewings are recorded while the homes are being viewed.")
    if outcome not in (PlacementHome.Outcome.SUITABLE, PlacementHome.Outcome.NOT_SUITABLE):
        raise ActionRefused("Say whether the home was suitable.")
    if viewed_on is None or viewed_on > timezone.localdate():
        raise ActionRefused("Enter the date of the viewing: it cannot be in the future.")
    before = home.outcome
    home.outcome, home.viewed_on, home.viewing_notes = outcome, viewed_on, notes.strip()
    home.recorded_by, home.recorded_at = acting_user, timezone.now()
    home.save()
    record_change(
        actor=acting_user,
        obj=placement,
        person=placement.person,
        summary=f"Viewing of {home.provider} recorded: {home.get_outcome_display().lower()}",
        changes={"home": str(home.provider), "outcome": [before, outcome], "viewed_on": viewed_on},
    )
    return home


@transaction.atomic
def arrange_assessment(placement, *, acting_user, home: PlacementHome, arranged_for: date) -> Placement:
    """A home the person found suitable will assess them on a date."""
    placement = _locked(placement)
    PLACEMENT_MACHINE.ensure_may(placement, "arrange_assessment", acting_user)
    if home.placement_id != placement.pk:
        raise ActionRefused("Choose a home on this placement's viewing list.")
    if arranged_for < timezone.localdate():
        raise ActionRefused("The assessment date cannot be in the past.")
    PlacementAssessment.objects.create(
        placement=placement, home=home, arranged_for=arranged_for, arranged_by=acting_user
    )
    return _step(
        placement, "arrange_assessment", acting_user=acting_user, note=f"{home.provider}, {_long(arranged_for)}"
    )


@transaction.atomic
def record_assessment(placement, *, acting_user, accepted: bool, notes: str = "") -> Placement:
    """The home's answer: it can meet the person's needs (then it sends its cost), or not (then another home is
    chosen from the viewing list)."""
    placement = _locked(placement)
    name = "accept_assessment" if accepted else "decline_assessment"
    PLACEMENT_MACHINE.ensure_may(placement, name, acting_user)
    if not accepted and not notes.strip():
        raise ActionRefused("Say why the home declined.")
    assessment = placement.current_assessment
    assessment.result = PlacementAssessment.Result.ACCEPTED if accepted else PlacementAssessment.Result.DECLINED
    assessment.notes = notes.strip()
    assessment.save(update_fields=["result", "notes"])
    return _step(placement, name, acting_user=acting_user, note=f"{assessment.home.provider}: {notes}".rstrip(": "))


def _offer(placement, *, acting_user, offered_by: str, weekly_amount: Decimal, note: str) -> FeeOffer:
    if weekly_amount is None or weekly_amount <= 0 or weekly_amount != weekly_amount.quantize(Decimal("0.01")):
        raise ActionRefused("Enter the weekly amount in pounds and pence, above £0.")
    offer = FeeOffer.objects.create(
        placement=placement,
        offered_by=offered_by,
        weekly_amount=weekly_amount,
        note=note.strip(),
        recorded_by=acting_user,
    )
    record_change(
        actor=acting_user,
        obj=placement,
        person=placement.person,
        summary=f"{offer.get_offered_by_display()} offered {_money(weekly_amount)} a week",
        changes={"offered_by": offered_by, "weekly_amount": weekly_amount, "note": offer.note},
    )
    return offer


@transaction.atomic
def record_cost(placement, *, acting_user, weekly_amount: Decimal, note: str = "") -> Placement:
    """The home's cost after its assessment: the first offer of the negotiation."""
    placement = _locked(placement)
    PLACEMENT_MACHINE.ensure_may(placement, "record_cost", acting_user)
    _offer(placement, acting_user=acting_user, offered_by=FeeOffer.By.PROVIDER, weekly_amount=weekly_amount, note=note)
    return _step(placement, "record_cost", acting_user=acting_user, note=f"{_money(weekly_amount)} a week")


@transaction.atomic
def add_offer(placement, *, acting_user, offered_by: str, weekly_amount: Decimal, note: str = "") -> FeeOffer:
    """An offer or counter-offer, kept as made. Only the officer, while negotiating."""
    placement = _locked(placement)
    if not is_officer(placement, acting_user):
        raise ActionRefused("Only the officer this referral is allocated to negotiates the fee.")
    if placement.state != State.NEGOTIATING:
        raise ActionRefused("Offers are recorded while the fee is being negotiated.")
    if offered_by not in FeeOffer.By.values:
        raise ActionRefused("Say who made the offer.")
    return _offer(placement, acting_user=acting_user, offered_by=offered_by, weekly_amount=weekly_amount, note=note)


@transaction.atomic
def agree_fee(placement, *, acting_user, weekly_fee: Decimal) -> Placement:
    """The fee is agreed with the home. Refused above the plan's approved weekly amount without a head of
    service's fee approval for at least this fee."""
    placement = _locked(placement)
    PLACEMENT_MACHINE.ensure_may(placement, "agree_fee", acting_user)
    placement.weekly_fee = weekly_fee
    return _step(placement, "agree_fee", acting_user=acting_user, note=f"{_money(weekly_fee)} a week")


@transaction.atomic
def request_fee_approval(placement, *, acting_user, weekly_fee: Decimal, note: str = "") -> Placement:
    """The negotiated fee is above the plan's approved amount: a head of service is asked to approve it."""
    placement = _locked(placement)
    PLACEMENT_MACHINE.ensure_may(placement, "request_fee_approval", acting_user)
    plan = placement.referral.plan
    if plan is None:
        raise ActionRefused("A fee approval is given on a care and support plan: this referral has none.")
    placement.weekly_fee = weekly_fee
    if PLACEMENT_MACHINE.unmet_conditions(placement, "request_fee_approval"):
        raise ActionRefused(" ".join(PLACEMENT_MACHINE.unmet_conditions(placement, "request_fee_approval")))
    placement.fee_approval = request_approval(plan=plan, kind=Approval.Kind.FEE, acting_user=acting_user)
    placement = _step(
        placement,
        "request_fee_approval",
        acting_user=acting_user,
        note=f"{_money(weekly_fee)} a week; the plan's approved amount is "
        f"{_money(placement.plan_amount) if placement.plan_amount else 'none'}. {note}".strip(),
    )
    enqueue(notify_fee_approval_requested, placement.pk)
    return placement


@transaction.atomic
def decide_fee(placement, *, acting_user, approved: bool, notes: str = "") -> Placement:
    """A head of service approves the fee asked (the approval is for that weekly amount), or declines it and
    Brokerage negotiates again. The decision is the fee approval's (approvals) and the placement's step."""
    placement = _locked(placement)
    name = "approve_fee" if approved else "decline_fee"
    PLACEMENT_MACHINE.ensure_may(placement, name, acting_user)
    if not approved and not notes.strip():
        raise ActionRefused("Say why the fee is declined, so Brokerage can negotiate again.")
    placement.fee_approval = decide_approval(
        placement.fee_approval,
        acting_user=acting_user,
        decision=Approval.State.APPROVED if approved else Approval.State.DECLINED,
        approved_weekly_amount=placement.weekly_fee if approved else None,
        notes=notes,
    )
    if not approved:
        placement.weekly_fee = None
    text = f"{_money(placement.fee_approval.approved_weekly_amount)} a week" if approved else "Declined"
    return _step(placement, name, acting_user=acting_user, note=f"{text}. {notes}".strip(". ") if notes else text)


@transaction.atomic
def set_admission_date(placement, *, acting_user, admission_date: date) -> Placement:
    """The social worker has agreed the admission date with the home."""
    placement = _locked(placement)
    PLACEMENT_MACHINE.ensure_may(placement, "set_admission_date", acting_user)
    if admission_date is None or admission_date < timezone.localdate():
        raise ActionRefused("The admission date cannot be in the past.")
    placement.admission_date = admission_date
    return _step(placement, "set_admission_date", acting_user=acting_user, note=_long(admission_date))


@transaction.atomic
def commission(placement, *, acting_user) -> Placement:
    """The record is updated: the service agreement with the home at the agreed fee from the admission date, the
    care package and its first purchase order, the 6-week review for the person's social worker and the 12-month
    review for the review team; the placement contract is made as a PDF; and the referral is active."""
    placement = _locked(placement)
    PLACEMENT_MACHINE.ensure_may(placement, "commission", acting_user)
    if unmet := PLACEMENT_MACHINE.unmet_conditions(placement, "commission"):
        raise ActionRefused(" ".join(unmet))
    home = placement.chosen_home
    if home is None:
        raise ActionRefused("No home has accepted the person after its assessment.")
    referral = placement.referral
    agreement = make_routed_agreement(
        referral,
        acting_user=acting_user,
        provider=home.provider,
        bid=home.bid,
        spot_contract_reason=home.off_framework_reason,
        start_date=placement.admission_date,
        weekly_cost=placement.weekly_fee,
        fee_approval=placement.fee_approval,
    )
    if home.bid_id is not None and placement.requirement.status == placement.requirement.Status.CLOSED:
        dps.award_routed_requirement(
            placement.requirement, acting_user=acting_user, bid=home.bid, reason=f"Placement {placement.reference}"
        )
    version = start_routed_package(referral, agreement, acting_user=acting_user)
    placement.agreement, placement.package = agreement, version.package
    schedule_first_reviews(
        placement.package,
        starts_on=placement.admission_date,
        acting_user=acting_user,
        note=f"Placement {placement.reference}: admitted {_long(placement.admission_date)}",
    )
    order = version.purchase_order
    placement = _step(
        placement,
        "commission",
        acting_user=acting_user,
        note=f"{agreement.reference} with {home.provider}, {_money(agreement.weekly_cost)} a week from "
        f"{_long(placement.admission_date)}; purchase order {order.number}",
    )
    record_commissioned(referral, acting_user=acting_user, note=f"{placement.reference}: purchase order {order.number}")
    enqueue(render_placement_contract, placement.pk)
    return placement


@transaction.atomic
def withdraw(placement, *, acting_user, reason: str) -> Placement:
    """The person is not placed through this referral, with the reason. A closed requirement is not awarded."""
    placement = _locked(placement)
    placement.ending_reason = reason.strip()
    PLACEMENT_MACHINE.ensure_may(placement, "withdraw", acting_user)
    if unmet := PLACEMENT_MACHINE.unmet_conditions(placement, "withdraw"):
        raise ActionRefused(" ".join(unmet))
    requirement = placement.requirement
    if requirement is not None and requirement.status == requirement.Status.CLOSED:
        dps.end_routed_requirement(
            requirement, acting_user=acting_user, reason=f"Not placed: {placement.ending_reason}"
        )
    return _step(placement, "withdraw", acting_user=acting_user, note=placement.ending_reason)


# The contract ------------------------------------------------------------------------------------------------------
def render_contract(placement_id: int) -> bool:
    """Render and keep the placement contract's PDF unless it has one. True if this call stored it. WeasyPrint runs
    outside any transaction; store_contract keeps only the first."""
    from .pdf import render_contract_pdf

    placement = Placement.objects.select_related(
        "person", "agreement__provider", "package", "service_type", "referral"
    ).get(pk=placement_id)
    if placement.contract_pdf or placement.agreement_id is None:
        return False
    return store_contract(placement.pk, render_contract_pdf(placement))


@transaction.atomic
def store_contract(placement_id: int, pdf_bytes: bytes) -> bool:
    from django.core.files.base import ContentFile

    placement = Placement.objects.select_for_update().get(pk=placement_id)
    if placement.contract_pdf:
        return False
    name = f"{placement.reference}-contract.pdf"
    placement.contract_pdf.storage.delete(placement.contract_pdf.field.generate_filename(placement, name))
    placement.contract_pdf.save(name, ContentFile(pdf_bytes), save=False)
    placement.contract_rendered_at = timezone.now()
    placement.save(update_fields=["contract_pdf", "contract_rendered_at"])
    return True
