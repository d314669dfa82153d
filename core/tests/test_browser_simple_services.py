"""The simpler services on the commission's steps in a real browser, signed in as the demo logins, from the queue to
an active package: a day opportunity at the council's own day centre (no requirement, no bid), and meals on wheels
on a spot contract. axe-core, the reflow check at 320 px and the Content-Security-Policy find nothing wrong on any
page."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from catalogue.codes import ServiceCode
from commissioning.models import Commission
from dps.models import DPSRequirement, SpotContractNotice
from packages.selectors import package_for_referral
from providers.tests.factories import ProviderFactory, ProviderServiceFactory
from referrals.models import Referral

from .simple_services_world import demo_logins, fill_date, queued, take
from .test_browser_journey import Journey


def _agree_and_issue(j, *, weekly_cost: str):
    j.click("Make the service agreement")
    fill_date(j.page, "Start date", timezone.localdate() + timedelta(days=3))
    j.page.get_by_label("Weekly cost (£)").fill(weekly_cost)
    j.click("Make the agreement and share the details", role="button")
    j.click("Update the record and issue the purchase order", role="button")
    expect(j.page.get_by_text("Active: purchase order issued").first).to_be_visible()


def _assert_active(referral):
    assert Referral.objects.get(pk=referral.pk).state == Referral.State.ACTIVE
    assert Commission.objects.get(referral=referral).state == "commissioned"
    assert package_for_referral(referral.pk).state == "active"


def test_an_in_house_day_centre_place_from_the_queue_to_an_active_package(browser, live_server, transactional_db):
    users = demo_logins()
    centre = ProviderFactory(name="Riverside Council Day Centre, Brook Road", in_house=True)
    ProviderServiceFactory(provider=centre, service_type=ServiceCode.DAY_OPPORTUNITIES)
    referral = queued(users, ServiceCode.DAY_OPPORTUNITIES, weekly=Decimal("90.00"), first_name="Owen")
    j = Journey(browser, live_server.url)

    take(j, referral)
    j.click("Arrange a place at the council's own day centre")
    j.click("Choose this day centre", role="button")  # none chosen: refused, with the reason
    expect(j.page.get_by_text("Select the day centre").first).to_be_visible()
    j.page.get_by_label(centre.name).check()
    j.click("Choose this day centre", role="button")
    expect(j.page.get_by_text("Provider selected").first).to_be_visible()
    _agree_and_issue(j, weekly_cost="84.00")

    _assert_active(referral)
    assert not DPSRequirement.objects.exists() and not SpotContractNotice.objects.exists()
    assert {url: v for url, v in j.visited.items() if v} == {}


def test_meals_on_wheels_on_a_spot_contract_from_the_queue_to_an_active_package(browser, live_server, transactional_db):
    users = demo_logins()
    kitchen = ProviderFactory(name="Hot Meals Riverside")
    ProviderServiceFactory(provider=kitchen, service_type=ServiceCode.MEALS)
    referral = queued(users, ServiceCode.MEALS, weekly=Decimal("45.00"), first_name="Quentin")
    j = Journey(browser, live_server.url)

    take(j, referral)
    j.click("Commission a spot contract off the framework")
    j.page.get_by_label("Provider", exact=True).select_option(label=kitchen.name)
    j.page.get_by_label("Why can no framework provider deliver?").fill("No member delivers a diabetic diet in E1")
    j.click("Commission", role="button")
    _agree_and_issue(j, weekly_cost="38.50")

    _assert_active(referral)
    assert SpotContractNotice.objects.count() == 1  # the DPS team is told
    assert {url: v for url, v in j.visited.items() if v} == {}
