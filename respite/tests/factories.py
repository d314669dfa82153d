"""Respite taken step by step as the panel, the officer and the social worker take it: every step is a service
call, so permissions, the log and the audit trail are as in use.

`awaiting_panel` → `approved` (£2,000 a year) → `started` (an officer takes it) → `loaded` → `letter_sent` → `booked`.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from catalogue.codes import ServiceCode
from dps.tests.factories import PurchasingArrangementFactory
from people.tests.factories import make_plan
from providers.tests.factories import ProviderServiceFactory
from referrals.models import Referral
from referrals.services import record_funding_decision, take_referral
from referrals.tests.factories import awaiting_funding_referral
from respite import services
from respite.models import RespiteAllowance, RespiteBooking

ALLOWANCE = Decimal("2000.00")
STAY = Decimal("650.00")


def today():
    return timezone.localdate()


def awaiting_panel(worker, person) -> Referral:
    plan = make_plan(worker, person, service_type=ServiceCode.RESPITE, weekly_hours=None, visit_schedule=[])
    return awaiting_funding_referral(worker, person, service_type=ServiceCode.RESPITE, plan=plan)


def approved(worker, person, cap, amount=ALLOWANCE) -> Referral:
    referral = awaiting_panel(worker, person)
    record_funding_decision(referral, acting_user=cap, decision="approved", approved_annual_amount=amount)
    return Referral.objects.get(pk=referral.pk)


def started(person, cap, officer, **kwargs) -> RespiteAllowance:
    referral = take_referral(approved(person.allocated_worker, person, cap, **kwargs), acting_user=officer)
    return RespiteAllowance.objects.get(referral=referral)


def loaded(person, cap, officer, **kwargs) -> RespiteAllowance:
    allowance = services.load_allowance(
        started(person, cap, officer, **kwargs), acting_user=officer, year_start=today()
    )
    services.render_letter(allowance.pk)  # the task queued on commit, which a test's transaction never reaches
    return RespiteAllowance.objects.get(pk=allowance.pk)


def letter_sent(person, cap, officer, **kwargs) -> RespiteAllowance:
    allowance = loaded(person, cap, officer, **kwargs)
    services.send_letter(allowance, acting_user=person.allocated_worker, sent_to="The person, by post")
    return RespiteAllowance.objects.get(pk=allowance.pk)


def respite_provider(*, on_framework=True, **kwargs):
    arrangement = PurchasingArrangementFactory(service_type=ServiceCode.RESPITE) if on_framework else None
    return ProviderServiceFactory(service_type=ServiceCode.RESPITE, arrangement=arrangement, **kwargs).provider


def booking(allowance, officer, *, provider=None, cost=STAY, start_in=14, nights=7, reason="") -> RespiteBooking:
    start = today() + timedelta(days=start_in)
    return services.book_respite(
        allowance,
        acting_user=officer,
        provider=provider or respite_provider(),
        start_date=start,
        end_date=start + timedelta(days=nights),
        cost=cost,
        reason=reason,
    )
