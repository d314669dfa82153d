import factory

from brokerage.models import Area, ServiceAgreement
from providers.tests.factories import ProviderFactory
from referrals.models import Referral


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Area {n}")
    team_id = "east"


def spot_agreement(person, *, service_type, start, provider=None, reason="Commissioned for a test.", **terms):
    """A service agreement as rows (how one is awarded is commissioning's tests' business): the person's referral for
    `service_type`, and an agreement from `start` with `provider` (a new one by default) on a spot contract, on
    `terms` (weekly_cost, and weekly_hours and hourly_rate where they apply)."""

    worker = person.allocated_worker
    referral = Referral.objects.create(
        person=person,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type_id=service_type,
        details="The service.",
        team_id=person.team_id,
        referred_by=worker,
        created_by=worker,
    )
    return ServiceAgreement.objects.create(
        referral=referral,
        person=person,
        provider=provider or ProviderFactory(),
        spot_contract_reason=reason,
        service_type_id=service_type,
        start_date=start,
        created_by=worker,
        **terms,
    )
