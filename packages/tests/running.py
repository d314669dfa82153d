"""A person's running care package as rows, for tests that only need one to exist (a change referral names it):
an active package of 10 hours a week at £20 an hour, under an agreement from four weeks ago, without the purchase
order a real one has (dps.tests.factories.active makes one through every step, order and all)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from brokerage.tests.factories import spot_agreement
from catalogue.codes import ServiceCode
from packages.models import CarePackage, PackageAgreement, PackageVersion
from packages.workflows import LIVE_STATES

VISITS = [{"day": "Monday", "time": "08:00", "minutes": 60, "carers": 1}]


def running_package(person, service_type=ServiceCode.HOME_CARE, *, state=CarePackage.State.ACTIVE) -> CarePackage:
    """The person's live package of `service_type`, made if they have none."""
    found = CarePackage.objects.filter(person=person, service_type_id=service_type, state__in=LIVE_STATES).first()
    if found is not None:
        return found
    worker = person.allocated_worker
    began = timezone.localdate() - timedelta(weeks=4)
    agreement = spot_agreement(
        person,
        service_type=service_type,
        start=began,
        reason="Commissioned before this test began.",
        weekly_hours=Decimal("10.00"),
        hourly_rate=Decimal("20.00"),
        weekly_cost=Decimal("200.00"),
        visit_schedule=VISITS,
    )
    referral = agreement.referral
    package = CarePackage.objects.create(
        person=person, service_type_id=service_type, referral=referral, team_id=person.team_id, state=state
    )
    PackageAgreement.objects.create(package=package, agreement=agreement, valid_from=began)
    PackageVersion.objects.create(
        package=package,
        agreement=agreement,
        valid_from=began,
        weekly_hours=agreement.weekly_hours,
        hourly_rate=agreement.hourly_rate,
        weekly_cost=agreement.weekly_cost,
        reason="Commissioned",
        created_by=worker,
    )
    return package
