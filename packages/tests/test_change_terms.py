"""New terms from a date (packages.services.change_terms): a new version of the package, and a revised purchase
order superseding the last. What was in force before that date is unchanged; the agreement keeps its price basis;
Brokerage never goes above what was authorised (SPEC §2); a refusal changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from brokerage.models import ServiceAgreement
from commissioning.services import issue_purchase_order
from core.exceptions import ActionRefused
from core.tests.forms import date_fields
from dps.models import Bid
from dps.tests.factories import active, awarded
from packages.models import PackageVersion
from packages.selectors import in_force_on
from packages.services import change_provider, change_terms
from people.tests.factories import make_person, make_plan
from purchase_orders.models import PurchaseOrder

from .factories import agreed, in_days, pending_package

NEEDS_AUTHORISATION = "Brokerage cannot increase a service without a practitioner's authorisation"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def live(person, cap_member, officer_east):
    """An active package: £22 an hour for 10 hours from 7 days' time, its purchase order issued."""
    return active(person, cap_member, officer_east)


def _from(case, days: int):
    return case.agreement.start_date + timedelta(days=days)


def _change(case, user=None, **kwargs) -> PackageVersion:
    fields = {"valid_from": _from(case, 14), "hourly_rate": Decimal("24.00"), "reason": "Rate review"} | kwargs
    return change_terms(case.package, acting_user=user or case.officer, **fields)


def test_new_terms_from_a_date_are_a_new_version_with_a_revised_order(live):
    first = live.order

    version = _change(live)

    old = PackageVersion.objects.get(pk=live.version.pk)
    assert (old.valid_from, old.valid_to, old.last_day) == (_from(live, 0), _from(live, 14), _from(live, 13))
    assert (version.valid_from, version.valid_to, version.agreement) == (_from(live, 14), None, live.agreement)
    assert (version.weekly_hours, version.hourly_rate, version.weekly_cost) == (
        Decimal("10.00"),
        Decimal("24.00"),
        Decimal("240.00"),
    )
    revision = version.purchase_order
    first.refresh_from_db()
    assert (revision.year, revision.sequence, revision.revision) == (first.year, first.sequence, 2)
    assert revision.display_number == f"{first.number} revision 2"
    assert (revision.supersedes, revision.reason, revision.period_start) == (first, "Rate review", _from(live, 14))
    assert first.status == PurchaseOrder.Status.SUPERSEDED
    assert list(PurchaseOrder.objects.filter(agreement=live.agreement, status="issued")) == [revision]
    agreement = ServiceAgreement.objects.get(pk=live.agreement.pk)
    assert (agreement.hourly_rate, agreement.weekly_cost, agreement.start_date) == (
        Decimal("24.00"),
        Decimal("240.00"),
        _from(live, 0),
    )
    assert in_force_on(live.package, _from(live, 13)) == old
    assert in_force_on(live.package, _from(live, 14)) == version


def test_the_visits_go_on_into_the_new_terms(person, cap_member, officer_east):
    case = agreed(person, cap_member, officer_east, start_date=in_days(7), change_of_provider=False)
    case.version = issue_purchase_order(case.commission, acting_user=officer_east)
    case.package = case.version.package

    version = _change(case, hourly_rate=Decimal("24.00"))

    def week(v):
        return [(s.day, s.time, s.minutes, s.carers) for s in v.visits.all()]

    assert week(version) == week(case.version) and len(week(version)) == 2


def test_a_second_change_supersedes_the_first_revision(live):
    second = _change(live).purchase_order
    third = _change(live, valid_from=_from(live, 30), hourly_rate=Decimal("24.50"), reason="Another").purchase_order
    second.refresh_from_db()
    assert (third.revision, third.supersedes, second.status) == (3, second, PurchaseOrder.Status.SUPERSEDED)
    assert PurchaseOrder.objects.filter(agreement=live.agreement, status="issued").get() == third
    assert [v.valid_from for v in live.package.versions.all()] == [_from(live, 0), _from(live, 14), _from(live, 30)]


def test_new_terms_from_the_day_the_current_ones_began_replace_them(live):
    """Nothing was delivered on the old terms: that version is kept, empty, with the order it issued."""
    version = _change(live, valid_from=_from(live, 0))

    replaced = PackageVersion.objects.get(pk=live.version.pk)
    assert (replaced.valid_from, replaced.valid_to, replaced.was_in_force) == (_from(live, 0), _from(live, 0), False)
    assert replaced.purchase_order == live.order
    assert in_force_on(live.package, _from(live, 0)) == version


def _refused(case, match, user=None, **kwargs):
    def state():
        return (
            list(PurchaseOrder.objects.order_by("pk").values_list("pk", "status", "weekly_cost")),
            list(PackageVersion.objects.order_by("pk").values_list("pk", "valid_from", "valid_to", "weekly_cost")),
            ServiceAgreement.objects.values("hourly_rate", "weekly_cost", "start_date").get(pk=case.agreement.pk),
        )

    before = state()
    with pytest.raises(ActionRefused, match=match):
        _change(case, user, **kwargs)
    assert state() == before


def test_a_weekly_priced_package_is_changed_by_its_weekly_cost(social_worker, east_area, cap_member, officer_east):
    person = make_person(social_worker, east_area)
    plan = make_plan(social_worker, person, weekly_hours=Decimal("7.00"))
    case = active(
        person, cap_member, officer_east, plan=plan, prices=(Decimal("160.00"),), price_basis=Bid.Basis.WEEKLY
    )

    _refused(case, "priced by the week", hourly_rate=Decimal("23.00"))
    version = _change(case, hourly_rate=None, weekly_cost=Decimal("165.00"))

    assert (version.hourly_rate, version.weekly_cost) == (None, Decimal("165.00"))
    assert (version.purchase_order.hourly_rate, version.purchase_order.weekly_cost) == (None, Decimal("165.00"))


def test_new_terms_above_the_approved_funding_are_refused(live):
    _refused(live, NEEDS_AUTHORISATION, hourly_rate=Decimal("25.50"))


def test_new_terms_need_a_reason(live):
    _refused(live, "Say why", reason="  ")


def test_new_terms_before_the_current_ones_began_are_refused(live):
    _refused(live, "New terms start on or after", valid_from=_from(live, -1))


def test_new_terms_by_another_team_are_refused(live, officer_west, social_worker):
    _refused(live, "Only the Brokerage team working this case", user=officer_west)
    _refused(live, "Only the Brokerage team working this case", user=social_worker)


def test_new_terms_before_the_purchase_order_are_refused(person, cap_member, officer_east):
    case = awarded(person, cap_member, officer_east)
    case.package = pending_package(case)
    _refused(case, "Only an active package with a purchase order can be changed")


# The page that asks for them ----------------------------------------------------------------------------
def _url(case):
    return reverse("packages:change_terms", args=[case.agreement.pk])


def test_the_officer_changes_the_terms_on_its_page(client, live):
    client.force_login(live.officer)
    page = client.get(_url(live)).content.decode()
    assert "Date the new terms start" in page and 'name="valid_from_day"' in page and "Hourly rate" in page

    response = client.post(
        _url(live), date_fields("valid_from", _from(live, 14)) | {"hourly_rate": "24.00", "reason": "Rate review"}
    )

    assert response.status_code == 302 and response.url == live.package.get_absolute_url()
    assert in_force_on(live.package, _from(live, 14)).hourly_rate == Decimal("24.00")


def test_a_refusal_comes_back_on_the_form(client, live):
    client.force_login(live.officer)
    response = client.post(
        _url(live), date_fields("valid_from", _from(live, -3)) | {"hourly_rate": "24.00", "reason": "Rate review"}
    )
    assert response.status_code == 400
    assert "New terms start on or after" in response.content.decode()
    assert PackageVersion.objects.count() == 1


def test_an_ended_agreement_is_not_offered_for_change(client, person, cap_member, officer_east):
    first = active(person, cap_member, officer_east)
    later = agreed(person, cap_member, officer_east, start_date=in_days(30), change_of_provider=False)
    change_provider(first.package, later.agreement, starts_on=in_days(30), acting_user=officer_east)
    client.force_login(officer_east)

    response = client.get(_url(first), follow=True)

    assert "Only the terms of an active package" in response.content.decode()
