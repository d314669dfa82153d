"""The simpler services on the commission's steps (SPEC §3): transport, meals on wheels, carers relief, escort and
outreach from a funded referral to an active package, by a requirement or a spot contract; a day opportunity at the
council's own day centre with no requirement, bid or spot contract; extra care and carers' support referred on."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from brokerage.models import ServiceAgreement
from catalogue.codes import ServiceCode
from catalogue.sourcing import route_for
from commissioning import services as commissioning
from commissioning.models import Commission
from commissioning.workflows import State
from core.exceptions import ActionRefused
from dps.models import Bid, DPSRequirement, SpotContractNotice
from dps.tests.factories import PurchasingArrangementFactory, active, allocated, footprint
from packages.selectors import package_for_referral
from people.tests.factories import make_plan
from providers.tests.factories import ProviderFactory, ProviderServiceFactory
from referrals.models import Referral
from referrals.services import create_referral
from referrals.workflows import State as ReferralState

# Each simpler service with the hours its plan counts (None: priced by the week, as a meal or a journey is).
SIMPLE = {
    ServiceCode.TRANSPORT: None,
    ServiceCode.MEALS: None,
    ServiceCode.CARERS_RELIEF: Decimal("6.00"),
    ServiceCode.ESCORT: Decimal("4.00"),
    ServiceCode.OUTREACH: Decimal("8.00"),
}


def _plan(person, code):
    return make_plan(person.allocated_worker, person, service_type=code, weekly_hours=SIMPLE.get(code))


def _assert_active(referral):
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.state == ReferralState.ACTIVE
    assert Commission.objects.get(referral=referral).state == State.COMMISSIONED
    package = package_for_referral(referral.pk)
    assert package is not None and package.state == "active"
    assert package.versions.get().purchase_order.number
    return package


@pytest.mark.parametrize("code", list(SIMPLE))
def test_a_simple_service_by_a_requirement_from_referral_to_active_package(code, person, cap_member, officer_east):
    case = active(
        person,
        cap_member,
        officer_east,
        arrangement=PurchasingArrangementFactory(service_type=code),
        plan=_plan(person, code),
        price_basis=Bid.Basis.WEEKLY,
        prices=(Decimal("120.00"), Decimal("135.00")),
    )
    package = _assert_active(case.referral)
    assert case.agreement.bid == case.bids[0] and case.agreement.weekly_cost == Decimal("120.00")
    assert package.service_type_id == code


@pytest.mark.parametrize("code", list(SIMPLE))
def test_a_simple_service_by_a_spot_contract_from_referral_to_active_package(code, person, cap_member, officer_east):
    case = allocated(person, cap_member, officer_east, plan=_plan(person, code))
    commissioning.commission_spot_contract(
        case.commission, acting_user=officer_east, provider=ProviderFactory(), reason="No member covers E1"
    )
    price = {"hourly_rate": Decimal("18.00")} if SIMPLE[code] else {"weekly_cost": Decimal("95.00")}
    commissioning.award(case.commission, acting_user=officer_east, start_date=timezone.localdate(), **price)
    commissioning.issue_purchase_order(case.commission, acting_user=officer_east)
    _assert_active(case.referral)
    assert SpotContractNotice.objects.count() == 1  # the DPS team is told of the provider off the framework


@pytest.mark.parametrize("code", [ServiceCode.EXTRA_CARE, ServiceCode.CARERS_SUPPORT])
def test_extra_care_and_carers_support_are_referred_on_and_never_sourced(code, social_worker, person):
    referral = create_referral(
        acting_user=social_worker,
        person=person,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type=code,
        plan=make_plan(social_worker, person, service_type=code),
        details="Wants to move somewhere with support on site.",
        referred_on_to="Carers Centre Riverside",
    )
    assert referral.state == ReferralState.REFERRED_ON
    assert route_for(code) is None and referral.own_work is None
    assert not Commission.objects.exists()


def test_a_direct_payment_is_no_longer_commissioned_here():
    assert route_for(ServiceCode.DIRECT_PAYMENT).app == "direct_payments"


# A day opportunity at the council's own day centre ------------------------------------------------------------------
def _centre(**overrides):
    centre = ProviderFactory(name="Riverside Council Day Centre", in_house=True, **overrides)
    ProviderServiceFactory(provider=centre, service_type=ServiceCode.DAY_OPPORTUNITIES)
    return centre


def _day_case(person, cap_member, officer_east, code=ServiceCode.DAY_OPPORTUNITIES):
    return allocated(person, cap_member, officer_east, plan=_plan(person, code))


def test_an_in_house_day_centre_place_from_referral_to_active_package(person, cap_member, officer_east):
    centre = _centre()
    case = _day_case(person, cap_member, officer_east)

    commissioning.choose_in_house(case.commission, acting_user=officer_east, provider=centre)
    commission = case.commission
    assert commission.state == State.PROVIDER_SELECTED and commission.chosen_provider == centre
    last = commission.transitions.last()
    assert (last.name, last.source, last.by) == ("choose_in_house", State.SOURCING, officer_east)
    agreement = commissioning.award(
        commission,
        acting_user=officer_east,
        start_date=timezone.localdate() + timedelta(days=3),
        weekly_cost=Decimal("140.00"),
    )
    assert agreement.provider == centre and agreement.bid is None
    commissioning.issue_purchase_order(case.commission, acting_user=officer_east)

    _assert_active(case.referral)
    # No requirement, no bid, no spot contract notice to the DPS team.
    assert not DPSRequirement.objects.exists() and not SpotContractNotice.objects.exists()


def _refused_and_unchanged(case, act, match):
    before = footprint(case.referral)
    with pytest.raises(ActionRefused, match=match):
        act()
    assert footprint(case.referral) == before


@pytest.mark.parametrize("actor", ["other_officer_east", "officer_west", "lead_east", "social_worker"])
def test_only_the_allocated_officer_chooses_an_in_house_place(actor, request, person, cap_member, officer_east):
    centre, case = _centre(), _day_case(person, cap_member, officer_east)
    user = request.getfixturevalue(actor)
    act = lambda: commissioning.choose_in_house(case.commission, acting_user=user, provider=centre)  # noqa: E731
    _refused_and_unchanged(case, act, "Only the officer")


def test_an_in_house_place_is_only_for_day_opportunities(person, cap_member, officer_east):
    centre, case = _centre(), _day_case(person, cap_member, officer_east, code=ServiceCode.MEALS)
    act = lambda: commissioning.choose_in_house(case.commission, acting_user=officer_east, provider=centre)  # noqa: E731
    _refused_and_unchanged(case, act, "Only day opportunities")


def test_an_external_day_centre_is_not_an_in_house_place(person, cap_member, officer_east):
    external = ProviderServiceFactory(service_type=ServiceCode.DAY_OPPORTUNITIES).provider
    case = _day_case(person, cap_member, officer_east)
    act = lambda: commissioning.choose_in_house(case.commission, acting_user=officer_east, provider=external)  # noqa: E731
    _refused_and_unchanged(case, act, "not one of the council's own day centres")


def test_no_in_house_place_once_a_requirement_is_out(person, cap_member, officer_east):
    from dps.tests.factories import requirement_fields

    centre, case = _centre(), _day_case(person, cap_member, officer_east)
    arrangement = PurchasingArrangementFactory(service_type=ServiceCode.DAY_OPPORTUNITIES)
    commissioning.publish_requirement(case.commission, acting_user=officer_east, **requirement_fields(arrangement))
    act = lambda: commissioning.choose_in_house(case.commission, acting_user=officer_east, provider=centre)  # noqa: E731
    _refused_and_unchanged(case, act, "cannot do this")


def test_an_in_house_centre_is_not_a_spot_contract(person, cap_member, officer_east):
    centre, case = _centre(), _day_case(person, cap_member, officer_east)

    def act():
        commissioning.commission_spot_contract(
            case.commission, acting_user=officer_east, provider=centre, reason="Near home"
        )

    _refused_and_unchanged(case, act, "choose it as an in-house place")


def test_the_referral_page_offers_an_in_house_place_only_for_day_opportunities(
    client, person, cap_member, officer_east
):
    _centre()
    day = _day_case(person, cap_member, officer_east)
    meals = _day_case(person, cap_member, officer_east, code=ServiceCode.MEALS)
    client.force_login(officer_east)
    page = client.get(reverse("referrals:detail", args=[day.referral.pk])).content.decode()
    assert reverse("commissioning:in_house", args=[day.referral.pk]) in page
    assert "own day centre" not in client.get(reverse("referrals:detail", args=[meals.referral.pk])).content.decode()


def test_the_in_house_form_chooses_the_centre_and_refuses_a_blank_choice(client, person, cap_member, officer_east):
    centre, case = _centre(), _day_case(person, cap_member, officer_east)
    url = reverse("commissioning:in_house", args=[case.referral.pk])
    client.force_login(officer_east)
    page = client.get(url)
    assert page.status_code == 200 and centre.name in page.content.decode()

    before = footprint(case.referral)
    response = client.post(url, {})
    assert response.status_code == 400 and "Select the day centre" in response.content.decode()
    assert footprint(case.referral) == before

    assert client.post(url, {"provider": centre.pk}).status_code == 302
    assert case.commission.state == State.PROVIDER_SELECTED
    # The same form sent again does nothing twice.
    again = client.post(url, {"provider": centre.pk})
    assert again.status_code in (302, 400)
    assert case.commission.transitions.filter(name="choose_in_house").count() == 1
    assert ServiceAgreement.objects.count() == 0


def test_another_teams_officer_cannot_open_the_in_house_form(client, person, cap_member, officer_east, officer_west):
    _centre()
    case = _day_case(person, cap_member, officer_east)
    client.force_login(officer_west)
    assert client.get(reverse("commissioning:in_house", args=[case.referral.pk])).status_code in (403, 404)
