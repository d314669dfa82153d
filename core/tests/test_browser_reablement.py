"""Reablement in a real browser, only through the single point of access: SPA records the hospital's referral,
screens it, writes the plan and sends it to Brokerage; the officer sources it on the DPS as home care (a
requirement, a bid in the provider portal, scoring, the agreement and the purchase order); SPA re-assesses, the
officer applies it; SPA ends reablement, the officer ends the package. axe-core checks every page."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.services import create_staff_user
from brokerage.models import Area
from dps.models import DPSRequirement, PurchasingArrangement
from packages.models import CarePackage
from providers.models import Provider, ProviderService
from reablement.models import ReablementCase

from .test_browser_journey import PASSWORD, Journey


@pytest.fixture
def world(transactional_db):
    Area.objects.create(name="Eastbrook", team_id="east")
    create_staff_user(
        username="sofia",
        password=PASSWORD,
        roles=[Role.SPA_WORKER],
        first_name="Sofia",
        last_name="Pereira",
        email="sofia@example.gov.uk",
    )
    create_staff_user(
        username="eddie", password=PASSWORD, roles=[Role.BROKERAGE_OFFICER], team="east", first_name="Eddie"
    )
    arrangement = PurchasingArrangement.objects.create(
        name="Reablement Dynamic Market",
        kind="dynamic_market",
        service_type_id="reablement",
        starts_on=date(2025, 3, 1),
    )
    provider = Provider.objects.create(
        name="Riverside Reablement", cqc_rating="good", cqc_registration_number="1-987654321"
    )
    ProviderService.objects.create(
        provider=provider,
        service_type_id="reablement",
        arrangement=arrangement,
        districts=["E1"],
        weekly_hours_capacity=40,
    )
    create_staff_user(
        username="rita", password=PASSWORD, roles=[Role.PROVIDER_USER], provider=provider, email="rita@example.com"
    )


def fill_date(page, group: str, day: date):
    for box, typed in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        page.get_by_role("group", name=group).get_by_label(box).fill(str(typed))


def fill_days(page, rows):
    for day, hours, visits in rows:
        page.get_by_label(f"{day}: hours").fill(hours)
        page.get_by_label(f"{day}: visits").fill(visits)


def test_reablement_from_hospital_referral_to_termination(browser, live_server, world):
    j = Journey(browser, live_server.url)
    page = j.page
    today = timezone.localdate()

    # SPA records the hospital's pathway referral, for a person it records now.
    j.sign_in("sofia")
    expect(page.get_by_role("heading", name="Reablement: single point of access")).to_be_visible()
    j.click("Record a hospital referral")
    page.get_by_label("First name").fill("Gus")
    page.get_by_label("Last name").fill("Hale")
    fill_date(page, "Date of birth", date(1948, 6, 8))
    page.get_by_label("Address line 1").fill("7 Eastbrook Road")
    page.get_by_label("Town or city").fill("Riverside")
    page.get_by_label("Postcode").fill("E1 7QX")
    page.get_by_label("Area").select_option(label="Eastbrook (East)")
    page.get_by_label("Hospital", exact=True).fill("Riverside General")
    page.get_by_label("Ward").fill("Elm ward")
    page.get_by_label("Who referred").fill("Dr Ann Lee, discharge coordinator")
    fill_date(page, "Expected discharge date", today)
    page.get_by_label("What is needed").fill("Help to wash, dress and make meals while confidence returns.")
    j.click("Record the referral", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reablement for Gus Hale")
    case = ReablementCase.objects.get()

    # Screened and accepted; the plan written (first with a breakdown that does not add up).
    j.click("Accept the referral", role="button")
    j.click("Write the reablement plan")
    page.get_by_label("Hours a week").fill("10")
    fill_date(page, "Start date", today)
    page.get_by_label("Reablement worker").select_option(label="Sofia Pereira")
    fill_days(page, [("Monday", "2", "2"), ("Tuesday", "2", "2"), ("Wednesday", "2", "2"), ("Thursday", "2", "2")])
    j.click("Write the reablement plan", role="button")
    expect(page.get_by_text("adds up to 8 hours, not the 10 hours")).to_be_visible()
    fill_days(page, [("Friday", "2", "2")])
    j.click("Write the reablement plan", role="button")
    expect(page.get_by_text("Reablement plan written.")).to_be_visible()
    j.click("Send the plan to Brokerage", role="button")
    expect(page.get_by_text("With Brokerage: in the team queue")).to_be_visible()
    referral = ReablementCase.objects.get().referral

    # Brokerage sources it as home care: requirement, a bid, scores, the provider, the agreement, the order.
    j.sign_in("eddie")
    j.click("Task queue")
    j.click(referral.reference)
    j.click("Take this task", role="button")
    j.click("Publish a requirement")
    page.get_by_label("About the package").fill("Reablement after a hospital stay: two visits each weekday.")
    closes = timezone.localtime() + timedelta(hours=2)
    fill_date(page, "Date bidding closes", closes)
    page.get_by_label("Time bidding closes").fill(f"{closes:%H:%M}")
    j.click("Publish", role="button")
    expect(page.get_by_text("is open for bids")).to_be_visible()

    j.sign_in("rita")
    j.click("DPS-")
    page.get_by_role("radio", name="Per hour").check()
    page.get_by_label("Your price in pounds").fill("25.00")
    page.get_by_label(re.compile(r"To regain independence")).fill("A reablement team visits twice a day.")
    j.click("Submit your bid", role="button")
    expect(page.get_by_role("heading", name="Your bid", exact=True)).to_be_visible()
    DPSRequirement.objects.update(closes_at=timezone.now() - timedelta(minutes=1))

    j.sign_in("eddie")
    j.goto(f"/referrals/{referral.pk}/")
    j.click("Close bidding and review bids", role="button")
    for select in page.locator("select[name^=score_]").all():
        select.select_option("4")
    j.click("Save scores", role="button")
    page.get_by_role("radio", name="Riverside Reablement (£250.00 a week)").check()
    page.get_by_label("Reason for choosing this provider").fill("The only bid, and a good answer.")
    j.click("Confirm the provider", role="button")
    j.click("Make the service agreement")
    fill_date(page, "Start date", today)
    j.click("Make the agreement and share the details", role="button")
    j.click("Update the record and issue the purchase order", role="button")
    expect(page.get_by_text("Active: purchase order issued").first).to_be_visible()

    # SPA sees it active and re-assesses: more hours from tomorrow.
    j.sign_in("sofia")
    j.goto(f"/reablement/{case.pk}/")
    expect(page.get_by_text(re.compile(r"^Active \(CP-\d{6}\)$"))).to_be_visible()
    j.click("Record a re-assessment")
    fill_date(page, "Date of the re-assessment", today)
    page.get_by_label("New hours a week").fill("15")
    fill_date(page, "Date the change takes effect", today + timedelta(days=1))
    page.get_by_label("What the re-assessment found").fill("Still unsteady on the stairs in the evening.")
    fill_days(page, [(d, "3", "2") for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")])
    j.click("Record a re-assessment", role="button")
    expect(page.get_by_text("Re-assessment recorded and sent to Brokerage.")).to_be_visible()

    # Brokerage applies it from its home page: a revised order.
    j.sign_in("eddie")
    j.click(case.reference)
    j.click("Apply the re-assessment", role="button")
    expect(page.get_by_text("Re-assessment applied")).to_be_visible()
    package = CarePackage.objects.get(referral=referral)
    assert [v.weekly_hours for v in package.versions.order_by("valid_from")] == [10, 15]

    # SPA ends reablement: first for a hospital stay of three days (refused), then back at baseline.
    j.sign_in("sofia")
    j.goto(f"/reablement/{case.pk}/")
    j.click("End reablement")
    page.get_by_role("radio", name="In hospital a week or longer with no expected discharge date").check()
    fill_date(page, "Last day of reablement", today + timedelta(days=3))
    fill_date(page, "Date admitted to hospital", today - timedelta(days=3))
    j.click("End reablement", role="button")
    expect(page.get_by_text("less than a week ago").first).to_be_visible()
    page.get_by_role("radio", name="Back at their baseline level of independence").check()
    j.click("End reablement", role="button")
    expect(page.get_by_text("Ending sent to Brokerage.")).to_be_visible()

    j.sign_in("eddie")
    j.click(case.reference)
    j.click("End the package", role="button")
    expect(page.get_by_text("Reablement has ended")).to_be_visible()

    j.sign_in("sofia")
    j.goto(f"/reablement/{case.pk}/")
    expect(page.get_by_text(f"Ended ({package.reference})")).to_be_visible()
    case.refresh_from_db()
    package.refresh_from_db()
    assert (case.state, package.state) == ("terminated", "ended")
    assert [t.name for t in case.transitions.all()] == [
        "accept",
        "write_plan",
        "send_to_brokerage",
        "reassess",
        "apply_change",
        "request_termination",
        "terminate",
    ]
    failing = {url: v for url, v in j.visited.items() if v}
    assert failing == {}
