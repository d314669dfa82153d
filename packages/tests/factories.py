"""Care packages reached as officers reach them: a home care case taken to its purchase order (dps.tests.factories
.active) starts one; a change-of-provider referral taken to its agreement moves it. `pending_package` makes the
rows the data migration makes for an agreement whose order was not yet issued."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from catalogue.codes import ServiceCode
from commissioning import services as commissioning
from dps.tests.factories import PurchasingArrangementFactory, Sourcing
from packages.models import CarePackage, PackageAgreement, PackageSuspension, PackageVersion
from people.tests.factories import make_plan
from providers.tests.factories import ProviderFactory
from referrals import services as referral_services
from referrals.models import Referral
from referrals.tests.factories import approve

NEW_VISITS = [
    {"day": "Tuesday", "time": "09:30", "minutes": 60, "carers": 2},
    {"day": "Saturday", "time": "18:00", "minutes": 30, "carers": 1},
]


def in_days(n: int):
    return timezone.localdate() + timedelta(days=n)


def agreed(person, funder, officer, *, start_date, hourly_rate=Decimal("23.00"), change_of_provider=True) -> Sourcing:
    """A home care referral for the person (a change of provider unless told otherwise) taken by `officer` to an
    agreement with a spot provider from `start_date`, its purchase order not yet issued. The plan is for 10 hours
    a week on NEW_VISITS, funded at £250 a week."""
    worker = person.allocated_worker
    kind = {"kind": Referral.Kind.CHANGE, "change": Referral.Change.CHANGE_PROVIDER} if change_of_provider else {}
    referral = referral_services.create_referral(
        acting_user=worker,
        person=person,
        service_type=ServiceCode.HOME_CARE,
        plan=make_plan(worker, person, visit_schedule=NEW_VISITS),
        details="Carers keep arriving late; times and carers were tried first.",
        **({"kind": Referral.Kind.SUPPORT_PLAN} | kind),
    )
    approve(referral, funder)
    referral_services.take_referral(referral, acting_user=officer)
    if change_of_provider:
        challenged(Referral.objects.get(pk=referral.pk).commission, officer)
    commission = commissioning.commission_spot_contract(
        Referral.objects.get(pk=referral.pk).commission,
        acting_user=officer,
        provider=ProviderFactory(),
        reason="No framework provider can take it on",
    )
    referral = Referral.objects.get(pk=referral.pk)
    agreement = commissioning.award(commission, acting_user=officer, start_date=start_date, hourly_rate=hourly_rate)
    case = Sourcing(referral, officer, PurchasingArrangementFactory(), agreement=agreement)
    return case.refresh()


def two_changes_of_provider(person, funder, officer, *, start_date) -> list[Sourcing]:
    """Two change-of-provider referrals for one package, both agreed and waiting for their orders. Possible only
    when the first was sent before a change named its package (referrals.running: one open change of a kind per
    package), as the data migration leaves some: the package each moves is then found when its order is issued."""
    first = agreed(person, funder, officer, start_date=start_date)
    Referral.objects.filter(pk=first.referral.pk).update(care_package_id=None)
    return [first, agreed(person, funder, officer, start_date=start_date)]


def challenged(commission, officer):
    """A change of provider's challenge done: recorded, the provider's explanation attached, the quality alert sent
    and the change confirmed. Sourcing can start."""
    commissioning.record_challenge(
        commission, acting_user=officer, outcome="Times and carers were changed twice; the visits are still missed."
    )
    explanation = commissioning.request_explanation(commission, acting_user=officer, from_whom="provider")
    commissioning.attach_explanation(
        explanation,
        acting_user=officer,
        received_on=timezone.localdate(),
        text="We cannot staff the morning run in that area.",
    )
    commissioning.send_quality_alert(commission, acting_user=officer, details="Missed morning visits.")
    return commissioning.confirm_change(commission, acting_user=officer)


def pending_package(case) -> CarePackage:
    """What the data migration makes for an agreement awaiting its purchase order: a package pending start, with
    the agreement's days and one version on its terms."""
    agreement = case.agreement
    package = CarePackage.objects.create(
        person=agreement.person,
        service_type_id=agreement.service_type_id,
        referral=case.referral,
        team_id=case.referral.team_id,
    )
    PackageAgreement.objects.create(package=package, agreement=agreement, valid_from=agreement.start_date)
    PackageVersion.objects.create(
        package=package,
        agreement=agreement,
        valid_from=agreement.start_date,
        weekly_hours=agreement.weekly_hours,
        hourly_rate=agreement.hourly_rate,
        weekly_cost=agreement.weekly_cost,
        reason="Recorded when care packages began",
        created_by=case.officer,
    )
    return package


def suspend(package, *, valid_from, valid_to) -> PackageSuspension:
    """A suspension of `package` as a row (a hospital stay), from `valid_from` until the day it recommences
    (`valid_to`, None while unknown); how one is arranged is changes' tests' business."""
    return PackageSuspension.objects.create(
        package=package,
        valid_from=valid_from,
        valid_to=valid_to,
        reason=PackageSuspension.Reason.HOSPITAL,
        created_by=package.person.allocated_worker,
    )
