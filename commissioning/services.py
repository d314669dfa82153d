"""The steps of a commission (commissioning.workflows). Each checks the step on the commission's machine first, so a
refusal is the commission's own and changes nothing; then calls the app that owns what changes (dps for the
requirement, brokerage for the agreement, packages for the package and its purchase order) and logs the step, all
in one transaction."""

from django.db import transaction

from audit.services import record_change
from brokerage.services import award_agreement
from core.exceptions import ActionRefused
from dps import services as dps
from dps.models import DPSRequirement
from packages.services import commission_package
from referrals.services import record_commissioned

from .models import COMMISSION_MACHINE, Commission
from .workflows import State, referral_with_brokerage


# The route (catalogue.sourcing) ---------------------------------------------------------------------------------
def start_commission(referral, *, acting_user) -> Commission:
    """Called by referrals.services in the transaction that first gives the referral to an officer."""
    commission = Commission.objects.create(referral=referral)
    record_change(
        actor=acting_user,
        obj=commission,
        person=referral.person,
        created=True,
        summary=f"Started commissioning {referral.service_type_id.replace('_', ' ')} for {referral.reference}",
    )
    return commission


def is_commissioned(referral) -> bool:
    return Commission.objects.filter(referral=referral, state=State.COMMISSIONED).exists()


def stop(referral, *, acting_user, reason: str) -> Commission | None:
    """Called by referrals.services in the transaction that withdraws the referral: sourcing stops and a requirement
    still live is withdrawn, so providers can no longer bid on it. Nothing to stop for a referral with no commission
    (it never reached an officer)."""
    commission = work_of(referral)
    if commission is None:
        return None
    commission = _locked(commission)
    requirement = commission.referral.live_requirement
    if requirement is not None:
        dps.withdraw_routed_requirement(requirement, acting_user=acting_user, reason=reason)
    return _step(commission, "stop", acting_user=acting_user, note=reason)


def work_of(referral) -> Commission | None:
    return Commission.objects.filter(referral=referral).first()


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
    dps.record_routed_spot_contract(commission.referral, acting_user=acting_user, provider=provider, reason=reason)
    commission.chosen_provider, commission.chosen_bid, commission.spot_contract_reason = provider, None, reason
    return _step(commission, "commission_spot_contract", acting_user=acting_user, note=f"{provider}: {reason}")


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
