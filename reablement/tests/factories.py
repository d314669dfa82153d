"""Reablement cases taken step by step as SPA and Brokerage take them: every step is a service call, so
permissions, the log and the audit trail are as in use. `referred` → `accepted` → `planned` → `with_brokerage`
→ `running` (Brokerage sourced it on a spot contract and issued the purchase order: the package is active)."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from commissioning import services as commissioning
from providers.tests.factories import ProviderFactory
from reablement import services
from reablement.models import ReablementCase
from referrals.services import take_referral

# Monday to Friday, 2 hours in 2 visits: 10 hours a week.
WEEKDAYS = [(day, Decimal("2"), 2) for day in range(1, 6)]
HOURS = Decimal("10")


def today() -> date:
    return timezone.localdate()


def new_person(area, last_name="Hale") -> dict:
    return {
        "first_name": "Gus",
        "last_name": last_name,
        "date_of_birth": date(1948, 6, 8),
        "address_line_1": "7 Eastbrook Road",
        "town": "Riverside",
        "postcode": "E1 7QX",
        "area": area,
    }


def referred(spa, area, **fields) -> ReablementCase:
    return services.record_hospital_referral(
        acting_user=spa,
        new_person=new_person(area),
        hospital=fields.get("hospital", "Riverside General"),
        ward=fields.get("ward", "Elm ward"),
        referred_by_name="Dr Ann Lee, discharge coordinator",
        expected_discharge=today() + timedelta(days=2),
        needs="Help to wash, dress and get meals while confidence returns after a fall.",
    )


def accepted(spa, area) -> ReablementCase:
    return services.accept_case(referred(spa, area), acting_user=spa)


def planned(spa, area, *, worker=None) -> ReablementCase:
    return services.write_plan(
        accepted(spa, area),
        acting_user=spa,
        weekly_hours=HOURS,
        start_date=today(),
        worker=worker or spa,
        days=WEEKDAYS,
    )


def with_brokerage(spa, area, *, worker=None) -> ReablementCase:
    return services.send_to_brokerage(planned(spa, area, worker=worker), acting_user=spa)


def sourced(case, officer, *, provider=None):
    """Brokerage takes the referral, commissions a spot provider from today at £25 an hour and issues the purchase
    order: the package is active. Returns the case, re-read."""
    referral = take_referral(case.referral, acting_user=officer)
    commission = commissioning.commission_spot_contract(
        referral.commission,
        acting_user=officer,
        provider=provider or ProviderFactory(),
        reason="No DPS provider can start",
    )
    commissioning.award(commission, acting_user=officer, start_date=today(), hourly_rate=Decimal("25.00"))
    commissioning.issue_purchase_order(commission, acting_user=officer)
    return ReablementCase.objects.get(pk=case.pk)


def running(spa, area, officer, *, worker=None, provider=None) -> ReablementCase:
    return sourced(with_brokerage(spa, area, worker=worker), officer, provider=provider)


def reassessed(case, spa, *, hours=Decimal("15"), days=None, evidence="", effective_date=None):
    services.record_reassessment(
        case,
        acting_user=spa,
        assessed_on=today(),
        weekly_hours=hours,
        effective_date=effective_date or today() + timedelta(days=1),
        findings="Still unsteady on the stairs in the evening.",
        evidence=evidence,
        days=days or [(day, Decimal("3"), 2) for day in range(1, 6)],
    )
    return ReablementCase.objects.get(pk=case.pk)


def termination_requested(case, spa, *, last_day=None):
    return services.request_termination(
        case, acting_user=spa, reason="baseline", last_day=last_day or today() + timedelta(days=3), note="Independent"
    )
