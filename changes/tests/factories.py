"""Changes to a running package, reached as users reach them: a home care package running from today (dps.tests
.factories.active: 10 hours a week at £22 an hour, its purchase order issued), a change referral for it sent by the
person's social worker, and the officer taking it, which starts its change."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from catalogue.codes import ServiceCode
from changes import services
from changes.models import PackageChange
from dps.tests.factories import Sourcing, active
from people.tests.factories import make_plan
from referrals import services as referral_services
from referrals.models import Referral
from referrals.tests.factories import approve

MORE_VISITS = [
    {"day": "Monday", "time": "08:00", "minutes": 60, "carers": 1},
    {"day": "Thursday", "time": "08:00", "minutes": 60, "carers": 1},
]


def today() -> date:
    return timezone.localdate()


def in_days(n: int) -> date:
    return today() + timedelta(days=n)


def running(person, funder, officer) -> Sourcing:
    return active(person, funder, officer, start_date=today())


def change_referral(person, change, *, plan=None, funder=None, **fields) -> Referral:
    """The social worker's change referral for the person's home care, funded by `funder` when it needs it."""
    referral = referral_services.create_referral(
        acting_user=person.allocated_worker,
        person=person,
        kind=Referral.Kind.CHANGE,
        change=change,
        plan=plan,
        details="As discussed with the family.",
        **{"service_type": ServiceCode.HOME_CARE} | fields,
    )
    if referral.state == Referral.State.AWAITING_FUNDING and funder is not None:
        approve(referral, funder, Decimal("400.00"))
    return Referral.objects.get(pk=referral.pk)


def taken(referral, officer) -> PackageChange:
    referral_services.take_referral(referral, acting_user=officer)
    return PackageChange.objects.get(referral=referral)


def suspension_to_arrange(person, officer, *, starts=None, ends=None) -> PackageChange:
    referral = change_referral(person, Referral.Change.SUSPEND, effective_date=starts or today(), end_date=ends)
    return taken(referral, officer)


def increase_to_arrange(person, funder, officer, *, hours="15.00", starts=None, ends=None) -> PackageChange:
    plan = make_plan(person.allocated_worker, person, weekly_hours=Decimal(hours), visit_schedule=MORE_VISITS)
    referral = change_referral(
        person, Referral.Change.INCREASE, plan=plan, funder=funder, effective_date=starts or in_days(1), end_date=ends
    )
    return taken(referral, officer)


def reduction_to_arrange(person, officer, *, hours="6.00", starts=None) -> PackageChange:
    plan = make_plan(person.allocated_worker, person, weekly_hours=Decimal(hours))
    referral = change_referral(person, Referral.Change.REDUCE, plan=plan, effective_date=starts or in_days(1))
    return taken(referral, officer)


def arrange(change, officer, **fields) -> PackageChange:
    return services.arrange(
        change,
        acting_user=officer,
        **{
            "provider_told_on": today(),
            "provider_told_how": "Rang the branch manager",
            "starts_on": change.starts_on,
            "ends_on": change.ends_on,
            "reason": "hospital" if change.kind == Referral.Change.SUSPEND else "",
        }
        | fields,
    )
