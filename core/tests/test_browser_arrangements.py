"""The DPS team in a real browser: sets up a residential arrangement, imports a council's Open Referral UK
/services page, and admits one of the imported homes. axe-core checks every page visited."""

import json

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.services import create_staff_user
from dps.models import PurchasingArrangement
from providers.models import ProviderService, TaxonomyMapping
from providers.tests.feeds import COUNCIL_SERVICES, SERVICE_TERMS, Offer, services_page

from .test_browser_journey import PASSWORD, Journey


@pytest.fixture
def dps_member(transactional_db):
    for service_type, (code, _) in SERVICE_TERMS.items():
        TaxonomyMapping.objects.create(taxonomy=COUNCIL_SERVICES, term=code, service_type_id=service_type)
    return create_staff_user(username="dana", password=PASSWORD, roles=[Role.DPS_TEAM])


def test_the_dps_team_sets_up_an_arrangement_imports_providers_and_admits_one(
    browser, live_server, dps_member, tmp_path
):
    feed = tmp_path / "services.json"
    offers = [
        Offer(organization=1, service_type="residential", districts=["E1", "E3"]),
        Offer(organization=2, service_type="residential", districts=["W2"]),
        Offer(organization=2, service_type="home_care", districts=["W2"]),
    ]
    feed.write_text(json.dumps(services_page(offers)))

    j = Journey(browser, live_server.url)
    page = j.page
    j.sign_in("dana")
    j.click("Purchasing arrangements")
    j.click("Set up an arrangement")
    j.click("Set up the arrangement", role="button")  # empty: every message beside its field
    expect(page.get_by_role("link", name="Enter the arrangement's name")).to_be_visible()
    page.get_by_label("Name").fill("Residential care DPS 2026 to 2030")
    page.get_by_label("Dynamic Purchasing System").check()
    page.get_by_label("Service", exact=True).select_option("residential")
    starts = page.get_by_role("group", name="Start date")
    for box, typed in (("Day", "1"), ("Month", "4"), ("Year", "2026")):
        starts.get_by_label(box).fill(typed)
    j.click("Set up the arrangement", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Residential care DPS 2026 to 2030")
    expect(page.get_by_text("No provider has been admitted yet.")).to_be_visible()

    j.goto("/providers/import/")
    page.get_by_label("Directory file").set_input_files(str(feed))
    j.click("Check and import", role="button")
    expect(page.get_by_text("Imported 2 providers: 2 new, 0 updated, 0 unchanged.")).to_be_visible()

    arrangement = PurchasingArrangement.objects.get()
    j.goto(f"/dps/arrangements/{arrangement.pk}/")
    page.get_by_label("Provider").select_option(label="Riverside Care Partnership 01")
    j.click("Admit", role="button")
    expect(page.get_by_text("Riverside Care Partnership 01 has been admitted")).to_be_visible()
    member = ProviderService.objects.get(arrangement=arrangement)
    assert member.provider.name == "Riverside Care Partnership 01" and member.districts == ["E1", "E3"]

    assert {url: found for url, found in j.visited.items() if found} == {}
