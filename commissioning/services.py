"""The steps of a commission (commissioning.workflows). Each checks the step on the commission's machine first, so a
refusal is the commission's own and changes nothing; then calls the app that owns what changes (dps for the
requirement, brokerage for the agreement, packages for the package and its purchase order) and logs the step, all
in one transaction."""

from django.db import transaction
from django.utils import timezone

from audit.services import record_change
from brokerage.services import award_agreement
from catalogue.sourcing import commissioned_when, work_finder
from concerns.models import Concern
from concerns.services import raise_concern
from core.exceptions import ActionRefused
from dps import services as dps
from dps.models import DPSRequirement
from packages.models import CarePackage
from packages.selectors import current_version
from packages.services import commission_package
from providers.selectors import is_in_house
from referrals.models import Referral
from referrals.services import record_commissioned

from .models import COMMISSION_MACHINE, Commission, Explanation
from .workflows import State, in_house_centre_chosen, is_officer, referral_with_brokerage


# The route (catalogue.sourcing) ---------------------------------------------------------------------------------
def start_commission(referral, *, acting_user) -> Commission:
    """Called by referrals.services in the transaction that first gives the referral to an officer. A change of
    provider starts with its challenge (SPEC §4); anything else with finding a provider."""
    is_change_of_provider = referral.change == Referral.Change.CHANGE_PROVIDER
    commission = Commission.objects.create(
        referral=referral, state=State.CHALLENGE if is_change_of_provider else State.SOURCING
    )
    record_change(
        actor=acting_user,
        obj=commission,
        person=referral.person,
        created=True,
        summary=f"Started commissioning {referral.service_type_id.replace('_', ' ')} for {referral.reference}",
    )
    return commission


is_commissioned = commissioned_when(Commission, State.COMMISSIONED)


def stop(referral, *, acting_user, reason: str) -> Commission | None:
    """Called by referrals.services in the transaction that withdraws the referral: sourcing stops and a requirement
    still live is withdrawn, so providers can no longer bid on it. Nothing to stop for a referral with no commission
    (it never reached an officer)."""
    commission = work_of(referral)
    if commission is None:
        return None
    commission = _locked(commission)
    dps.withdraw_live_requirement(commission.referral, acting_user=acting_user, reason=reason)
    return _step(commission, "stop", acting_user=acting_user, note=reason)


work_of = work_finder(Commission)


def commission_of(referral) -> Commission:
    """The referral's commission, or a refusal saying there is none (a sourcing support request, say)."""
    commission = work_of(referral)
    if commission is None:
        raise ActionRefused("Nothing is commissioned for this referral: it is not being sourced.")
    return commission


# Steps ------------------------------------------------------------------------------------------------------------
def _locked(commission) -> Commission:
    return (
        Commission.objects.select_for_update(of=("self",))
        .select_related("referral__person", "referral__plan", "chosen_provider", "chosen_bid")
        .get(pk=commission.pk)
    )


def _refuse_unless_may(commission, name: str, acting_user) -> None:
    """Checked before another app's service is called, so its refusal is the commission's own. The conditions that
    call meets (a requirement published, an agreement made) are checked when the step is logged, and a refusal
    there undoes the call with the rest of the transaction."""
    COMMISSION_MACHINE.ensure_may(
        commission, name, acting_user, not_permitted="Only the officer this referral is allocated to can do this."
    )
    if not referral_with_brokerage(commission):
        raise ActionRefused(referral_with_brokerage.__doc__)


def _step(commission, name: str, *, acting_user, note: str = "") -> Commission:
    return COMMISSION_MACHINE.apply(commission, name, acting_user=acting_user, note=note)


@transaction.atomic
def publish_requirement(commission, *, acting_user, **fields) -> DPSRequirement:
    """Put the package out for bids. The requirement copies the package, never the person."""
    commission = _locked(commission)
    _refuse_unless_may(commission, "publish_requirement", acting_user)
    requirement = dps.publish_routed_requirement(commission.referral, acting_user=acting_user, **fields)
    _step(commission, "publish_requirement", acting_user=acting_user, note=requirement.reference)
    return requirement


@transaction.atomic
def close_bidding(commission, *, acting_user) -> DPSRequirement:
    """After the closing time, the bids are opened for review."""
    commission = _locked(commission)
    _refuse_unless_may(commission, "close_bidding", acting_user)
    requirement = dps.close_routed_bidding(commission.referral.live_requirement, acting_user=acting_user)
    _step(
        commission,
        "close_bidding",
        acting_user=acting_user,
        note=f"{requirement.reference}: {requirement.bids.count()} bid(s)",
    )
    return requirement


@transaction.atomic
def republish_requirement(commission, *, acting_user, reason: str, **fields) -> DPSRequirement:
    """No bids, or none acceptable: the old requirement is not awarded and a new one goes out."""
    commission = _locked(commission)
    _refuse_unless_may(commission, "republish", acting_user)
    if not reason.strip():
        raise ActionRefused("Say why the requirement is republished.")
    old = dps.end_routed_requirement(commission.referral.live_requirement, acting_user=acting_user, reason=reason)
    requirement = dps.publish_routed_requirement(commission.referral, acting_user=acting_user, **fields)
    _step(
        commission,
        "republish",
        acting_user=acting_user,
        note=f"{old.reference} not awarded ({reason}); republished as {requirement.reference}",
    )
    return requirement


@transaction.atomic
def select_bid(commission, *, acting_user, bid, reason: str) -> Commission:
    """Confirm the chosen provider, with a reason. Every bid must be scored first."""
    commission = _locked(commission)
    _refuse_unless_may(commission, "select_provider", acting_user)
    requirement = commission.referral.live_requirement
    if requirement is None or bid.requirement_id != requirement.pk:
        raise ActionRefused("Choose one of the bids on this referral's requirement.")
    dps.select_routed_bid(requirement, acting_user=acting_user, bid=bid, reason=reason)
    commission.chosen_bid, commission.chosen_provider = bid, bid.provider
    return _step(
        commission,
        "select_provider",
        acting_user=acting_user,
        note=f"{bid.provider}, £{bid.weekly_price} a week: {reason}",
    )


@transaction.atomic
def commission_spot_contract(commission, *, acting_user, provider, reason: str) -> Commission:
    """No framework provider can deliver: use a provider off the framework. The DPS team is told."""
    commission = _locked(commission)
    _refuse_unless_may(commission, "commission_spot_contract", acting_user)
    if not reason.strip():
        raise ActionRefused("Give the reason no framework provider can deliver.")
    if provider.in_house:
        raise ActionRefused(f"{provider} is the council's own service: choose it as an in-house place instead.")
    dps.record_routed_spot_contract(commission.referral, acting_user=acting_user, provider=provider, reason=reason)
    commission.chosen_provider, commission.chosen_bid, commission.spot_contract_reason = provider, None, reason
    return _step(commission, "commission_spot_contract", acting_user=acting_user, note=f"{provider}: {reason}")


# Kept on the agreement in place of a bid or a spot contract's reason: why it has neither.
IN_HOUSE_REASON = "A place at the council's own in-house day centre: no requirement, bid or spot contract."


@transaction.atomic
def choose_in_house(commission, *, acting_user, provider) -> Commission:
    """A day opportunity at one of the council's own day centres: the centre is chosen straight away, with no
    requirement, no bid and no spot contract notice to the DPS team."""
    commission = _locked(commission)
    _refuse_unless_may(commission, "choose_in_house", acting_user)
    if unmet := COMMISSION_MACHINE.unmet_conditions(commission, "choose_in_house", skip=[in_house_centre_chosen]):
        raise ActionRefused(" ".join(unmet))
    if not is_in_house(provider, commission.referral.service_type_id):
        raise ActionRefused(f"{provider} is not one of the council's own day centres: source it on the framework.")
    commission.chosen_provider, commission.chosen_bid, commission.spot_contract_reason = provider, None, IN_HOUSE_REASON
    return _step(commission, "choose_in_house", acting_user=acting_user, note=f"{provider}: in-house place")


@transaction.atomic
def award(commission, *, acting_user, start_date, hourly_rate=None, weekly_cost=None):
    """Make the service agreement with the chosen provider (brokerage.services.award_agreement, priced as it bid)
    and share the person's details with it; the chosen bid wins its requirement and every bidder is told."""
    commission = _locked(commission)
    _refuse_unless_may(commission, "award", acting_user)
    agreement = award_agreement(
        commission.referral,
        acting_user=acting_user,
        provider=commission.chosen_provider,
        bid=commission.chosen_bid,
        spot_contract_reason=commission.spot_contract_reason,
        start_date=start_date,
        hourly_rate=hourly_rate,
        weekly_cost=weekly_cost,
    )
    requirement = commission.referral.live_requirement
    if commission.chosen_bid is not None and requirement is not None:
        dps.award_routed_requirement(
            requirement,
            acting_user=acting_user,
            bid=commission.chosen_bid,
            reason=requirement.selection_reason or f"{agreement.reference}: {agreement.provider}",
        )
    _step(
        commission,
        "award",
        acting_user=acting_user,
        note=f"{agreement.reference}: {agreement.provider}, from {start_date:%d %B %Y}, £{agreement.weekly_cost} a "
        "week. Details shared with the provider; the social worker told.",
    )
    return agreement


@transaction.atomic
def issue_purchase_order(commission, *, acting_user):
    """Update the record and issue the purchase order (packages.services.commission_package): the commission is done
    and the referral active. Returns the package version the order was issued for."""
    commission = _locked(commission)
    _refuse_unless_may(commission, "issue_purchase_order", acting_user)
    version = commission_package(commission.referral, acting_user=acting_user)
    note = f"Purchase order {version.purchase_order.number}"
    _step(commission, "issue_purchase_order", acting_user=acting_user, note=note)
    record_commissioned(commission.referral, acting_user=acting_user, note=note)
    return version


# A change of provider's challenge ---------------------------------------------------------------------------------
def _challenging(commission, acting_user) -> Commission:
    commission = _locked(commission)
    if commission.state != State.CHALLENGE:
        raise ActionRefused("The challenge is over: a new provider is being found.")
    if not is_officer(commission, acting_user):
        raise ActionRefused("Only the officer this referral is allocated to can do this.")
    return commission


@transaction.atomic
def record_challenge(commission, *, acting_user, outcome: str) -> Commission:
    """What the officer asked before agreeing to a new provider: could a change of times, carer or tasks let the
    service continue, and why not. If it could, nothing more is done here: the social worker withdraws the
    referral."""
    commission = _challenging(commission, acting_user)
    if not outcome.strip():
        raise ActionRefused("Say why a change of times, carer or tasks would not let the service continue.")
    before = commission.challenge_outcome
    commission.challenge_outcome = outcome.strip()
    commission.save(update_fields=["challenge_outcome", "modified_at"])
    record_change(
        actor=acting_user,
        obj=commission,
        person=commission.referral.person,
        summary=f"Recorded the challenge of the change of provider ({commission.reference})",
        changes={"challenge_outcome": [before, commission.challenge_outcome]},
    )
    return commission


@transaction.atomic
def request_explanation(commission, *, acting_user, from_whom: str) -> Explanation:
    """A written explanation is asked for. One outstanding request from each."""
    commission = _challenging(commission, acting_user)
    if from_whom not in Explanation.From.values:
        raise ActionRefused("Choose who the explanation is asked from.")
    if commission.explanations.filter(from_whom=from_whom, received_on__isnull=True).exists():
        raise ActionRefused(f"An explanation from {Explanation.From(from_whom).label.lower()} is already awaited.")
    explanation = Explanation.objects.create(
        commission=commission, from_whom=from_whom, requested_on=timezone.localdate(), requested_by=acting_user
    )
    record_change(
        actor=acting_user,
        obj=commission,
        person=commission.referral.person,
        summary=f"Asked {explanation.get_from_whom_display().lower()} for a written explanation",
    )
    return explanation


PDF_MAX_BYTES = 5 * 1024 * 1024


def _refuse_unless_pdf(document) -> None:
    """A PDF by its first bytes, not its name, and not too big to keep."""
    if document.size > PDF_MAX_BYTES:
        raise ActionRefused("The document must be smaller than 5 MB.")
    document.seek(0)
    head = document.read(5)
    document.seek(0)
    if head != b"%PDF-":
        raise ActionRefused("The document must be a PDF.")


@transaction.atomic
def attach_explanation(explanation, *, acting_user, received_on, text: str, document=None) -> Explanation:
    """The explanation asked for has come: what it says, and the document if there is one (a PDF)."""
    commission = _challenging(explanation.commission, acting_user)
    explanation = Explanation.objects.select_for_update().get(pk=explanation.pk, commission=commission)
    if explanation.received_on is not None:
        raise ActionRefused("That explanation is already attached.")
    if not text.strip():
        raise ActionRefused("Enter what the explanation says.")
    if received_on < explanation.requested_on or received_on > timezone.localdate():
        raise ActionRefused("The day it came must be between the day it was asked for and today.")
    if document is not None:
        _refuse_unless_pdf(document)
        explanation.document = document
    explanation.received_on, explanation.text, explanation.attached_by = received_on, text.strip(), acting_user
    explanation.save()
    record_change(
        actor=acting_user,
        obj=commission,
        person=commission.referral.person,
        summary=f"Attached the written explanation from {explanation.get_from_whom_display().lower()}",
        changes={"received_on": received_on, "document": bool(document)},
    )
    return explanation


@transaction.atomic
def send_quality_alert(commission, *, acting_user, details: str) -> Commission:
    """A quality alert about the provider goes to contract monitoring (concerns.services): Brokerage passes it on,
    it does not handle it."""
    commission = _challenging(commission, acting_user)
    if commission.quality_alert_id is not None:
        raise ActionRefused("A quality alert was already sent for this change of provider.")
    referral = commission.referral
    version = (
        current_version(CarePackage.objects.get(pk=referral.care_package_id)) if referral.care_package_id else None
    )
    if version is None:
        raise ActionRefused("This referral names no running package, so no provider to send a quality alert about.")
    commission.quality_alert = raise_concern(
        acting_user=acting_user,
        person=referral.person,
        referral=referral,
        kind=Concern.Kind.QUALITY_ALERT,
        provider_name=version.agreement.provider.name,
        details=details.strip() or commission.challenge_outcome or referral.details,
    )
    commission.save(update_fields=["quality_alert", "modified_at"])
    return commission


@transaction.atomic
def confirm_change(commission, *, acting_user) -> Commission:
    """The challenge is done and nothing short of a new provider will do: sourcing starts, as for a new package."""
    commission = _locked(commission)
    _refuse_unless_may(commission, "confirm_change", acting_user)
    return _step(commission, "confirm_change", acting_user=acting_user, note=commission.challenge_outcome[:500])
