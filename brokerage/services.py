from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from approvals.selectors import approved_weekly_amount
from audit.services import diff, record_change, snapshot
from catalogue.sourcing import route_of
from core.exceptions import ActionRefused
from core.tasks import enqueue
from dps.models import Bid
from dps.services import PENNY, price_for_hours
from referrals.models import Referral
from referrals.workflows import State, is_team_officer

from .models import ContactLogEntry, ServiceAgreement
from .tasks import notify_agreement_ended, notify_award


@transaction.atomic
def log_contact(
    referral, *, acting_user, contact_with: str, method: str, occurred_at, summary: str, contact_name: str = ""
) -> ContactLogEntry:
    """Add a call, e-mail or meeting to the case's contact log. Only the referral's team logs contacts."""
    if not is_team_officer(referral, acting_user):
        raise ActionRefused("Only the Brokerage team working this case can add to its contact log.")
    entry = ContactLogEntry(
        referral=referral,
        contact_with=contact_with,
        contact_name=contact_name,
        method=method,
        occurred_at=occurred_at,
        summary=summary,
        recorded_by=acting_user,
        created_by=acting_user,
    )
    entry.full_clean()
    entry.save()
    record_change(
        actor=acting_user,
        obj=entry,
        person=referral.person,
        created=True,
        summary=f"Logged a contact: {entry}",
        changes=snapshot(entry, ["contact_with", "method", "occurred_at", "summary"]),
    )
    return entry


def _ensure_within_authorisation(referral, *, weekly_cost, weekly_hours) -> None:
    """Brokerage may not commission more than a practitioner authorised (SPEC §2)."""
    approved = approved_weekly_amount(referral.plan_id)
    if approved is not None and weekly_cost > approved:
        raise ActionRefused(
            f"Brokerage cannot increase a service without a practitioner's authorisation: £{weekly_cost} a week "
            f"is more than the £{approved} approved. Ask the practitioner for a new plan and funding decision."
        )
    planned = referral.plan.weekly_hours if referral.plan_id else None
    if planned is not None and weekly_hours is not None and weekly_hours > planned:
        raise ActionRefused(
            f"Brokerage cannot increase a service without a practitioner's authorisation: the plan is for "
            f"{planned} hours a week."
        )


@dataclass(frozen=True)
class AgreementPricing:
    """How an agreement is priced: by the hour (an hourly rate times the hours) or by the week (a weekly cost
    kept as it is), and the chosen bid's price on that basis, if there is a bid."""

    basis: str  # a Bid.Basis value
    weekly_hours: Decimal | None
    price: Decimal | None

    @property
    def field(self) -> str:
        """The form field the price is entered in."""
        return "hourly_rate" if self.basis == Bid.Basis.HOURLY else "weekly_cost"


def agreement_pricing(referral, bid=None) -> AgreementPricing:
    """The agreement is priced as the chosen bid was, so the provider is paid what it bid to the penny: a weekly
    bid's weekly price is the weekly cost even when the plan counts hours (no hourly rate rounded and multiplied
    back), and an hourly bid keeps its rate. Without a bid (a spot contract), or for an hourly bid on a plan no
    longer counted in hours, by the hour when the plan counts hours and by the week when it does not."""
    hours = referral.plan.weekly_hours if referral.plan_id else None
    if bid is not None and bid.price_basis == Bid.Basis.WEEKLY:
        return AgreementPricing(Bid.Basis.WEEKLY, hours, bid.weekly_price)
    if hours:
        return AgreementPricing(Bid.Basis.HOURLY, hours, bid.price if bid is not None else None)
    return AgreementPricing(Bid.Basis.WEEKLY, hours, bid.weekly_price if bid is not None else None)


def _in_pence(amount: Decimal, what: str) -> Decimal:
    if amount <= 0 or amount != amount.quantize(PENNY):
        raise ActionRefused(f"Enter the {what} in pounds and pence, above £0.")
    return amount


def _priced(basis: str, *, weekly_hours, hourly_rate, weekly_cost) -> tuple[Decimal | None, Decimal]:
    """The hourly rate to keep (None when priced by the week) and the weekly cost that is paid."""
    if basis == Bid.Basis.HOURLY:
        if weekly_cost is not None:
            raise ActionRefused("This agreement is priced by the hour: enter the hourly rate, not a weekly cost.")
        if hourly_rate is None:
            raise ActionRefused("Enter the hourly rate.")
        hourly_rate = _in_pence(hourly_rate, "hourly rate")
        return hourly_rate, price_for_hours(hourly_rate, weekly_hours)
    if hourly_rate is not None:
        raise ActionRefused("This agreement is priced by the week: enter the weekly cost, not an hourly rate.")
    if weekly_cost is None:
        raise ActionRefused("Enter the weekly cost.")
    return None, _in_pence(weekly_cost, "weekly cost")


def _save_new_agreement(agreement: ServiceAgreement, *, acting_user, audited=()) -> None:
    """Validate and save a new agreement, and put it on the person's audit trail."""
    agreement.full_clean()
    agreement.save()
    record_change(
        actor=acting_user,
        obj=agreement,
        person=agreement.person,
        created=True,
        summary=f"Made service agreement {agreement.reference} with {agreement.provider}",
        changes=snapshot(agreement, ["provider_id", "start_date", *audited, "weekly_cost"]),
    )


@transaction.atomic
def award_agreement(
    referral,
    *,
    acting_user,
    provider,
    bid=None,
    spot_contract_reason: str = "",
    start_date,
    hourly_rate=None,
    weekly_cost=None,
):
    """Make the service agreement with the provider the referral's commission chose, and share the person's details
    with it. The referral does not move: the commission (commissioning.services.award) records the step and awards
    the requirement.

    Priced as the chosen bid was (agreement_pricing): with neither price given, at the bid's price, so a weekly
    bid is paid to the penny and an hourly bid's rate is kept, the weekly cost being the rate times the plan's
    hours. Never above the approved weekly amount or the plan's hours.

    From here the provider's users may see the person, the package and the plan (each view
    audited); the social worker is told.
    """
    referral = Referral.objects.select_for_update(of=("self",)).select_related("person", "plan").get(pk=referral.pk)
    _ensure_may_make_agreement(referral, acting_user, start_date)
    plan = referral.plan
    pricing = agreement_pricing(referral, bid)
    weekly_hours = pricing.weekly_hours
    if hourly_rate is None and weekly_cost is None:  # as bid
        hourly_rate, weekly_cost = (pricing.price, None) if pricing.basis == Bid.Basis.HOURLY else (None, pricing.price)
    hourly_rate, cost = _priced(
        pricing.basis, weekly_hours=weekly_hours, hourly_rate=hourly_rate, weekly_cost=weekly_cost
    )
    _ensure_within_authorisation(referral, weekly_cost=cost, weekly_hours=weekly_hours)
    agreement = ServiceAgreement(
        referral=referral,
        person=referral.person,
        provider=provider,
        bid=bid,
        spot_contract_reason=spot_contract_reason,
        service_type_id=referral.service_type_id,
        start_date=start_date,
        weekly_hours=weekly_hours,
        visit_schedule=plan.visit_schedule if plan else [],
        hourly_rate=hourly_rate,
        weekly_cost=cost,
        created_by=acting_user,
    )
    _save_new_agreement(agreement, acting_user=acting_user, audited=["weekly_hours", "hourly_rate"])
    enqueue(notify_award, agreement.pk)
    return agreement


def _ensure_may_make_agreement(referral, acting_user, start_date) -> None:
    if not is_team_officer(referral, acting_user) or referral.allocated_to_id != acting_user.pk:
        raise ActionRefused("Only the officer this referral is allocated to can do this.")
    if route_of(referral) is None:
        raise ActionRefused("No workflow commissions this service type.")
    if referral.state != State.ALLOCATED:
        raise ActionRefused("Only a referral with an officer can have its agreement made.")
    if referral.active_agreement is not None:
        raise ActionRefused("This referral already has an agreement.")
    if start_date < timezone.localdate():
        raise ActionRefused("The start date cannot be in the past.")


@transaction.atomic
def make_routed_agreement(
    referral,
    *,
    acting_user,
    provider,
    bid=None,
    spot_contract_reason: str = "",
    start_date,
    weekly_cost: Decimal,
    fee_approval=None,
) -> ServiceAgreement:
    """The service agreement for a service type sourced in its own app (a placement, say): priced by the week, with
    the provider that app chose. The referral does not move (its own workflow records the step), and its
    requirement is the app's to award. Never above the plan's approved weekly amount unless `fee_approval`, a head
    of service's approval of the plan, approved at least this much. The provider and the social worker are told.
    """
    referral = Referral.objects.select_for_update(of=("self",)).select_related("person", "plan").get(pk=referral.pk)
    _ensure_may_make_agreement(referral, acting_user, start_date)
    cost = _in_pence(weekly_cost, "weekly cost")
    approved_fee = (
        fee_approval.approved_weekly_amount
        if fee_approval is not None
        and fee_approval.plan_id == referral.plan_id
        and fee_approval.state == fee_approval.State.APPROVED
        else None
    )
    if approved_fee is None or cost > approved_fee:
        _ensure_within_authorisation(referral, weekly_cost=cost, weekly_hours=None)
    agreement = ServiceAgreement(
        referral=referral,
        person=referral.person,
        provider=provider,
        bid=bid,
        spot_contract_reason=spot_contract_reason,
        service_type_id=referral.service_type_id,
        start_date=start_date,
        weekly_hours=None,
        visit_schedule=[],
        hourly_rate=None,
        weekly_cost=cost,
        created_by=acting_user,
    )
    _save_new_agreement(agreement, acting_user=acting_user)
    enqueue(notify_award, agreement.pk)
    return agreement


@transaction.atomic
def make_booked_agreement(
    referral, *, acting_user, provider, spot_contract_reason: str, start_date, end_date, weekly_cost: Decimal
) -> ServiceAgreement:
    """A fixed-term spot contract for one stay (a respite booking, drawn on an allowance its own app keeps): from
    `start_date` to `end_date`, with the provider the app chose and the reason it is a spot contract. A referral
    may have many such agreements, one a stay, while it is worked or once its work is done; never before an officer
    has it. The provider and the social worker are told."""
    referral = Referral.objects.select_for_update(of=("self",)).select_related("person", "plan").get(pk=referral.pk)
    if not is_team_officer(referral, acting_user) or referral.allocated_to_id != acting_user.pk:
        raise ActionRefused("Only the officer this referral is allocated to can do this.")
    if route_of(referral) is None:
        raise ActionRefused("No workflow commissions this service type.")
    if referral.state not in (State.ALLOCATED, State.ACTIVE):
        raise ActionRefused("Only a referral with an officer can have its agreements made.")
    if start_date < timezone.localdate():
        raise ActionRefused("The start date cannot be in the past.")
    if end_date is None or end_date <= start_date:
        raise ActionRefused("The stay ends after it starts.")
    if not spot_contract_reason.strip():
        raise ActionRefused("Say why this is a spot contract.")
    agreement = ServiceAgreement(
        referral=referral,
        person=referral.person,
        provider=provider,
        spot_contract_reason=spot_contract_reason.strip(),
        service_type_id=referral.service_type_id,
        start_date=start_date,
        end_date=end_date,
        weekly_hours=None,
        visit_schedule=[],
        hourly_rate=None,
        weekly_cost=_in_pence(weekly_cost, "weekly cost"),
        created_by=acting_user,
    )
    _save_new_agreement(agreement, acting_user=acting_user)
    enqueue(notify_award, agreement.pk)
    return agreement


@transaction.atomic
def reprice_agreement(agreement, *, acting_user, hourly_rate=None, weekly_cost=None, reason: str) -> ServiceAgreement:
    """New prices for a running agreement, on its own price basis: an hourly rate for one priced by the hour, a
    weekly cost for one priced by the week; never above what the practitioner authorised. The agreement keeps its
    start date. Its care package dates the change and revises the purchase order (packages.services.change_terms).
    """
    agreement = (
        ServiceAgreement.objects.select_for_update(of=("self",))
        .select_related("referral__plan", "person")
        .get(pk=agreement.pk)
    )
    referral = agreement.referral
    if not is_team_officer(referral, acting_user):
        raise ActionRefused("Only the Brokerage team working this case can change its agreement.")
    if agreement.status != ServiceAgreement.Status.ACTIVE or not agreement.purchase_orders.exists():
        raise ActionRefused("Only an active agreement with a purchase order can be changed.")
    if not reason.strip():
        raise ActionRefused("Say why the agreement is changing.")
    hourly_rate, cost = _priced(
        agreement.price_basis, weekly_hours=agreement.weekly_hours, hourly_rate=hourly_rate, weekly_cost=weekly_cost
    )
    _ensure_within_authorisation(referral, weekly_cost=cost, weekly_hours=agreement.weekly_hours)
    before = snapshot(agreement, ["hourly_rate", "weekly_cost"])
    agreement.hourly_rate = hourly_rate
    agreement.weekly_cost = cost
    agreement.full_clean()
    agreement.save()
    record_change(
        actor=acting_user,
        obj=agreement,
        person=agreement.person,
        summary=f"Changed {agreement.reference}",
        changes={"reason": reason, **diff(before, snapshot(agreement, list(before)))},
    )
    return agreement


@transaction.atomic
def end_agreement(agreement, *, acting_user, last_day, reason: str, tell_provider: bool = False) -> ServiceAgreement:
    """The agreement ends after `last_day`. Its status stays active until then: the selectors read the end date,
    so it shows among the person's past services from the day after. With `tell_provider`, its provider's users are
    e-mailed the last day (callers whose workflow tells the provider in its own words leave it off)."""
    agreement = (
        ServiceAgreement.objects.select_for_update(of=("self",))
        .select_related("referral", "person")
        .get(pk=agreement.pk)
    )
    if not is_team_officer(agreement.referral, acting_user):
        raise ActionRefused("Only the Brokerage team working this case can end its agreement.")
    if agreement.status != ServiceAgreement.Status.ACTIVE:
        raise ActionRefused(f"Service agreement {agreement.reference} has already ended.")
    if agreement.end_date is not None and agreement.end_date < last_day:
        raise ActionRefused(
            f"Service agreement {agreement.reference} already ends on {agreement.end_date:%-d %B %Y}: it cannot run on."
        )
    before = snapshot(agreement, ["end_date"])
    agreement.end_date = last_day
    agreement.full_clean()
    agreement.save(update_fields=["end_date", "modified_at"])
    record_change(
        actor=acting_user,
        obj=agreement,
        person=agreement.person,
        summary=f"Ended {agreement.reference}: its last day is {last_day:%-d %B %Y}",
        changes={"reason": reason, **diff(before, snapshot(agreement, list(before)))},
    )
    if tell_provider:
        enqueue(notify_agreement_ended, agreement.pk)
    return agreement
