"""Domain actions on direct payments. Each takes the acting user, runs the step through DIRECT_PAYMENT_MACHINE (who
may, from which state, with what data) under the direct payment's row lock, and writes its rows, the log and the
audit trail in one transaction; or is refused with the reason and changes nothing. The referral is made active by
its own service (referrals.services.record_commissioned)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from audit.services import record_change
from catalogue.sourcing import commissioned_when, work_finder
from core.exceptions import ActionRefused
from referrals.services import record_commissioned

from .models import DIRECT_PAYMENT_MACHINE, WEEKS_IN, DirectPayment, ScheduledPayment
from .workflows import COMMISSIONED_STATES, WORKING_STATES

PENNY = Decimal("0.01")
# A year of payments is scheduled at once: 52 weekly, 13 four-weekly, or the one payment.
PAYMENTS_IN_A_YEAR = {DirectPayment.Period.WEEKLY: 52, DirectPayment.Period.FOUR_WEEKLY: 13}
DAYS_BETWEEN = {DirectPayment.Period.WEEKLY: 7, DirectPayment.Period.FOUR_WEEKLY: 28}
NOT_PERMITTED = "Only the officer this referral is allocated to can do this."


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


# The route (catalogue.sourcing) ---------------------------------------------------------------------------------
def start_direct_payment(referral, *, acting_user) -> DirectPayment:
    """Called by referrals.services in the transaction that first gives the referral to an officer: the agreement is
    to be drafted."""
    direct_payment = DirectPayment(
        referral=referral, person=referral.person, team_id=referral.team_id, created_by=acting_user
    )
    direct_payment.full_clean(exclude=["state", "referral"])
    direct_payment.save()
    record_change(
        actor=acting_user,
        obj=direct_payment,
        person=referral.person,
        created=True,
        summary=f"Started direct payment {direct_payment.reference} for {referral.reference}",
    )
    return direct_payment


is_commissioned = commissioned_when(DirectPayment, *COMMISSIONED_STATES)
work_of = work_finder(DirectPayment)


def stop(referral, *, acting_user, reason: str) -> DirectPayment | None:
    """Called by referrals.services in the transaction that withdraws the referral: the direct payment stops."""
    direct_payment = work_of(referral)
    if direct_payment is None or direct_payment.state not in WORKING_STATES:
        return None
    return _step(_locked(direct_payment), "stop", acting_user=acting_user, note=reason)


# Steps ------------------------------------------------------------------------------------------------------------
def _locked(direct_payment) -> DirectPayment:
    return (
        DirectPayment.objects.select_for_update(of=("self",))
        .select_related("referral__plan", "person")
        .get(pk=direct_payment.pk)
    )


def _may(direct_payment, name: str, acting_user) -> DirectPayment:
    direct_payment = _locked(direct_payment)
    DIRECT_PAYMENT_MACHINE.ensure_may(direct_payment, name, acting_user, not_permitted=NOT_PERMITTED)
    return direct_payment


def _step(direct_payment, name: str, *, acting_user, note: str = "") -> DirectPayment:
    return DIRECT_PAYMENT_MACHINE.apply(direct_payment, name, acting_user=acting_user, note=note)


def _refuse_unless_funded(direct_payment) -> None:
    """The amount within the plan's approved funding, with the sums in the refusal."""
    weekly = direct_payment.approved_weekly_amount
    if weekly is None:
        raise ActionRefused("The plan has no approved funding: the panel decides it first.")
    most = direct_payment.most_per_payment
    if direct_payment.amount > most:
        period = direct_payment.get_period_display().lower()
        times = WEEKS_IN[direct_payment.period]
        raise ActionRefused(
            f"{_money(direct_payment.amount)} ({period}) is more than the approved funding allows: at most "
            f"{_money(most)} ({times} × {_money(weekly)} approved a week)."
        )


@transaction.atomic
def send_agreement(
    direct_payment,
    *,
    acting_user,
    recipient: str,
    purpose: str,
    amount: Decimal,
    period: str,
    first_payment_on: date,
) -> DirectPayment:
    """The agreement goes to the person, or their representative as named on the person's record, to sign: what the
    budget pays for, the amount and how often, from the first payment date. Within the approved funding."""
    direct_payment = _may(direct_payment, "send_agreement", acting_user)
    person = direct_payment.person
    if recipient == DirectPayment.Recipient.PERSON:
        name = str(person)
    elif recipient == DirectPayment.Recipient.REPRESENTATIVE:
        name = person.representative_name.strip()
        if not name:
            raise ActionRefused("The person's record names no representative: pay the person, or record one first.")
        if person.representative_relationship.strip():
            name = f"{name} ({person.representative_relationship.strip()})"
    else:
        raise ActionRefused("Choose who receives the payments.")
    if not purpose.strip():
        raise ActionRefused("Say what the budget pays for.")
    if period not in DirectPayment.Period.values:
        raise ActionRefused("Choose how often it is paid.")
    if amount is None or amount <= 0 or amount != amount.quantize(PENNY):
        raise ActionRefused("Enter the amount in pounds and pence, above £0.")
    if first_payment_on is None or first_payment_on < timezone.localdate():
        raise ActionRefused("The first payment date cannot be in the past.")
    direct_payment.recipient, direct_payment.recipient_name = recipient, name[:200]
    direct_payment.purpose, direct_payment.amount, direct_payment.period = purpose.strip(), amount, period
    direct_payment.first_payment_on, direct_payment.sent_on = first_payment_on, timezone.localdate()
    _refuse_unless_funded(direct_payment)
    note = (
        f"To {direct_payment.recipient_name}: {_money(amount)} {direct_payment.get_period_display().lower()} from "
        f"{_long(first_payment_on)}, for {direct_payment.purpose[:200]}"
    )
    return _step(direct_payment, "send_agreement", acting_user=acting_user, note=note)


@transaction.atomic
def redraft(direct_payment, *, acting_user, reason: str) -> DirectPayment:
    """The person or their representative asks for a change before signing: the agreement is drafted again."""
    direct_payment = _may(direct_payment, "redraft", acting_user)
    if not reason.strip():
        raise ActionRefused("Say what they asked to change.")
    direct_payment.sent_on = None
    return _step(direct_payment, "redraft", acting_user=acting_user, note=reason.strip())


@transaction.atomic
def record_signature(direct_payment, *, acting_user, signed_on: date, signed_by_name: str) -> DirectPayment:
    """The signed agreement has come back: the day it was signed and who signed it."""
    direct_payment = _may(direct_payment, "record_signature", acting_user)
    if signed_on is None or signed_on < direct_payment.sent_on or signed_on > timezone.localdate():
        raise ActionRefused("The day it was signed must be between the day it was sent and today.")
    if not signed_by_name.strip():
        raise ActionRefused("Enter who signed the agreement.")
    direct_payment.signed_on, direct_payment.signed_by_name = signed_on, signed_by_name.strip()[:200]
    note = f"Signed by {direct_payment.signed_by_name} on {_long(signed_on)}"
    return _step(direct_payment, "record_signature", acting_user=acting_user, note=note)


def due_dates(first: date, period: str) -> list[date]:
    """A year of payment days from the first: every week, every four weeks, or the one day."""
    if period == DirectPayment.Period.ONE_OFF:
        return [first]
    return [first + timedelta(days=DAYS_BETWEEN[period] * n) for n in range(PAYMENTS_IN_A_YEAR[period])]


@transaction.atomic
def schedule_payments(direct_payment, *, acting_user) -> DirectPayment:
    """A year of payments is scheduled, from the first payment date; the referral is active. Still within the
    approved funding (a decision may have changed since the agreement was sent)."""
    direct_payment = _may(direct_payment, "schedule_payments", acting_user)
    _refuse_unless_funded(direct_payment)
    days = due_dates(direct_payment.first_payment_on, direct_payment.period)
    ScheduledPayment.objects.bulk_create(
        ScheduledPayment(direct_payment=direct_payment, due_on=day, amount=direct_payment.amount) for day in days
    )
    note = f"{len(days)} payment(s) of {_money(direct_payment.amount)} from {_long(days[0])} to {_long(days[-1])}"
    direct_payment = _step(direct_payment, "schedule_payments", acting_user=acting_user, note=note)
    record_commissioned(direct_payment.referral, acting_user=acting_user, note=f"{direct_payment.reference}: {note}")
    return direct_payment


@transaction.atomic
def end(direct_payment, *, acting_user, ended_on: date, reason: str) -> DirectPayment:
    """The direct payment ends on its last day, with the reason: the payments due after it are cancelled."""
    direct_payment = _may(direct_payment, "end", acting_user)
    if not reason.strip():
        raise ActionRefused("Say why the direct payment ends.")
    if ended_on is None or ended_on < direct_payment.signed_on:
        raise ActionRefused("The last day cannot be before the agreement was signed.")
    direct_payment.ended_on, direct_payment.ending_reason = ended_on, reason.strip()
    cancelled = direct_payment.payments.filter(due_on__gt=ended_on, cancelled_on__isnull=True).update(
        cancelled_on=timezone.localdate()
    )
    note = f"Last day {_long(ended_on)}: {direct_payment.ending_reason}; {cancelled} later payment(s) cancelled"
    return _step(direct_payment, "end", acting_user=acting_user, note=note)
