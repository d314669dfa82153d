"""Domain actions on respite. Each takes the acting user, runs its step through the allowance's or the booking's
machine (who may, from which state, with what data) under the allowance's row lock, and writes its rows, the log and
the audit trail in one transaction; or is refused with the reason and changes nothing. Other apps' rows are written
by their services: brokerage (a booking's fixed-term agreement), purchase_orders (its order), dps (the DPS team told
of a provider off the framework), referrals (the referral made active once the allowance is loaded).

The balance: `booked` on the allowance row, changed only while that row is locked (select_for_update), so bookings
made at the same moment are taken one after the other, each seeing the last one's total; and a CHECK constraint
keeps it within the amount, whatever writes it."""

import logging
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from approvals.selectors import approved_allowance
from audit.services import record_change
from brokerage.services import end_agreement, make_booked_agreement
from catalogue.sourcing import commissioned_when, work_finder
from core.exceptions import ActionRefused
from core.tasks import enqueue
from dps import services as dps
from purchase_orders.services import close_purchase_order, issue_purchase_order
from referrals.services import record_commissioned

from .models import ALLOWANCE_MACHINE, BOOKING_MACHINE, RespiteAllowance, RespiteBooking
from .tasks import render_respite_letter
from .workflows import State, is_officer

logger = logging.getLogger(__name__)
PENNY = Decimal("0.01")


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def year_from(start: date) -> date:
    """The last day of an allowance year that starts on `start`."""
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


# The route (catalogue.sourcing) ---------------------------------------------------------------------------------
def start_allowance(referral, *, acting_user) -> RespiteAllowance:
    """Called by referrals.services in the transaction that first gives the referral to an officer: the allowance
    waits to be loaded, with the panel's approval it will load."""
    allowance = RespiteAllowance(
        referral=referral,
        person=referral.person,
        team_id=referral.team_id,
        approval=approved_allowance(referral.plan_id),
        created_by=acting_user,
    )
    allowance.full_clean(exclude=["state", "referral"])
    allowance.save()
    record_change(
        actor=acting_user,
        obj=allowance,
        person=referral.person,
        created=True,
        summary=f"Started respite allowance {allowance.reference} for {referral.reference}",
    )
    return allowance


# Brokerage's work is done once the allowance is loaded.
is_commissioned = commissioned_when(RespiteAllowance, State.LOADED, State.LETTER_SENT, State.ENDED)
work_of = work_finder(RespiteAllowance)


def stop(referral, *, acting_user, reason: str) -> RespiteAllowance | None:
    """Called by referrals.services in the transaction that withdraws the referral: an allowance not loaded stops."""
    allowance = work_of(referral)
    if allowance is None or allowance.state != State.TO_LOAD:
        return None
    allowance = _locked(allowance)
    allowance.ending_reason = f"The referral was withdrawn: {reason}"
    return ALLOWANCE_MACHINE.apply(allowance, "stop", acting_user=acting_user, note=reason)


# Steps ------------------------------------------------------------------------------------------------------------
def _locked(allowance) -> RespiteAllowance:
    return (
        RespiteAllowance.objects.select_for_update(of=("self",))
        .select_related("referral", "person__allocated_worker", "approval")
        .get(pk=allowance.pk)
    )


@transaction.atomic
def load_allowance(allowance, *, acting_user, year_start: date) -> RespiteAllowance:
    """The officer loads the annual allowance the panel approved, for the year from `year_start`: the referral is
    active (Brokerage's work on it is done) and the letter is made, for the social worker to send."""
    allowance = _locked(allowance)
    ALLOWANCE_MACHINE.ensure_may(allowance, "load", acting_user)
    if allowance.approval is None:  # approved since the allowance started: the referral waited for it
        allowance.approval = approved_allowance(allowance.referral.plan_id)
    if year_start is None:
        raise ActionRefused("Enter the day the allowance year starts.")
    if year_start < timezone.localdate() - timedelta(days=31):
        raise ActionRefused("The allowance year cannot start more than a month ago.")
    allowance.year_start, allowance.year_end = year_start, year_from(year_start)
    if allowance.approval is not None:
        allowance.amount = allowance.approval.approved_annual_amount
    if unmet := ALLOWANCE_MACHINE.unmet_conditions(allowance, "load"):
        raise ActionRefused(" ".join(unmet))
    allowance = ALLOWANCE_MACHINE.apply(
        allowance,
        "load",
        acting_user=acting_user,
        note=f"{money(allowance.amount)} from {_long(allowance.year_start)} to {_long(allowance.year_end)}",
    )
    record_commissioned(
        allowance.referral, acting_user=acting_user, note=f"{allowance.reference}: respite allowance loaded"
    )
    enqueue(render_respite_letter, allowance.pk)
    return allowance


@transaction.atomic
def send_letter(allowance, *, acting_user, sent_to: str) -> RespiteAllowance:
    """The social worker records the letter sent to the person (or their representative): respite can be booked."""
    allowance = _locked(allowance)
    ALLOWANCE_MACHINE.ensure_may(allowance, "send_letter", acting_user)
    allowance.letter_sent_to = sent_to.strip()[:200]
    allowance.letter_sent_at = timezone.now()
    return ALLOWANCE_MACHINE.apply(allowance, "send_letter", acting_user=acting_user, note=f"Sent to {sent_to}")


def end_due_allowances() -> int:
    """The nightly sweep: each allowance whose year is over ends, in the name of its officer. Each in its own
    transaction, under a row lock another sweep skips (select_for_update(skip_locked=True)) and read again as due,
    so two sweeps at once, or the same one twice, end nothing twice. Returns how many ended."""
    today = timezone.localdate()
    due = {"state": State.LETTER_SENT, "year_end__lt": today}
    ended = 0
    for pk in RespiteAllowance.objects.filter(**due).order_by("pk").values_list("pk", flat=True):
        try:
            with transaction.atomic():
                allowance = (
                    RespiteAllowance.objects.select_for_update(of=("self",), skip_locked=True)
                    .select_related("referral__allocated_to", "person")
                    .filter(pk=pk, **due)
                    .first()
                )
                if allowance is not None:
                    ALLOWANCE_MACHINE.apply(
                        allowance,
                        "end_year",
                        acting_user=allowance.referral.allocated_to,
                        note=f"Scheduled: the year ended on {_long(allowance.year_end)}",
                    )
                    ended += 1
        except ActionRefused as refusal:  # left due, for the team to see; the next one goes on
            logger.warning("Respite allowance %s could not end: %s", pk, refusal.message)
    return ended


# Bookings ---------------------------------------------------------------------------------------------------------
def on_framework(provider) -> bool:
    """Is the provider on a respite purchasing arrangement (a DPS or Dynamic Market)?"""
    return provider.services.filter(service_type_id="respite", arrangement__isnull=False).exists()


@transaction.atomic
def book_respite(
    allowance, *, acting_user, provider, start_date: date, end_date: date, cost: Decimal, reason: str = ""
) -> RespiteBooking:
    """A stay with a provider, on a spot contract, drawing its cost on the allowance: its fixed-term agreement and
    purchase order are made, the provider told. Refused, changing nothing, when it would exceed what is left (the
    balance is said), outside the allowance year, before the letter is sent, or off the framework without a reason
    (then the DPS team is told, so it can invite the provider to enrol)."""
    allowance = _locked(allowance)
    if not is_officer(allowance, acting_user):
        raise ActionRefused("Only the officer this referral is allocated to books respite.")
    if allowance.state != State.LETTER_SENT:
        raise ActionRefused(
            "Respite is booked once the allowance is loaded and the letter sent."
            if allowance.state in (State.TO_LOAD, State.LOADED)
            else "This allowance has ended: nothing more is booked on it."
        )
    if cost is None or cost <= 0 or cost != cost.quantize(PENNY):
        raise ActionRefused("Enter the cost of the stay in pounds and pence, above £0.")
    if start_date is None or end_date is None or end_date <= start_date:
        raise ActionRefused("The stay must end after its first night.")
    if start_date < timezone.localdate():
        raise ActionRefused("The first night cannot be in the past.")
    if start_date < allowance.year_start or end_date > allowance.year_end + timedelta(days=1):
        raise ActionRefused(
            f"The stay must fall within the allowance year, {_long(allowance.year_start)} to "
            f"{_long(allowance.year_end)}."
        )
    if cost > allowance.balance:
        raise ActionRefused(
            f"This booking of {money(cost)} would exceed the respite allowance: {money(allowance.balance)} is left "
            f"of {money(allowance.amount)}."
        )
    if not provider.active:
        raise ActionRefused("That provider is not active.")
    framework = on_framework(provider)
    reason = reason.strip()
    if not framework and not reason:
        raise ActionRefused(f"{provider} is not on the respite framework: give the reason it is used.")
    referral = allowance.referral
    if not framework:
        dps.record_routed_spot_contract(referral, acting_user=acting_user, provider=provider, reason=reason)
    nights = (end_date - start_date).days
    agreement = make_booked_agreement(
        referral,
        acting_user=acting_user,
        provider=provider,
        spot_contract_reason=reason or f"Respite spot contract on allowance {allowance.reference}",
        start_date=start_date,
        end_date=end_date,
        # An agreement is priced by the week: the stay's cost as a weekly rate (the booking keeps the exact cost).
        weekly_cost=max(PENNY, (cost * 7 / nights).quantize(PENNY, ROUND_HALF_UP)),
    )
    order = issue_purchase_order(agreement, acting_user=acting_user)
    booking = RespiteBooking(
        allowance=allowance,
        provider=provider,
        start_date=start_date,
        end_date=end_date,
        cost=cost,
        on_framework=framework,
        spot_contract_reason=reason,
        agreement=agreement,
        purchase_order=order,
        created_by=acting_user,
    )
    booking.full_clean(exclude=["state"])
    booking.save()
    before = allowance.booked
    allowance.booked = before + cost
    allowance.save(update_fields=["booked", "modified_at"])
    record_change(
        actor=acting_user,
        obj=allowance,
        person=allowance.person,
        summary=f"Booked respite {booking.reference} with {provider}: {nights} night(s) from {_long(start_date)}, "
        f"{money(cost)}; purchase order {order.number}; {money(allowance.balance)} left",
        changes={"booked": [before, allowance.booked], "booking": booking.reference},
    )
    return booking


def _locked_booking(booking) -> tuple[RespiteAllowance, RespiteBooking]:
    allowance = _locked(booking.allowance)
    booking = (
        RespiteBooking.objects.select_for_update(of=("self",))
        .select_related("provider", "agreement")
        .get(pk=booking.pk)
    )
    booking.allowance = allowance
    return allowance, booking


@transaction.atomic
def cancel_booking(booking, *, acting_user, reason: str) -> RespiteBooking:
    """A stay not yet begun will not happen: its agreement ends before it starts, its purchase order is closed, the
    provider told, and its cost goes back to the allowance."""
    allowance, booking = _locked_booking(booking)
    booking.cancel_reason = reason.strip()
    BOOKING_MACHINE.ensure_may(booking, "cancel", acting_user)
    if unmet := BOOKING_MACHINE.unmet_conditions(booking, "cancel"):
        raise ActionRefused(" ".join(unmet))
    last_day = booking.start_date - timedelta(days=1)
    note = f"Respite {booking.reference} cancelled: {booking.cancel_reason}"
    close_purchase_order(booking.agreement, acting_user=acting_user, last_day=last_day, reason=note)
    end_agreement(booking.agreement, acting_user=acting_user, last_day=last_day, reason=note, tell_provider=True)
    booking = BOOKING_MACHINE.apply(booking, "cancel", acting_user=acting_user, note=booking.cancel_reason)
    before = allowance.booked
    allowance.booked = before - booking.cost
    allowance.save(update_fields=["booked", "modified_at"])
    record_change(
        actor=acting_user,
        obj=allowance,
        person=allowance.person,
        summary=f"Cancelled respite {booking.reference}: {money(booking.cost)} given back; "
        f"{money(allowance.balance)} left",
        changes={"booked": [before, allowance.booked], "booking": booking.reference},
    )
    return booking


# The letter --------------------------------------------------------------------------------------------------------
def render_letter(allowance_id: int) -> bool:
    """Render and keep the allowance letter's PDF unless it has one. True if this call stored it. WeasyPrint runs
    outside any transaction; store_letter keeps only the first."""
    from .pdf import render_letter_pdf

    allowance = RespiteAllowance.objects.select_related("person", "team", "referral").get(pk=allowance_id)
    if allowance.letter_pdf or allowance.amount is None:
        return False
    return store_letter(allowance.pk, render_letter_pdf(allowance))


@transaction.atomic
def store_letter(allowance_id: int, pdf_bytes: bytes) -> bool:
    from django.core.files.base import ContentFile

    allowance = RespiteAllowance.objects.select_for_update().get(pk=allowance_id)
    if allowance.letter_pdf:
        return False
    name = f"{allowance.reference}-letter.pdf"
    allowance.letter_pdf.storage.delete(allowance.letter_pdf.field.generate_filename(allowance, name))
    allowance.letter_pdf.save(name, ContentFile(pdf_bytes), save=False)
    allowance.letter_rendered_at = timezone.now()
    allowance.save(update_fields=["letter_pdf", "letter_rendered_at"])
    return True
