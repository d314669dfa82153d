"""Direct payments at each step, made by the services the pages call."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from catalogue.codes import ServiceCode
from direct_payments import services
from direct_payments.models import DirectPayment
from people.tests.factories import make_plan
from referrals.services import take_referral
from referrals.tests.factories import approve, awaiting_funding_referral

APPROVED_WEEKLY = Decimal("100.00")


def terms(**overrides) -> dict:
    return {
        "recipient": DirectPayment.Recipient.PERSON,
        "purpose": "A personal assistant three mornings a week",
        "amount": Decimal("400.00"),
        "period": DirectPayment.Period.FOUR_WEEKLY,
        "first_payment_on": timezone.localdate() + timedelta(days=7),
    } | overrides


def referral(person, funder, *, approved=APPROVED_WEEKLY):
    """A funded direct payment referral in the East queue."""
    worker = person.allocated_worker
    plan = make_plan(
        worker, person, service_type=ServiceCode.DIRECT_PAYMENT, weekly_hours=None, indicative_weekly_budget=approved
    )
    referral = awaiting_funding_referral(worker, person, service_type=ServiceCode.DIRECT_PAYMENT, plan=plan)
    approve(referral, funder, approved)
    return referral


def to_draft(person, funder, officer, **kwargs) -> DirectPayment:
    """Taken by `officer`: its agreement to draft."""
    taken = take_referral(referral(person, funder, **kwargs), acting_user=officer)
    return DirectPayment.objects.get(referral=taken)


def sent(person, funder, officer, **overrides) -> DirectPayment:
    return services.send_agreement(to_draft(person, funder, officer), acting_user=officer, **terms(**overrides))


def signed(person, funder, officer, **overrides) -> DirectPayment:
    return services.record_signature(
        sent(person, funder, officer, **overrides),
        acting_user=officer,
        signed_on=timezone.localdate(),
        signed_by_name=str(person),
    )


def active(person, funder, officer, **overrides) -> DirectPayment:
    return services.schedule_payments(signed(person, funder, officer, **overrides), acting_user=officer)
