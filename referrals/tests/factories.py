"""Referrals in each state, reached through referrals.services as a user would reach them.

Only a draft has no service (create_referral submits at once), so `draft_referral` saves one directly.
"""

from datetime import date
from decimal import Decimal

from catalogue.codes import ServiceCode
from packages.tests.running import running_package
from people.tests.factories import make_plan
from referrals import services
from referrals.models import Referral

DETAILS = "What Brokerage needs to know."
TAKES_EFFECT = date(2027, 1, 5)


def draft_referral(worker, person, *, plan=None, **overrides) -> Referral:
    fields = {
        "kind": Referral.Kind.URGENT_RESPONSE,
        "service_type": ServiceCode.HOME_CARE,
        "details": DETAILS,
        "urgent": True,
    } | overrides
    fields["service_type_id"] = fields.pop("service_type")
    return Referral.objects.create(
        person=person, plan=plan, team_id=person.team_id, referred_by=worker, created_by=worker, **fields
    )


def urgent_referral(worker, person, **overrides) -> Referral:
    """An urgent response: no plan, no funding decision, straight to the queue."""
    return services.create_referral(
        acting_user=worker,
        person=person,
        kind=Referral.Kind.URGENT_RESPONSE,
        **{"service_type": ServiceCode.HOME_CARE, "details": DETAILS} | overrides,
    )


def suspension_referral(worker, person, **overrides) -> Referral:
    """A suspension of the person's running home care (made if they have none) that puts no one at risk: a
    non-urgent referral straight to the queue."""
    running_package(person, overrides.get("service_type", ServiceCode.HOME_CARE))
    return services.create_referral(
        acting_user=worker,
        person=person,
        kind=Referral.Kind.CHANGE,
        change=Referral.Change.SUSPEND,
        **{"service_type": ServiceCode.HOME_CARE, "details": DETAILS, "effective_date": TAKES_EFFECT} | overrides,
    )


def awaiting_funding_referral(
    worker, person, *, service_type=ServiceCode.HOME_CARE, plan=None, **overrides
) -> Referral:
    """A new care and support plan waiting for the panel (or, out of panel, a head of service)."""
    plan = plan or make_plan(worker, person, service_type=service_type)
    return services.create_referral(
        acting_user=worker,
        person=person,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type=service_type,
        plan=plan,
        **{"details": DETAILS} | overrides,
    )


def approve(referral, funder, amount=Decimal("250.00")):
    return services.record_funding_decision(
        referral, acting_user=funder, decision="approved", approved_weekly_amount=amount
    )


def queued_referral(worker, person, funder, **overrides) -> Referral:
    """A funded new plan in its team's queue."""
    referral = awaiting_funding_referral(worker, person, **overrides)
    approve(referral, funder)
    return Referral.objects.get(pk=referral.pk)


def declined_referral(worker, person, funder, **overrides) -> Referral:
    referral = awaiting_funding_referral(worker, person, **overrides)
    services.record_funding_decision(referral, acting_user=funder, decision="declined", notes="Needs not eligible.")
    return Referral.objects.get(pk=referral.pk)


def allocated_referral(worker, person, officer, **overrides) -> Referral:
    """An urgent referral taken from the queue by `officer`."""
    return services.take_referral(urgent_referral(worker, person, **overrides), acting_user=officer)


def held_referral(worker, person, *, change=Referral.Change.REDUCE, **overrides) -> Referral:
    """A reduction (or suspension) of the person's running home care (made if they have none) that puts the person
    at risk, held for agreed risk strategies."""
    running_package(person)
    plan = make_plan(worker, person, weekly_hours=Decimal("6.00")) if change == Referral.Change.REDUCE else None
    return services.create_referral(
        acting_user=worker,
        person=person,
        kind=Referral.Kind.CHANGE,
        change=change,
        service_type=ServiceCode.HOME_CARE,
        plan=plan,
        puts_person_at_risk=True,
        **{"details": DETAILS, "effective_date": TAKES_EFFECT} | overrides,
    )


def sourcing_support_referral(worker, person, **overrides) -> Referral:
    plan = make_plan(worker, person, service_type=ServiceCode.DAY_OPPORTUNITIES, indicative_weekly_budget=None)
    return services.create_referral(
        acting_user=worker,
        person=person,
        kind=Referral.Kind.SOURCING_SUPPORT,
        service_type=ServiceCode.DAY_OPPORTUNITIES,
        plan=plan,
        **{"details": "Which day centres have places on Tuesdays?"} | overrides,
    )


def referred_on_referral(worker, person, **overrides) -> Referral:
    plan = make_plan(worker, person, service_type=ServiceCode.EXTRA_CARE)
    return services.create_referral(
        acting_user=worker,
        person=person,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type=ServiceCode.EXTRA_CARE,
        plan=plan,
        **{"details": DETAILS, "referred_on_to": "Extra Care Housing team"} | overrides,
    )
