"""Shared lives arrangements taken step by step as the social worker, the scheme, the panel and the officer take
them: every step is a service call, so permissions, the log and the audit trail are as in use.

`referred` → `matched` → `tasters_done` (a taster went well) → `trial_stays` → `stays_done` (a stay went well) →
`at_panel` → `funded` (£450 a week) → `with_brokerage` → `taken` (an officer has the referral) → `commissioned`.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from catalogue.codes import ServiceCode
from people.tests.factories import make_plan
from providers.tests.factories import ProviderServiceFactory
from referrals.models import Referral
from referrals.services import take_referral
from shared_lives import services
from shared_lives.models import SharedLivesArrangement

APPROVED = Decimal("450.00")
COST = Decimal("420.00")
CARER = "Maria Lopes"


@dataclass
class Case:
    arrangement: SharedLivesArrangement
    worker: object
    scheme_user: object

    def refresh(self) -> "Case":
        self.arrangement = SharedLivesArrangement.objects.get(pk=self.arrangement.pk)
        return self

    @property
    def referral(self) -> Referral | None:
        return Referral.objects.filter(pk=self.arrangement.referral_id).first()


def scheme(name: str = "Riverside Shared Lives Scheme"):
    return ProviderServiceFactory(
        provider__name=name, service_type_id=ServiceCode.SHARED_LIVES, weekly_hours_capacity=None
    ).provider


def scheme_user(provider):
    return UserFactory(roles=[Role.PROVIDER_USER], provider=provider)


def shared_lives_plan(worker, person):
    return make_plan(worker, person, service_type=ServiceCode.SHARED_LIVES, weekly_hours=None)


def referred(person, *, provider=None) -> Case:
    worker = person.allocated_worker
    provider = provider or scheme()
    arrangement = services.refer_to_scheme(
        acting_user=worker,
        person=person,
        plan=shared_lives_plan(worker, person),
        scheme=provider,
        details="Enjoys gardening and cooking.",
    )
    return Case(arrangement, worker, scheme_user(provider))


def matched(person, **kwargs) -> Case:
    case = referred(person, **kwargs)
    services.record_match(case.arrangement, acting_user=case.scheme_user, carer_name=CARER, carer_reference="C-17")
    return case.refresh()


def _visit(case, kind, outcome="went_well", days_ago=1):
    services.record_visit(
        case.arrangement,
        acting_user=case.scheme_user,
        kind=kind,
        on=timezone.localdate() - timedelta(days=days_ago),
        outcome=outcome,
    )
    return case.refresh()


def tasters_done(person, **kwargs) -> Case:
    return _visit(matched(person, **kwargs), "taster")


def trial_stays(person, **kwargs) -> Case:
    case = tasters_done(person, **kwargs)
    services.start_trial_stays(case.arrangement, acting_user=case.scheme_user)
    return case.refresh()


def stays_done(person, **kwargs) -> Case:
    return _visit(trial_stays(person, **kwargs), "trial_stay")


def at_panel(person, **kwargs) -> Case:
    case = stays_done(person, **kwargs)
    services.send_to_panel(case.arrangement, acting_user=case.worker)
    return case.refresh()


def funded(person, cap_member, **kwargs) -> Case:
    case = at_panel(person, **kwargs)
    services.decide_funding(
        case.arrangement, acting_user=cap_member, decision="approved", approved_weekly_amount=APPROVED
    )
    return case.refresh()


def with_brokerage(person, cap_member, **kwargs) -> Case:
    case = funded(person, cap_member, **kwargs)
    services.send_to_brokerage(case.arrangement, acting_user=case.worker)
    return case.refresh()


def taken(person, cap_member, officer, **kwargs) -> Case:
    case = with_brokerage(person, cap_member, **kwargs)
    take_referral(case.referral, acting_user=officer)
    return case.refresh()


def commissioned(person, cap_member, officer, **kwargs) -> Case:
    case = taken(person, cap_member, officer, **kwargs)
    services.commission(
        case.arrangement, acting_user=officer, weekly_cost=COST, start_date=timezone.localdate() + timedelta(days=7)
    )
    return case.refresh()
